package webhook

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/channel"
)

// delivery is one webhook a receiver accepted.
type delivery struct {
	id, timestamp, signature, contentType, userAgent string
	body                                             []byte
}

// receiver is a real HTTP endpoint that verifies each webhook against its
// secrets with Verify, answers 401 when none matches and records what it
// accepted.
type receiver struct {
	srv     *httptest.Server
	secrets []string
	mu      sync.Mutex
	got     []delivery
}

func newReceiver(t *testing.T, secrets ...string) *receiver {
	t.Helper()
	return startReceiver(t, nil, secrets...)
}

// startReceiver is newReceiver with a chance to configure the server
// before it starts.
func startReceiver(t *testing.T, configure func(*http.Server), secrets ...string) *receiver {
	t.Helper()
	r := &receiver{secrets: secrets}
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	if configure != nil {
		configure(r.srv.Config)
	}
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := Verify(r.secrets, req.Header, body, time.Now(), 0); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	r.got = append(r.got, delivery{
		id: req.Header.Get(HeaderID), timestamp: req.Header.Get(HeaderTimestamp),
		signature: req.Header.Get(HeaderSignature), contentType: req.Header.Get("Content-Type"),
		userAgent: req.Header.Get("User-Agent"), body: body,
	})
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// message is a webhook to url signed with the spec's test secret.
func message(url string) channel.Message {
	return channel.Message{
		Key: "msg_42_s7_webhook", To: url, JSON: []byte(`{"type":"notice.published","data":{"id":42}}`),
		Secret: vectorSecret, Event: "notice.published", Timestamp: time.Now(),
	}
}

func newSender(t *testing.T, opts Options) *Sender {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.CloseIdleConnections)
	return s
}

func TestSendDeliversSignedWebhook(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	s := newSender(t, Options{})
	if s.Name() != channel.Webhook {
		t.Errorf("Name() = %q, want %q", s.Name(), channel.Webhook)
	}
	m := message(r.srv.URL + "/hooks/crisisdesk")
	m.Timestamp = time.Unix(time.Now().Unix()-30, 0)
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := r.deliveries()
	if len(got) != 1 {
		t.Fatalf("receiver got %d webhooks, want 1", len(got))
	}
	d := got[0]
	want, err := Sign(vectorSecret, m.Key, m.Timestamp, m.JSON)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"webhook-id", d.id, m.Key},
		{"webhook-timestamp", d.timestamp, strconv.FormatInt(m.Timestamp.Unix(), 10)},
		{"webhook-signature", d.signature, want},
		{"content-type", d.contentType, "application/json"},
		{"user-agent", d.userAgent, DefaultUserAgent},
		{"body", string(d.body), string(m.JSON)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestSendStampsNowWhenNoTimestamp(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	s := newSender(t, Options{UserAgent: "test-agent/2"})
	m := message(r.srv.URL)
	m.Timestamp = time.Time{}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err) // the receiver's tolerance check would refuse year 1
	}
	got := r.deliveries()
	if len(got) != 1 {
		t.Fatalf("receiver got %d webhooks, want 1", len(got))
	}
	if got[0].userAgent != "test-agent/2" {
		t.Errorf("user-agent = %q, want the configured one", got[0].userAgent)
	}
}

func TestSendRotation(t *testing.T) {
	t.Parallel()
	next, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	unrelated, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	s := newSender(t, Options{})
	tests := []struct {
		name  string
		holds []string
		ok    bool
	}{
		{name: "receiver holds the current secret", holds: []string{next}, ok: true},
		{name: "receiver holds the previous secret", holds: []string{vectorSecret}, ok: true},
		{name: "receiver holds both", holds: []string{vectorSecret, next}, ok: true},
		{name: "receiver holds another secret", holds: []string{unrelated}, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newReceiver(t, tt.holds...)
			m := message(r.srv.URL)
			m.Secret, m.Secrets = next, []string{vectorSecret}
			err := s.Send(context.Background(), m)
			if !tt.ok {
				if err == nil || !channel.IsPermanent(err) || !strings.Contains(err.Error(), "401") {
					t.Fatalf("Send = %v, want a permanent 401", err)
				}
				if len(r.deliveries()) != 0 {
					t.Fatal("receiver accepted a webhook it cannot verify")
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := r.deliveries()
			if len(got) != 1 {
				t.Fatalf("receiver got %d webhooks, want 1", len(got))
			}
			sigs := strings.Fields(got[0].signature)
			if len(sigs) != 2 {
				t.Fatalf("webhook-signature %q carries %d signatures, want 2", got[0].signature, len(sigs))
			}
			for i, secret := range []string{next, vectorSecret} {
				want, err := Sign(secret, m.Key, m.Timestamp, m.JSON)
				if err != nil {
					t.Fatal(err)
				}
				if sigs[i] != want {
					t.Errorf("signature %d = %q, want %q", i+1, sigs[i], want)
				}
			}
		})
	}
}

func TestSendClassifiesStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		retryAfter string
		permanent  bool
		ok         bool
		wantAfter  time.Duration // > 0: a *channel.RetryAfter carrying it
		wantText   string
	}{
		{name: "200", status: 200, ok: true},
		{name: "201", status: 201, ok: true},
		{name: "202", status: 202, ok: true},
		{name: "204", status: 204, ok: true},
		{name: "301", status: 301, permanent: true, wantText: "HTTP 301, redirect refused"},
		{name: "302", status: 302, permanent: true, wantText: "redirect refused"},
		{name: "307", status: 307, permanent: true, wantText: "redirect refused"},
		{name: "308", status: 308, permanent: true, wantText: "redirect refused"},
		{name: "400", status: 400, permanent: true, wantText: "HTTP 400 Bad Request"},
		{name: "401", status: 401, permanent: true, wantText: "HTTP 401 Unauthorized"},
		{name: "403", status: 403, permanent: true, wantText: "HTTP 403"},
		{name: "404", status: 404, permanent: true, wantText: "HTTP 404 Not Found"},
		{name: "405", status: 405, permanent: true, wantText: "HTTP 405"},
		{name: "410", status: 410, permanent: true, wantText: "HTTP 410 Gone, endpoint gone"},
		{name: "413", status: 413, permanent: true, wantText: "HTTP 413"},
		{name: "422", status: 422, permanent: true, wantText: "HTTP 422"},
		{name: "408", status: 408, wantText: "HTTP 408 Request Timeout"},
		{name: "408 with Retry-After", status: 408, retryAfter: "3", wantAfter: 3 * time.Second, wantText: "HTTP 408"},
		{name: "429", status: 429, wantText: "HTTP 429 Too Many Requests"},
		{name: "429 with Retry-After", status: 429, retryAfter: "7", wantAfter: 7 * time.Second, wantText: "HTTP 429"},
		{name: "429 with a huge Retry-After", status: 429, retryAfter: "99999999999999", wantAfter: 24 * time.Hour},
		{name: "429 with a bad Retry-After", status: 429, retryAfter: "soon", wantText: "HTTP 429"},
		{name: "429 with a zero Retry-After", status: 429, retryAfter: "0", wantText: "HTTP 429"},
		{name: "503", status: 503, wantText: "HTTP 503 Service Unavailable"},
		{name: "503 with Retry-After", status: 503, retryAfter: "120", wantAfter: 2 * time.Minute},
		{name: "500", status: 500, wantText: "HTTP 500 Internal Server Error"},
		{name: "502", status: 502, wantText: "HTTP 502 Bad Gateway"},
		{name: "504", status: 504, wantText: "HTTP 504 Gateway Timeout"},
		{name: "500 ignores Retry-After", status: 500, retryAfter: "9", wantText: "HTTP 500"},
	}
	s := newSender(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits int
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				mu.Unlock()
				_, _ = io.Copy(io.Discard, r.Body)
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				if tt.status >= 300 && tt.status < 400 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, "receiver says hello")
			}))
			t.Cleanup(srv.Close)
			m := message(srv.URL + "/hook?token=query-secret")
			err := s.Send(context.Background(), m)
			mu.Lock()
			n := hits
			mu.Unlock()
			if n != 1 {
				t.Errorf("receiver was called %d times, want once (no redirect followed, no retry)", n)
			}
			if tt.ok {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Send: no error")
			}
			if got := channel.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			var ra *channel.RetryAfter
			if got := errors.As(err, &ra); got != (tt.wantAfter > 0) {
				t.Errorf("error %v is a RetryAfter: %v, want %v", err, got, tt.wantAfter > 0)
			} else if got && ra.After != tt.wantAfter {
				t.Errorf("RetryAfter.After = %v, want %v", ra.After, tt.wantAfter)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantText) {
				t.Errorf("error %q does not contain %q", msg, tt.wantText)
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if !strings.Contains(msg, host) {
				t.Errorf("error %q does not name the host %s", msg, host)
			}
			for _, secret := range []string{vectorSecret, strings.TrimPrefix(vectorSecret, SecretPrefix), "query-secret", "/hook"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q leaks %q", msg, secret)
				}
			}
		})
	}
}

func TestSendRefusesRedirectTarget(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	redirect := httptest.NewServer(http.RedirectHandler(r.srv.URL+"/hook", http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	err := newSender(t, Options{}).Send(context.Background(), message(redirect.URL))
	if err == nil || !channel.IsPermanent(err) || !strings.Contains(err.Error(), "redirect refused") {
		t.Fatalf("Send = %v, want a permanent redirect refusal", err)
	}
	if n := len(r.deliveries()); n != 0 {
		t.Fatalf("the redirect target got %d webhooks, want none", n)
	}
}

func TestSendTimesOutOnHangingReceiver(t *testing.T) {
	t.Parallel()
	srv := hangingReceiver(t)
	s := newSender(t, Options{Timeout: 50 * time.Millisecond})
	err := s.Send(context.Background(), message(srv.URL))
	if err == nil {
		t.Fatal("Send to a hanging receiver returned no error")
	}
	if channel.IsPermanent(err) {
		t.Errorf("timeout %v is permanent, want retryable", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v is not a timeout", err)
	}
	if !strings.Contains(err.Error(), "timed out") {
		t.Errorf("error %q does not say it timed out", err)
	}
}

func TestSendStopsWhenCallerGivesUp(t *testing.T) {
	t.Parallel()
	srv := hangingReceiver(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := newSender(t, Options{}).Send(ctx, message(srv.URL))
	if err == nil || channel.IsPermanent(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send with a cancelled context = %v, want a retryable context.Canceled", err)
	}
}

func TestSendConnectionRefusedIsRetryable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	err := newSender(t, Options{}).Send(context.Background(), message(addr+"/hook?token=query-secret"))
	if err == nil || channel.IsPermanent(err) {
		t.Fatalf("Send to a closed port = %v, want a retryable error", err)
	}
	host := strings.TrimPrefix(addr, "http://")
	if !strings.Contains(err.Error(), "webhook to "+host) {
		t.Errorf("error %q does not name the host %s", err, host)
	}
	if strings.Contains(err.Error(), "query-secret") {
		t.Errorf("error %q leaks the query", err)
	}
}

func TestSendRefusesBadMessages(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	tests := []struct {
		name     string
		edit     func(*channel.Message)
		wantText string
	}{
		{name: "unparsable url", edit: func(m *channel.Message) { m.To = "http://exa mple.test/" }, wantText: "bad url"},
		{name: "ftp url", edit: func(m *channel.Message) { m.To = "ftp://" + r.srv.Listener.Addr().String() },
			wantText: `scheme must be http or https, not "ftp"`},
		{name: "no host", edit: func(m *channel.Message) { m.To = "http:///hook" }, wantText: "url has no host"},
		{name: "no secret", edit: func(m *channel.Message) { m.Secret = "" }, wantText: "no signing secret"},
		{name: "only empty secrets", edit: func(m *channel.Message) { m.Secret, m.Secrets = "", []string{""} },
			wantText: "no signing secret"},
		{name: "short secret", edit: func(m *channel.Message) { m.Secret = "whsec_dG9vLXNob3J0LXNlY3JldA==" },
			wantText: "secret 1: webhook secret: 16 bytes is too short"},
		{name: "bad rotated secret", edit: func(m *channel.Message) { m.Secrets = []string{"whsec_%%%%notbase64%%%%"} },
			wantText: "secret 2: webhook secret: not valid base64"},
		{name: "key with a full stop", edit: func(m *channel.Message) { m.Key = "msg.42" }, wantText: "may not contain '.'"},
		{name: "empty key", edit: func(m *channel.Message) { m.Key = "" }, wantText: "webhook id: empty"},
	}
	s := newSender(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := message(r.srv.URL)
			tt.edit(&m)
			err := s.Send(context.Background(), m)
			if err == nil || !channel.IsPermanent(err) || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("Send = %v, want a permanent error containing %q", err, tt.wantText)
			}
			for _, secret := range []string{"dG9vLXNob3J0LXNlY3JldA", "notbase64", strings.TrimPrefix(vectorSecret, SecretPrefix)} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q leaks a secret", err)
				}
			}
		})
	}
	if n := len(r.deliveries()); n != 0 {
		t.Errorf("receiver got %d webhooks from refused messages, want none", n)
	}
}

func TestSendGuard(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	s := newSender(t, Options{})
	m := message(r.srv.URL)

	m.Guard = true
	err := s.Send(context.Background(), m)
	if err == nil || !channel.IsPermanent(err) {
		t.Fatalf("guarded Send to %s = %v, want a permanent refusal", r.srv.URL, err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
		t.Errorf("error %q does not say why", err)
	}
	if n := len(r.deliveries()); n != 0 {
		t.Fatalf("receiver got %d webhooks through the guard, want none", n)
	}

	m.Guard = false
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("unguarded Send to a staff endpoint on loopback: %v", err)
	}
	if n := len(r.deliveries()); n != 1 {
		t.Fatalf("receiver got %d webhooks, want 1", n)
	}
}

// TestSendGuardCatchesRebinding: a name that resolved to a public address
// when it was checked and to loopback when the webhook is sent is refused,
// because the guard looks at the address being dialled.
func TestSendGuardCatchesRebinding(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, vectorSecret)
	resolver, dns := startDNS(t, func(_ string, n int64) netip.Addr {
		if n == 1 {
			return netip.MustParseAddr("93.184.215.14") // what the registration saw
		}
		return netip.MustParseAddr("127.0.0.1")
	})
	u, err := url.Parse(r.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	target := "http://rebind.test:" + u.Port() + "/hook"
	if err := CheckURL(context.Background(), target, true, resolver); err != nil {
		t.Fatalf("CheckURL while the name looked public: %v", err)
	}
	s := newSender(t, Options{Resolver: resolver})
	m := message(target)
	m.Guard = true
	err = s.Send(context.Background(), m)
	if err == nil || !channel.IsPermanent(err) || !strings.Contains(err.Error(), "127.0.0.1 is a loopback address") {
		t.Fatalf("guarded Send after rebinding = %v, want a permanent loopback refusal", err)
	}
	if n := len(r.deliveries()); n != 0 {
		t.Fatalf("receiver got %d webhooks through the guard, want none", n)
	}
	if dns.queries.Load() < 2 {
		t.Fatalf("the name was resolved %d times, want a fresh lookup at send time", dns.queries.Load())
	}
}

func TestSendReusesConnections(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	opened := 0
	r := startReceiver(t, func(c *http.Server) {
		c.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				mu.Lock()
				opened++
				mu.Unlock()
			}
		}
	}, vectorSecret)
	s := newSender(t, Options{})
	for i := range 20 {
		m := message(r.srv.URL)
		m.Key = "msg_42_s" + strconv.Itoa(i) + "_webhook"
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	if n := len(r.deliveries()); n != 20 {
		t.Fatalf("receiver got %d webhooks, want 20", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if opened != 1 {
		t.Errorf("20 sends in a row opened %d connections, want 1 kept alive", opened)
	}
}

// hangingReceiver answers no request until the test ends.
func hangingReceiver(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv
}
