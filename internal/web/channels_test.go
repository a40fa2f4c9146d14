package web_test

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/channel/webhook"
)

// webhookReceiver is a webhook receiver that keeps what it was sent.
type webhookReceiver struct {
	mu     sync.Mutex
	header http.Header
	body   []byte
	status int
}

func (rc *webhookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.header, rc.body = r.Header.Clone(), body
	w.WriteHeader(rc.status)
}

func TestChannelTests(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	mailer, err := email.New(inbox.URL(), "desk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailer.Close() })
	hook := &webhookReceiver{status: http.StatusNoContent}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	e := newDeskEnv(t, mailer, webhook.New(webhook.Options{}))
	c := e.clientsFor(authz.Admin, authz.Commander)
	admin := c[authz.Admin]

	wantStatus(t, c[authz.Commander].get("/desk/admin/channels"), http.StatusForbidden)
	wantStatus(t, c[authz.Commander].post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"a@example.org"}}),
		http.StatusForbidden)
	res := admin.get("/desk/admin/channels")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="channel-email-state">Configured<`, `id="channel-sms-state">Not configured<`,
		`id="channel-webhook-state">Configured<`, `id="nav-channels"`)

	// An e-mail test arrives at once.
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="test-ok"`, "ops@example.org")
	mail := inbox.Mail()
	if len(mail) != 1 || mail[0].To[0] != "ops@example.org" || !strings.Contains(mail[0].Data, "crisisdesk test message") {
		t.Fatalf("received %+v", mail)
	}

	// A refusal is shown with the adapter's error, as permanent.
	inbox.Reject(550)
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="test-failed"`, `id="test-error"`, "550", "The receiver refused it")

	// Bad input is named beside the field.
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"not an address"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="address-error"`, `value="not an address"`)
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"sms"}, "address": {"+85291234567"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="channel-error"`, "not configured")
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"pigeon"}, "address": {"x"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="channel-error"`)

	// A webhook test is signed with a throwaway secret, which the page
	// shows and the receiver can verify the signature with.
	res = admin.post("/desk/admin/channels/test", url.Values{"channel": {"webhook"}, "address": {hookSrv.URL + "/hook"}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="test-ok"`)
	m := regexp.MustCompile(`<code id="test-secret">(whsec_[^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no secret shown\n%s", snippet(res.Body))
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if err := webhook.Verify([]string{html.UnescapeString(m[1])}, hook.header, hook.body, time.Now(), 0); err != nil {
		t.Fatalf("the test webhook does not verify with the shown secret: %v", err)
	}
	if !strings.Contains(string(hook.body), `"type":"test"`) {
		t.Errorf("webhook body %s", hook.body)
	}
}
