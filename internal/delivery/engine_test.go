package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

const secret = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"

// hookReceiver verifies signatures and counts deliveries per recipient;
// the path /flaky answers 503 until it is healed.
type hookReceiver struct {
	mu     sync.Mutex
	seen   map[string][]string // recipient → webhook-ids
	bad    atomic.Int64
	healed atomic.Bool
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify([]string{secret}, r.Header, body, time.Now(), 5*time.Minute); err != nil {
		h.bad.Add(1)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/flaky") && !h.healed.Load() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	var p struct {
		Type      string `json:"type"`
		Recipient string `json:"recipient"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Type != "notice.published" {
		h.bad.Add(1)
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.seen[p.Recipient] = append(h.seen[p.Recipient], r.Header.Get("webhook-id"))
	h.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

type rig struct {
	st     *store.Store
	clk    *clock.Fake
	engine *delivery.Engine
	inbox  *channeltest.Inbox
	hooks  *hookReceiver
	url    string
	ed, ap authz.Actor
}

// newRig builds the engine over a fresh store on a fake clock; tune, when
// given, adjusts the engine's options, and a tune that sets a real clock
// runs the store on it too (leases that run out).
func newRig(t *testing.T, engine store.Engine, tune ...func(*delivery.Options)) *rig {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	probe := delivery.Options{}
	for _, f := range tune {
		f(&probe)
	}
	var storeClock clock.Clock = clk
	if probe.Clock != nil {
		storeClock = probe.Clock
	}
	st := storetest.OpenWith(t, engine, storetest.Options{Clock: storeClock})
	r := &rig{st: st, clk: clk, inbox: channeltest.NewInbox(t), hooks: &hookReceiver{seen: map[string][]string{}}}
	srv := httptest.NewServer(r.hooks)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	for _, u := range []struct {
		name string
		role authz.Role
		dst  *authz.Actor
	}{{"ed", authz.Editor, &r.ed}, {"ap", authz.Approver, &r.ap}} {
		created, err := st.Accounts().CreateUser(ctx, authz.System(authz.SourceCLI, "test"), account.NewUser{Name: u.name, DisplayName: u.name, Role: u.role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		*u.dst = created.Actor(authz.SourceUI)
	}
	mailer, err := email.New(r.inbox.URL(), "desk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailer.Close() })
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	rend, err := message.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	o := delivery.Options{
		Store: st.Deliveries(), Notices: st.Notices(), Renderer: delivery.Messages{Renderer: rend, Base: "https://desk.example"},
		Senders: []channel.Sender{mailer, webhook.New(webhook.Options{Timeout: 5 * time.Second})},
		BaseURL: "https://desk.example", Clock: clk, ClaimBatch: 4, FanoutBatch: 3, Slice: time.Minute,
	}
	for _, f := range tune {
		f(&o)
	}
	r.engine = delivery.New(o)
	return r
}

func (r *rig) subscribe(t *testing.T, s subscriber.Subscriber) subscriber.Subscriber {
	t.Helper()
	if s.Source == "" {
		s.Source = subscriber.FromImport
	}
	s.Secret = secret
	out, err := r.st.Subscribers().Create(context.Background(), authz.System(authz.SourceCLI, "import"), s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (r *rig) publish(t *testing.T) notice.Notice {
	t.Helper()
	ctx := context.Background()
	ns := r.st.Notices()
	n, err := ns.Create(ctx, r.ed, notice.Notice{Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "食水供應暫停", Body: "中環今晚停水。", Instruction: "請預先儲水。"},
			{Language: "en", Headline: "Water supply suspended", Body: "No water in Central tonight.", Instruction: "Store water now."},
		},
		CAP: notice.CAPInfo{Event: "Water outage", Category: "Infra", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
			Area: notice.Area{Description: "Central"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := ns.Submit(ctx, r.ed, n.ID, ""); return err },
		func() error { _, err := ns.Approve(ctx, r.ap, n.ID, ""); return err },
		func() error { n, err = ns.Publish(ctx, r.ap, n.ID); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// drain runs the fan-out and every channel's sender until each rests.
func (r *rig) drain(t *testing.T, id int64) map[string]delivery.Result {
	t.Helper()
	ctx := context.Background()
	if err := r.engine.Fanout(ctx, id); err != nil {
		t.Fatal(err)
	}
	out := map[string]delivery.Result{}
	for _, ch := range []string{channel.Email, channel.SMS, channel.Webhook} {
		for range 100 {
			res, err := r.engine.Send(ctx, id, ch)
			if err != nil {
				t.Fatalf("%s: %v", ch, err)
			}
			if !res.Again {
				out[ch] = res
				break
			}
		}
	}
	return out
}

func progress(t *testing.T, st *store.Store, id int64) map[string]delivery.Progress {
	t.Helper()
	ps, err := st.Deliveries().Progress(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]delivery.Progress{}
	for _, p := range ps {
		out[p.Channel] = p
	}
	return out
}

func TestEngineDeliversThroughRealPeers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		r := newRig(t, engine)
		var mails []subscriber.Subscriber
		for i := range 9 {
			lang := []string{"en", "zh-Hant", "zh-Hans"}[i%3]
			mails = append(mails, r.subscribe(t, subscriber.Subscriber{Channel: channel.Email, Address: fmt.Sprintf("r%d@example.org", i), Language: lang}))
		}
		var hooks []subscriber.Subscriber
		for i := range 5 {
			hooks = append(hooks, r.subscribe(t, subscriber.Subscriber{Channel: channel.Webhook, Address: fmt.Sprintf("%s/hook/%d", r.url, i), Language: "en"}))
		}
		flaky := r.subscribe(t, subscriber.Subscriber{Channel: channel.Webhook, Address: r.url + "/flaky", Language: "en"})
		// A public self-service subscription may not reach the loopback.
		guarded := r.subscribe(t, subscriber.Subscriber{Channel: channel.Webhook, Address: r.url + "/guarded", Language: "en", Source: subscriber.FromPublic})
		sms := r.subscribe(t, subscriber.Subscriber{Channel: channel.SMS, Address: "+85291234567", Language: "en"})

		n := r.publish(t)
		res := r.drain(t, n.ID)
		if res[channel.Webhook].Wait <= 0 {
			t.Fatalf("webhook sender should wait for the flaky retry: %+v", res)
		}
		p := progress(t, r.st, n.ID)
		if p[channel.Email].Sent != 9 || p[channel.Webhook].Sent != 5 || p[channel.Webhook].Failed != 1 || p[channel.Webhook].GaveUp != 1 || p[channel.SMS].GaveUp != 1 {
			t.Fatalf("progress %+v", p)
		}
		fails, _ := r.st.Deliveries().Failures(context.Background(), n.ID, "", 10)
		reasons := map[int64]string{}
		for _, f := range fails {
			reasons[f.RecipientID] = f.LastError
		}
		if !strings.Contains(reasons[flaky.ID], "503") || !strings.Contains(reasons[guarded.ID], "loopback") || !strings.Contains(reasons[sms.ID], "not configured") {
			t.Fatalf("failure reasons %v", reasons)
		}

		// The retry comes due; the receiver is back.
		r.hooks.healed.Store(true)
		r.clk.Advance(2 * time.Hour)
		r.drain(t, n.ID)
		p = progress(t, r.st, n.ID)
		if p[channel.Webhook].Sent != 6 || p[channel.Webhook].Failed != 0 {
			t.Fatalf("after the retry %+v", p)
		}
		if bad := r.hooks.bad.Load(); bad != 0 {
			t.Fatalf("%d webhooks failed verification", bad)
		}
		r.hooks.mu.Lock()
		for _, h := range append(hooks, flaky) {
			ids := r.hooks.seen[fmt.Sprintf("subscriber:%d", h.ID)]
			if len(ids) != 1 || ids[0] != delivery.Key(n.ID, delivery.ToSubscriber, h.ID, channel.Webhook) {
				t.Errorf("subscriber %d got %v", h.ID, ids)
			}
		}
		r.hooks.mu.Unlock()

		got := r.inbox.WaitFor(9, 10*time.Second)
		byTo := map[string]channeltest.Mail{}
		for _, m := range got {
			byTo[m.To[0]] = m
		}
		for _, s := range mails {
			m, ok := byTo[s.Address]
			if !ok {
				t.Fatalf("no mail to %s", s.Address)
			}
			for _, want := range []string{
				"List-Unsubscribe: <https://desk.example/unsubscribe/" + s.Token + ">",
				"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
				"Message-ID: <" + delivery.Key(n.ID, delivery.ToSubscriber, s.ID, channel.Email) + "@example.org>",
				"multipart/alternative",
			} {
				if !strings.Contains(m.Data, want) {
					t.Errorf("mail to %s lacks %q", s.Address, want)
				}
			}
			if strings.Contains(m.Data, delivery.UnsubscribeMark) {
				t.Errorf("mail to %s still has the unsubscribe placeholder", s.Address)
			}
		}
	})
}
