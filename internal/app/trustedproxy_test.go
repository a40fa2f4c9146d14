package app_test

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
)

// bootBehind starts a real app that trusts the given proxies. Its clock
// stands still, so that the sign-up limits' minute never ends mid-test.
func bootBehind(t *testing.T, trusted []netip.Prefix) *app.App {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Clock: clock.NewFake(time.Now()), Config: config.Config{
		DB: "sqlite:" + filepath.Join(t.TempDir(), "crisisdesk.db"), Addr: "127.0.0.1:0",
		AdminPassword: testPassword, LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5 * time.Second,
		FastPath: true, TrustedProxies: trusted,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Stop(ctx)
	})
	return a
}

// signupEndpoint is one of the two public sign-up doors, with a request
// that is refused as invalid (422) but counts against the limit.
type signupEndpoint struct {
	name, path, contentType, body string
}

var signupEndpoints = []signupEndpoint{
	{"subscribe form", "/subscribe?lang=en", "application/x-www-form-urlencoded",
		url.Values{"channel": {"email"}, "address": {"not an address"}}.Encode()},
	{"API", "/api/v1/public/subscriptions", "application/json", `{}`},
}

// signup posts to e from the loopback peer with the given X-Forwarded-For
// and returns the status.
func signup(t *testing.T, a *app.App, e signupEndpoint, xff string) int {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+a.Addr()+e.path, strings.NewReader(e.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", e.contentType)
	req.Header.Set("X-Forwarded-For", xff)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// untilLimited signs up from xff until refused with 429 and returns how
// many were let through.
func untilLimited(t *testing.T, a *app.App, e signupEndpoint, xff string) int {
	t.Helper()
	for n := 0; n < 100; n++ {
		switch code := signup(t, a, e, xff); code {
		case http.StatusTooManyRequests:
			return n
		case http.StatusUnprocessableEntity:
		default:
			t.Fatalf("%s from %s, request %d: %d", e.name, xff, n+1, code)
		}
	}
	t.Fatalf("%s from %s: never limited", e.name, xff)
	return 0
}

// Behind a trusted proxy every client has a sign-up limit of its own, on
// the form and the API alike; the same client stays limited however it
// dresses up the header.
func TestSignupLimitPerClientBehindProxy(t *testing.T) {
	t.Parallel()
	a := bootBehind(t, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")})
	for _, e := range signupEndpoints {
		t.Run(e.name, func(t *testing.T) {
			const alice, bob, carol = "203.0.113.1", "203.0.113.2", "2001:db8::3"
			limit := untilLimited(t, a, e, alice)
			if limit < 1 {
				t.Fatalf("limited from the first request")
			}
			for _, xff := range []string{alice, "192.0.2.99, " + alice, alice + ", 127.0.0.1"} {
				if code := signup(t, a, e, xff); code != http.StatusTooManyRequests {
					t.Errorf("alice again as %q: %d, want 429", xff, code)
				}
			}
			// Others have the whole limit to themselves.
			for _, xff := range []string{bob, carol} {
				if n := untilLimited(t, a, e, xff); n != limit {
					t.Errorf("%s got %d sign-ups through, want %d", xff, n, limit)
				}
			}
		})
	}
}

// Trusting no proxy, the header is not believed: every "client" is the
// loopback peer and shares one limit. This is the lock-out a sign-up
// surge causes behind a proxy when --trusted-proxies is not set.
func TestSignupLimitIgnoresHeaderFromUntrustedPeer(t *testing.T) {
	t.Parallel()
	a := bootBehind(t, nil)
	for _, e := range signupEndpoints {
		t.Run(e.name, func(t *testing.T) {
			if n := untilLimited(t, a, e, "203.0.113.1"); n < 1 {
				t.Fatalf("limited from the first request")
			}
			if code := signup(t, a, e, "203.0.113.2"); code != http.StatusTooManyRequests {
				t.Errorf("another forged client: %d, want 429", code)
			}
		})
	}
}
