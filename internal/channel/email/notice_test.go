package email

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
)

func openSender(t testing.TB, in *channeltest.Inbox, o Options) *Sender {
	t.Helper()
	o.URL, o.From = in.URL(), "Crisis Desk <alerts@city.example.org>"
	s, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func noticeMessage(key string) channel.Message {
	return channel.Message{Key: key, To: "resident@example.net", Language: "zh-Hant",
		Subject: "【演練】颱風警告：請留在室內", Text: "颱風正在接近。\n請留在室內。\nhttps://city.example.org/notices/7\n",
		HTML:           "<!doctype html><p>颱風正在接近。</p><p><a href=\"https://city.example.org/notices/7\">詳情</a></p>",
		UnsubscribeURL: "https://city.example.org/unsubscribe?t=abc123", Timestamp: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
}

// parsed is a received notice e-mail taken apart.
type parsed struct {
	header     mail.Header
	subject    string
	text, html string
}

func parse(t *testing.T, m channeltest.Mail) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, m.Raw)
	}
	p := parsed{header: msg.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if !strings.EqualFold(cp["charset"], "utf-8") {
			t.Errorf("%s part: charset %q", ct, cp["charset"])
		}
		switch ct {
		case "text/plain":
			p.text = string(body)
		case "text/html":
			p.html = string(body)
		default:
			t.Errorf("unexpected part %s", ct)
		}
	}
	return p
}

func TestSendNotice(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{})
	if s.Name() != channel.Email {
		t.Errorf("Name() = %q", s.Name())
	}
	want := noticeMessage("msg_7_s42_email")
	if err := s.Send(context.Background(), want); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := in.WaitFor(1, 10*time.Second)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != want.To {
		t.Fatalf("received %+v", got)
	}
	if got[0].From != "alerts@city.example.org" {
		t.Errorf("envelope from %q", got[0].From)
	}
	p := parse(t, got[0])
	for _, h := range []struct{ name, want string }{
		{"Message-ID", "<msg_7_s42_email@city.example.org>"},
		{"Content-Language", "zh-Hant"},
		{"List-Unsubscribe", "<https://city.example.org/unsubscribe?t=abc123>"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		{"Auto-Submitted", "auto-generated"},
		{"Date", "Sun, 01 Mar 2026 08:00:00 +0000"},
	} {
		if v := p.header.Get(h.name); v != h.want {
			t.Errorf("%s: %q, want %q", h.name, v, h.want)
		}
	}
	if p.subject != want.Subject {
		t.Errorf("subject %q, want %q", p.subject, want.Subject)
	}
	// On the wire every line ends in CRLF.
	if strings.TrimRight(strings.ReplaceAll(p.text, "\r\n", "\n"), "\n") != strings.TrimRight(want.Text, "\n") {
		t.Errorf("text part %q, want %q", p.text, want.Text)
	}
	if strings.TrimRight(p.html, "\r\n") != want.HTML {
		t.Errorf("html part %q, want %q", p.html, want.HTML)
	}
}

func TestSendNoticeWithoutUnsubscribe(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{})
	m := noticeMessage("msg_7_u3_email")
	m.UnsubscribeURL = "" // staff have nothing to unsubscribe from
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	p := parse(t, in.WaitFor(1, 10*time.Second)[0])
	for _, h := range []string{"List-Unsubscribe", "List-Unsubscribe-Post"} {
		if v, ok := p.header[h]; ok {
			t.Errorf("%s present: %q", h, v)
		}
	}
	if v := p.header.Get("Message-ID"); v != "<msg_7_u3_email@city.example.org>" {
		t.Errorf("Message-ID %q", v)
	}
}

// TestRepeatKeepsMessageID: a delivery repeated after a crash carries the
// same Message-ID, so the receiver can tell it is the same message.
func TestRepeatKeepsMessageID(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{})
	for range 2 {
		if err := s.Send(context.Background(), noticeMessage("msg_9_s1_email")); err != nil {
			t.Fatal(err)
		}
	}
	got := in.WaitFor(2, 10*time.Second)
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	a, b := parse(t, got[0]).header.Get("Message-ID"), parse(t, got[1]).header.Get("Message-ID")
	if a != b || a != "<msg_9_s1_email@city.example.org>" {
		t.Errorf("Message-IDs %q and %q", a, b)
	}
}

func TestSendRefusesBadMessages(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{})
	for _, tt := range []struct {
		name string
		edit func(*channel.Message)
		want string // in the error
	}{
		{"bad address", func(m *channel.Message) { m.To = "not an address" }, "to "},
		{"no text", func(m *channel.Message) { m.Text = "" }, "no text"},
		{"key with a space", func(m *channel.Message) { m.Key = "msg 1" }, "key"},
		{"key with an at", func(m *channel.Message) { m.Key = "a@b" }, "key"},
		{"header injection in language", func(m *channel.Message) { m.Language = "en\r\nBcc: x@example.com" }, "language"},
		{"relative unsubscribe", func(m *channel.Message) { m.UnsubscribeURL = "/unsubscribe" }, "unsubscribe"},
		{"unsubscribe breaking the brackets", func(m *channel.Message) {
			m.UnsubscribeURL = "https://city.example.org/u?a=>,<mailto:x@example.com"
		}, "unsubscribe"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := noticeMessage("msg_1_s1_email")
			tt.edit(&m)
			err := s.Send(context.Background(), m)
			if err == nil || !channel.IsPermanent(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v (permanent %v), want a permanent error about %q", err, channel.IsPermanent(err), tt.want)
			}
		})
	}
	if n := in.Received(); n != 0 {
		t.Errorf("%d bad messages reached the server", n)
	}
}

func TestSendClassifiesRefusals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code      int
		permanent bool
	}{{550, true}, {553, true}, {451, false}, {452, false}} {
		in := channeltest.NewInbox(t)
		in.Reject(tt.code)
		s := openSender(t, in, Options{})
		err := s.Send(context.Background(), noticeMessage("msg_1_s1_email"))
		if err == nil || channel.IsPermanent(err) != tt.permanent {
			t.Errorf("%d: err = %v, permanent %v, want %v", tt.code, err, channel.IsPermanent(err), tt.permanent)
		}
		// The refusal closed the connection; the next message gets a new
		// one and goes through.
		in.Reject(0)
		if err := s.Send(context.Background(), noticeMessage("msg_2_s1_email")); err != nil {
			t.Errorf("%d: after the refusal: %v", tt.code, err)
		}
		if n := in.Sessions(); n != 2 {
			t.Errorf("%d: %d connections, want a new one after the refusal", tt.code, n)
		}
	}
}

func TestSendUnreachableIsRetryable(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{URL: "smtp://user:hunter2@" + deadAddr(t) + "?tls=none", From: "alerts@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Send(context.Background(), noticeMessage("msg_1_s1_email"))
	if err == nil || channel.IsPermanent(err) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable: %v (permanent %v)", err, channel.IsPermanent(err))
	}
}

func TestSendHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, noticeMessage("msg_1_s1_email"))
	if err == nil || channel.IsPermanent(err) {
		t.Errorf("cancelled: %v", err)
	}
}
