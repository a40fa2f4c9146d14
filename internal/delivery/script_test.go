package delivery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// smsGateway is a generic SMS gateway that keeps each message's text by
// number.
type smsGateway struct {
	mu   sync.Mutex
	text map[string]string
}

func (g *smsGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct{ To, Text string }
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.text[m.To] = m.Text
	g.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// TestRecipientsGetTheirChineseScript publishes a notice written in
// Traditional Chinese and English: a subscriber who chose zh-Hans gets it
// converted to Simplified at send time, by e-mail and by SMS, and one who
// chose zh-Hant gets it as written.
func TestRecipientsGetTheirChineseScript(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		gw := &smsGateway{text: map[string]string{}}
		srv := httptest.NewServer(gw)
		t.Cleanup(srv.Close)
		r := newRig(t, engine, func(o *delivery.Options) {
			g, err := sms.New(sms.Config{Format: sms.Generic, URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			o.Senders = append(o.Senders, g)
			chinese, err := hanzi.New("hk")
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := o.Renderer.(delivery.Messages); ok {
				m.Chinese = chinese
				o.Renderer = m
			}
		})
		subs := []struct {
			ch, addr, lang string
		}{
			{channel.Email, "hans@example.org", "zh-Hans"},
			{channel.Email, "hant@example.org", "zh-Hant"},
			{channel.SMS, "+85291230001", "zh-Hans"},
			{channel.SMS, "+85291230002", "zh-Hant"},
		}
		for _, s := range subs {
			r.subscribe(t, subscriber.Subscriber{Channel: s.ch, Address: s.addr, Language: s.lang})
		}
		n := r.publish(t) // zh-Hant and en: 食水供應暫停
		if n.Content("zh-Hans") != nil {
			t.Fatal("the notice should lack zh-Hans")
		}
		r.drain(t, n.ID)
		mails := map[string]received{}
		for _, m := range r.inbox.WaitFor(2, 10*time.Second) {
			mails[m.To[0]] = readMail(t, m)
		}
		gw.mu.Lock()
		defer gw.mu.Unlock()
		for _, s := range subs {
			want, not := "食水供应暂停", "食水供應暫停"
			if s.lang == "zh-Hant" {
				want, not = not, want
			}
			var got []string
			if s.ch == channel.Email {
				m := mails[s.addr]
				got = []string{m.subject, m.text, m.html}
				if cl := m.header.Get("Content-Language"); cl != s.lang {
					t.Errorf("%s: Content-Language %q, want %s", s.addr, cl, s.lang)
				}
			} else {
				got = []string{gw.text[s.addr]}
			}
			for i, part := range got {
				if !strings.Contains(part, want) || strings.Contains(part, not) {
					t.Errorf("%s %s part %d: want %q and not %q in\n%s", s.ch, s.addr, i, want, not, part)
				}
			}
		}
		if p := progress(t, r.st, n.ID); p[channel.SMS].Sent != 2 || p[channel.Email].Sent != 2 {
			t.Fatalf("progress %+v", p)
		}
		// The stored notice is unchanged: the conversion is made for the
		// message only.
		again, err := r.st.Notices().Get(context.Background(), n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Content("zh-Hans") != nil || len(again.Contents) != len(n.Contents) {
			t.Errorf("the stored notice changed: %+v", again.Contents)
		}
	})
}
