package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web"
)

// entriesOf returns the trail's entries with action, oldest first.
func (e *env) entriesOf(action string) []audit.Entry {
	e.t.Helper()
	all, _, err := e.st.Audit().List(context.Background(), audit.Filter{Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []audit.Entry
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Action == action {
			out = append(out, all[i])
		}
	}
	return out
}

// wantRecorded checks that one more entry with action than before exists,
// made by u from the staff UI, and returns its detail.
func (e *env) wantRecorded(action string, before int, u account.User) map[string]any {
	e.t.Helper()
	got := e.entriesOf(action)
	if len(got) != before+1 {
		e.t.Fatalf("%d %s entries, want %d", len(got), action, before+1)
	}
	last := got[len(got)-1]
	if last.ActorID != u.ID || last.Actor != u.Name || last.Source != string(authz.SourceUI) {
		e.t.Errorf("%s recorded as %d %q via %s, want %d %q via ui", action, last.ActorID, last.Actor, last.Source, u.ID, u.Name)
	}
	if b := strings.TrimSpace(string(last.Before)); b != "null" {
		e.t.Errorf("%s has a before state %s", action, b)
	}
	var detail map[string]any
	if err := json.Unmarshal(last.After, &detail); err != nil {
		e.t.Fatalf("%s detail %s: %v", action, last.After, err)
	}
	if n, err := e.st.Audit().Verify(context.Background()); err != nil {
		e.t.Fatalf("the chain does not verify after %d rows: %v", n, err)
	}
	return detail
}

func TestSubscriberExportIsAudited(t *testing.T) {
	t.Parallel()
	e := newDeskEnv(t)
	e.addSubscribers(channel.Email, "alice@example.org", "bob@example.org")
	e.addSubscribers(channel.SMS, "+85291234567")
	admin, u := e.signedIn("root", authz.Admin)
	editor, _ := e.signedIn("ed", authz.Editor)

	cases := []struct {
		name   string
		query  string
		filter map[string]any // as recorded
		rows   float64
	}{
		{"everything", "", map[string]any{"q": "", "channel": "", "status": ""}, 3},
		{"one channel", "?channel=sms&status=active", map[string]any{"q": "", "channel": "sms", "status": "active"}, 1},
		// The search is kept masked: the trail is never erased.
		{"a searched address", "?q=alice@example.org", map[string]any{"q": "a•••@example.org", "channel": "", "status": ""}, 1},
		{"a searched number", "?q=%2B85291234567", map[string]any{"q": "+852••••••67", "channel": "", "status": ""}, 1},
		{"a searched name", "?q=bob", map[string]any{"q": "b•••", "channel": "", "status": ""}, 1},
		{"an unknown channel is no filter", "?channel=pigeon", map[string]any{"q": "", "channel": "", "status": ""}, 3},
	}
	for _, c := range cases {
		before := len(e.entriesOf("subscriber.export"))
		res := admin.get("/desk/subscribers/export.csv" + c.query)
		wantStatus(t, res, http.StatusOK)
		if got := float64(strings.Count(res.Body, "\n") - 1); got != c.rows {
			t.Fatalf("%s: the file has %v rows, want %v\n%s", c.name, got, c.rows, res.Body)
		}
		d := e.wantRecorded("subscriber.export", before, u)
		if d["rows"] != c.rows {
			t.Errorf("%s: recorded rows %v, want %v", c.name, d["rows"], c.rows)
		}
		f, _ := d["filter"].(map[string]any)
		if len(f) != len(c.filter) {
			t.Errorf("%s: recorded filter %v, want %v", c.name, d["filter"], c.filter)
		}
		for k, v := range c.filter {
			if f[k] != v {
				t.Errorf("%s: recorded filter %s = %q, want %q", c.name, k, f[k], v)
			}
		}
	}

	// A refused export records nothing.
	before := len(e.entriesOf("subscriber.export"))
	wantStatus(t, editor.get("/desk/subscribers/export.csv"), http.StatusForbidden)
	if n := len(e.entriesOf("subscriber.export")); n != before {
		t.Errorf("a refused export left %d entries, want %d", n, before)
	}

	// The audit page lists the exports with their detail; nowhere does the
	// searched address appear whole.
	res := admin.get("/admin/audit?entity=subscriber")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "<strong>subscriber.export</strong>", "By root via ui", "&#34;rows&#34;: 3", "&#34;channel&#34;: &#34;sms&#34;",
		"a•••@example.org")
	if strings.Contains(res.Body, "alice@example.org") {
		t.Error("the audit page shows a searched address in full")
	}
}

func TestChannelTestIsAudited(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	mailer, err := email.New(inbox.URL(), "desk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailer.Close() })
	e := newDeskEnv(t, mailer)
	admin, u := e.signedIn("root", authz.Admin)
	commander, _ := e.signedIn("chief", authz.Commander)

	send := url.Values{"channel": {"email"}, "address": {"ops@example.org"}}
	cases := []struct {
		name   string
		reject int // the receiver's refusal code; 0 accepts
		ok     bool
		page   string
	}{
		{"accepted", 0, true, `id="test-ok"`},
		{"refused", 550, false, `id="test-failed"`},
	}
	for _, c := range cases {
		if c.reject != 0 {
			inbox.Reject(c.reject)
		}
		before := len(e.entriesOf("channel.test"))
		res := admin.post("/desk/admin/channels/test", send)
		wantStatus(t, res, http.StatusOK)
		wantBody(t, res, c.page)
		d := e.wantRecorded("channel.test", before, u)
		if d["channel"] != "email" || d["address"] != "o•••@example.org" || d["ok"] != c.ok {
			t.Errorf("%s: recorded %v", c.name, d)
		}
		key, _ := d["key"].(string)
		if !strings.HasPrefix(key, "test_") || !strings.Contains(res.Body, `<code id="test-key">`+key+`</code>`) {
			t.Errorf("%s: recorded key %q is not the one shown", c.name, key)
		}
		errText, _ := d["error"].(string)
		if c.ok != (errText == "") {
			t.Errorf("%s: recorded error %q", c.name, errText)
		}
		if !c.ok && !strings.Contains(errText, "550") {
			t.Errorf("%s: recorded error %q lacks the receiver's code", c.name, errText)
		}
		if strings.Contains(errText, "ops@example.org") {
			t.Errorf("%s: recorded error %q holds the full address", c.name, errText)
		}
	}
	if got := e.entriesOf("channel.test"); got[0].EntityID != "email" || got[0].Entity != "channel" {
		t.Errorf("recorded about %s %s, want channel email", got[0].Entity, got[0].EntityID)
	}

	// Sends that never happen record nothing.
	before := len(e.entriesOf("channel.test"))
	wantStatus(t, admin.post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"not an address"}}),
		http.StatusUnprocessableEntity)
	wantStatus(t, admin.post("/desk/admin/channels/test", url.Values{"channel": {"sms"}, "address": {"+85291234567"}}),
		http.StatusUnprocessableEntity)
	wantStatus(t, commander.post("/desk/admin/channels/test", send), http.StatusForbidden)
	if n := len(e.entriesOf("channel.test")); n != before {
		t.Errorf("sends that did not happen left %d entries, want %d", n, before)
	}

	// A commander reads the trail but not personal data: the page shows
	// both sends with the address masked.
	res := commander.get("/admin/audit?entity=channel&entity_id=email")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "2 entries", "<strong>channel.test</strong>", "By root via ui", "o•••@example.org",
		"&#34;ok&#34;: true", "&#34;ok&#34;: false")
	if strings.Contains(res.Body, "ops@example.org") {
		t.Error("the audit page shows the test address in full")
	}
}

// brokenTrail is the store's audit trail with Record failing while broken
// is set.
type brokenTrail struct {
	audit.Service
	mu     sync.Mutex
	broken bool
}

func (b *brokenTrail) Record(ctx context.Context, a authz.Actor, action, entity, id string, detail any) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.broken {
		return errors.New("audit trail unavailable")
	}
	return b.Service.Record(ctx, a, action, entity, id, detail)
}

func (b *brokenTrail) set(on bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.broken = on
}

// syncBuffer is a log destination the handler writes from its own
// goroutines while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// newTrailEnv is newDeskEnv with the handler's audit trail wrapped in
// trail and its log written to logs.
func newTrailEnv(t *testing.T, trail *brokenTrail, logs *syncBuffer, senders ...channel.Sender) *env {
	t.Helper()
	broker := live.NewBroker()
	st := openStore(t, broker)
	trail.Service = st.Audit()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{
		Accounts: st.Accounts(), Audit: trail, Sessions: &session.Manager{Accounts: st.Accounts()},
		Catalog: cat, Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Live: broker,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Version: "test",
		Subscribers: st.Subscribers(), Endpoints: st.Endpoints(), Deliveries: st.Deliveries(),
		Channels: delivery.New(delivery.Options{Senders: senders}),
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	mux.HandleFunc("/", h.NotFound)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, live: broker, h: h, srv: srv}
}

// When the trail cannot take the entry, the export hands out nothing and
// the test send is reported as an error and logged.
func TestUnrecordedActionsFail(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	mailer, err := email.New(inbox.URL(), "desk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailer.Close() })
	trail, logs := &brokenTrail{}, &syncBuffer{}
	e := newTrailEnv(t, trail, logs, mailer)
	e.addSubscribers(channel.Email, "alice@example.org")
	admin, _ := e.signedIn("root", authz.Admin)
	trail.set(true)

	res := admin.get("/desk/subscribers/export.csv")
	wantStatus(t, res, http.StatusInternalServerError)
	if strings.Contains(res.Body, "alice@example.org") || res.Header.Get("Content-Disposition") != "" ||
		strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("an unrecorded export handed out the list: %v\n%s", res.Header, snippet(res.Body))
	}

	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	wantStatus(t, res, http.StatusInternalServerError)
	wantBody(t, res, "Something went wrong")
	if mail := inbox.Mail(); len(mail) != 1 {
		t.Errorf("%d messages sent, want the one test", len(mail))
	}
	log := logs.String()
	for _, want := range []string{"record subscriber export", "record test send on email to o•••@example.org (ok true", "audit trail unavailable"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "ops@example.org") {
		t.Errorf("the log holds the full test address:\n%s", log)
	}
	if n := len(e.entriesOf("subscriber.export")) + len(e.entriesOf("channel.test")); n != 0 {
		t.Errorf("%d entries written while the trail was broken", n)
	}

	// Once the trail works again, so does the export.
	trail.set(false)
	res = admin.get("/desk/subscribers/export.csv")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "alice@example.org")
}
