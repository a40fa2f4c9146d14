package subscribers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/config"
)

// wantRecorded checks that one more entry with action than before exists,
// made by u from the staff UI, and returns its detail.
func wantRecorded(t *testing.T, e *apptest.Env, action string, before int, u account.User) map[string]any {
	t.Helper()
	got := e.Entries(action)
	if len(got) != before+1 {
		t.Fatalf("%d %s entries, want %d", len(got), action, before+1)
	}
	last := got[len(got)-1]
	if last.ActorID != u.ID || last.Actor != u.Name || last.Source != string(authz.SourceUI) {
		t.Errorf("%s recorded as %d %q via %s, want %d %q via ui", action, last.ActorID, last.Actor, last.Source, u.ID, u.Name)
	}
	if b := strings.TrimSpace(string(last.Before)); b != "null" {
		t.Errorf("%s has a before state %s", action, b)
	}
	var detail map[string]any
	if err := json.Unmarshal(last.After, &detail); err != nil {
		t.Fatalf("%s detail %s: %v", action, last.After, err)
	}
	if n, err := e.Store.Audit().Verify(context.Background()); err != nil {
		t.Fatalf("the chain does not verify after %d rows: %v", n, err)
	}
	return detail
}

// withMail is an app that sends e-mail through inbox.
func withMail(inbox *channeltest.Inbox) apptest.Options {
	return apptest.Options{Config: func(c *config.Config) { c.SMTPURL, c.MailFrom = inbox.URL(), "desk@example.org" }}
}

func TestSubscriberExportIsAudited(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	e.AddSubscribers(channel.Email, "alice@example.org", "bob@example.org")
	e.AddSubscribers(channel.SMS, "+85291234567")
	admin, u := e.SignedIn("root", authz.Admin)
	editor, _ := e.SignedIn("ed", authz.Editor)

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
		before := len(e.Entries("subscriber.export"))
		res := admin.Get("/desk/subscribers/export.csv" + c.query)
		apptest.WantStatus(t, res, http.StatusOK)
		if got := float64(strings.Count(res.Body, "\n") - 1); got != c.rows {
			t.Fatalf("%s: the file has %v rows, want %v\n%s", c.name, got, c.rows, res.Body)
		}
		d := wantRecorded(t, e, "subscriber.export", before, u)
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
	before := len(e.Entries("subscriber.export"))
	apptest.WantStatus(t, editor.Get("/desk/subscribers/export.csv"), http.StatusForbidden)
	if n := len(e.Entries("subscriber.export")); n != before {
		t.Errorf("a refused export left %d entries, want %d", n, before)
	}

	// The audit page lists the exports with their detail; nowhere does the
	// searched address appear whole.
	res := admin.Get("/desk/admin/audit?entity=subscriber")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<code class="muted">subscriber.export</code>`, "By root via web", "&#34;rows&#34;: 3", "&#34;channel&#34;: &#34;sms&#34;",
		"a•••@example.org")
	if strings.Contains(res.Body, "alice@example.org") {
		t.Error("the audit page shows a searched address in full")
	}
}

func TestChannelTestIsAudited(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	e := apptest.New(t, withMail(inbox))
	admin, u := e.SignedIn("root", authz.Admin)
	commander, _ := e.SignedIn("chief", authz.Commander)

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
		before := len(e.Entries("channel.test"))
		res := admin.PostForm("/desk/admin/channels/test", send)
		apptest.WantStatus(t, res, http.StatusOK)
		apptest.WantBody(t, res, c.page)
		d := wantRecorded(t, e, "channel.test", before, u)
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
	if got := e.Entries("channel.test"); got[0].EntityID != "email" || got[0].Entity != "channel" {
		t.Errorf("recorded about %s %s, want channel email", got[0].Entity, got[0].EntityID)
	}

	// Sends that never happen record nothing.
	before := len(e.Entries("channel.test"))
	apptest.WantStatus(t, admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"not an address"}}),
		http.StatusUnprocessableEntity)
	apptest.WantStatus(t, admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"sms"}, "address": {"+85291234567"}}),
		http.StatusUnprocessableEntity)
	apptest.WantStatus(t, commander.PostForm("/desk/admin/channels/test", send), http.StatusForbidden)
	if n := len(e.Entries("channel.test")); n != before {
		t.Errorf("sends that did not happen left %d entries, want %d", n, before)
	}

	// A commander reads the trail but not personal data: the page shows
	// both sends with the address masked.
	res := commander.Get("/desk/admin/audit?entity=channel&entity_id=email")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "2 entries", `<code class="muted">channel.test</code>`, "By root via web", "o•••@example.org",
		"&#34;ok&#34;: true", "&#34;ok&#34;: false")
	if strings.Contains(res.Body, "ops@example.org") {
		t.Error("the audit page shows the test address in full")
	}
}

// syncBuffer is a log destination the app writes from its own goroutines
// while the test reads it.
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

// breakTrail makes the database refuse every new audit row while broken
// is set, as a trail that cannot be written does.
func breakTrail(t *testing.T, e *apptest.Env, broken bool) {
	t.Helper()
	q := `DROP TRIGGER IF EXISTS test_trail_broken`
	if broken {
		q = `CREATE TRIGGER test_trail_broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END`
	}
	if _, err := e.Store.Writer().ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// When the trail cannot take the entry, the export hands out nothing and
// the test send is reported as an error and logged.
func TestUnrecordedActionsFail(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	logs := &syncBuffer{}
	o := withMail(inbox)
	o.Options = func(o *app.Options) { o.Logger = slog.New(slog.NewTextHandler(logs, nil)) }
	e := apptest.New(t, o)
	e.AddSubscribers(channel.Email, "alice@example.org")
	admin, _ := e.SignedIn("root", authz.Admin)
	breakTrail(t, e, true)
	res := admin.Get("/desk/subscribers/export.csv")
	apptest.WantStatus(t, res, http.StatusInternalServerError)
	if strings.Contains(res.Body, "alice@example.org") || res.Header.Get("Content-Disposition") != "" ||
		strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("an unrecorded export handed out the list: %v\n%s", res.Header, apptest.Snippet(res.Body))
	}

	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	apptest.WantStatus(t, res, http.StatusInternalServerError)
	apptest.WantBody(t, res, "Something went wrong")
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
	if n := len(e.Entries("subscriber.export")) + len(e.Entries("channel.test")); n != 0 {
		t.Errorf("%d entries written while the trail was broken", n)
	}

	// Once the trail works again, so does the export.
	breakTrail(t, e, false)
	res = admin.Get("/desk/subscribers/export.csv")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "alice@example.org")
}
