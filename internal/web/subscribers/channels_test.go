package subscribers_test

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

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel/channeltest"
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
	hook := &webhookReceiver{status: http.StatusNoContent}
	hookSrv := httptest.NewServer(hook)
	t.Cleanup(hookSrv.Close)
	e := apptest.New(t, withMail(inbox))
	c := e.ClientsFor(authz.Admin, authz.Commander)
	admin := c[authz.Admin]

	apptest.WantStatus(t, c[authz.Commander].Get("/desk/admin/channels"), http.StatusForbidden)
	apptest.WantStatus(t, c[authz.Commander].PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"a@example.org"}}),
		http.StatusForbidden)
	res := admin.Get("/desk/admin/channels")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="channel-email-state">Configured<`, `id="channel-sms-state">Not configured<`,
		`id="channel-webhook-state">Configured<`, `id="nav-channels"`)

	// An e-mail test arrives at once.
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="test-ok"`, "ops@example.org")
	mail := inbox.Mail()
	if len(mail) != 1 || mail[0].To[0] != "ops@example.org" || !strings.Contains(mail[0].Data, "crisisdesk test message") {
		t.Fatalf("received %+v", mail)
	}

	// A refusal is shown with the adapter's error, as permanent.
	inbox.Reject(550)
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"ops@example.org"}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="test-failed"`, `id="test-error"`, "550", "The receiver refused it")

	// Bad input is named beside the field.
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"email"}, "address": {"not an address"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="address-error"`, `value="not an address"`)
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"sms"}, "address": {"+85291234567"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="channel-error"`, "not configured")
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"pigeon"}, "address": {"x"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="channel-error"`)

	// A webhook test is signed with a throwaway secret, which the page
	// shows and the receiver can verify the signature with.
	res = admin.PostForm("/desk/admin/channels/test", url.Values{"channel": {"webhook"}, "address": {hookSrv.URL + "/hook"}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="test-ok"`)
	m := regexp.MustCompile(`<code id="test-secret">(whsec_[^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no secret shown\n%s", apptest.Snippet(res.Body))
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
