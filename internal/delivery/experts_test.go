package delivery_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestExpertsReceiveNoticeAddressedToThem publishes an internal notice
// addressed to the outside experts: each active expert gets it once by
// e-mail through a real SMTP server and once by SMS through a real HTTP
// gateway, in their language; an inactive expert gets nothing.
func TestExpertsReceiveNoticeAddressedToThem(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		gw := &smsGateway{text: map[string]string{}}
		srv := httptest.NewServer(gw)
		t.Cleanup(srv.Close)
		r := newRig(t, engine, func(o *delivery.Options) {
			g, err := sms.New(sms.Config{Format: sms.Generic, URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			o.Senders = append(o.Senders, g)
		})
		sys := authz.System(authz.SourceCLI, "test")
		for _, in := range []expert.Input{
			{Name: "Dr Chan", Email: "chan@example.org", Phone: "+85291230001", Languages: []string{"zh-Hant"}, Active: true},
			{Name: "Dr Lee", Email: "lee@example.org", Languages: []string{"en", "zh-Hant"}, Active: true},
			{Name: "Dr Retired", Email: "old@example.org", Phone: "+85291230009", Languages: []string{"en"}},
		} {
			if _, err := r.st.Experts().Create(ctx, sys, in); err != nil {
				t.Fatal(err)
			}
		}
		ns := r.st.Notices()
		n, err := ns.Create(ctx, r.ed, notice.Notice{Kind: notice.Alert, Audience: notice.Internal, Experts: true,
			Contents: []notice.Content{
				{Language: "zh-Hant", Headline: "請評估堤壩", Body: "請致電指揮中心。"},
				{Language: "en", Headline: "Please assess the dam", Body: "Call the desk."},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err = ns.Submit(ctx, r.ed, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err = ns.Approve(ctx, r.ap, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if n, err = ns.Publish(ctx, r.ap, n.ID); err != nil {
			t.Fatal(err)
		}
		r.drain(t, n.ID)
		r.drain(t, n.ID) // a second pass sends nothing again
		p := progress(t, r.st, n.ID)
		if p[channel.Email].Sent != 2 || p[channel.Email].Total() != 2 || p[channel.SMS].Sent != 1 || p[channel.SMS].Total() != 1 {
			t.Fatalf("progress %+v", p)
		}
		mails := r.inbox.WaitFor(2, 10*time.Second)
		byTo := map[string][]string{}
		for _, m := range mails {
			byTo[m.To[0]] = append(byTo[m.To[0]], readMail(t, m).subject)
		}
		if len(mails) != 2 || len(byTo["chan@example.org"]) != 1 || len(byTo["lee@example.org"]) != 1 {
			t.Fatalf("mails to %v", byTo)
		}
		if !strings.Contains(byTo["chan@example.org"][0], "請評估堤壩") || !strings.Contains(byTo["lee@example.org"][0], "Please assess the dam") {
			t.Errorf("subjects not in the experts' languages: %v", byTo)
		}
		gw.mu.Lock()
		defer gw.mu.Unlock()
		if len(gw.text) != 1 || !strings.Contains(gw.text["+85291230001"], "請評估堤壩") {
			t.Errorf("SMS sent %v", gw.text)
		}
	})
}
