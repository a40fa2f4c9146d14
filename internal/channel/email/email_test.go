package email

import (
	"context"
	"net"
	"strings"
	"testing"

	"crisisdesk/internal/channel/channeltest"
)

func TestSendPlainAndHTML(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s, err := New(in.URL(), "crisisdesk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	retry, err := s.SendMail(context.Background(), Message{To: "commander@example.org", Subject: "颱風 clock at 80%",
		Text: "Plain 文字", HTML: "<p>HTML</p>", Headers: map[string]string{"X-Crisisdesk-Crisis": "7"}})
	if err != nil || retry {
		t.Fatalf("send: retry=%v %v", retry, err)
	}
	got := in.Mail()
	if len(got) != 1 || got[0].To[0] != "commander@example.org" {
		t.Fatalf("received %+v", got)
	}
	for _, want := range []string{"multipart/alternative", "text/plain", "text/html", "X-Crisisdesk-Crisis: 7", "Subject: =?UTF-8?"} {
		if !strings.Contains(got[0].Data, want) {
			t.Errorf("message lacks %q:\n%s", want, got[0].Data)
		}
	}
}

func TestErrorsAreClassified(t *testing.T) {
	t.Parallel()
	msg := Message{To: "x@example.org", Subject: "s", Text: "t"}
	for _, tt := range []struct {
		code      int
		wantRetry bool
	}{{550, false}, {451, true}} {
		in := channeltest.NewInbox(t)
		in.RejectCode = tt.code
		s, _ := New(in.URL(), "crisisdesk@example.org")
		if retry, err := s.SendMail(context.Background(), msg); err == nil || retry != tt.wantRetry {
			t.Errorf("%d: retry=%v %v", tt.code, retry, err)
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	s, _ := New("smtp://user:hunter2@"+dead+"?tls=none", "crisisdesk@example.org")
	retry, err := s.SendMail(context.Background(), msg)
	if err == nil || !retry || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable: retry=%v %v", retry, err)
	}
}

func TestNewRefusesBadSettings(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://x", "smtp://", "smtp://h:99999", "smtp://h?tls=maybe", "::"} {
		if _, err := New(u, "a@b.c"); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	if _, err := New("smtp://h", "nobody"); err == nil {
		t.Error("bad from accepted")
	}
}
