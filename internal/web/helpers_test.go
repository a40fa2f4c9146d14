package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/web"
)

const password = "correct horse battery"

var cli = authz.System(authz.SourceCLI, "test")

// env is a staff UI on a real, fresh store, served over HTTP. The store
// announces its changes to live, as the app wires it.
type env struct {
	t    *testing.T
	st   *store.Store
	live *live.Broker
	h    *web.Handler
	srv  *httptest.Server
	// factors are the second factors of the users signedIn made, by name.
	factors map[string]*storetest.TOTP
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, envOptions{})
}

// newEnvAt is newEnv with the pages reading the time from clk (the store
// keeps the real time), to see what the pages say months from now.
func newEnvAt(t *testing.T, clk clock.Clock) *env {
	t.Helper()
	return newEnvWith(t, envOptions{pageClock: clk})
}

// envOptions vary the environment: the pages' clock, the store's clock
// (for throttling waits and code time steps), and an identity provider.
type envOptions struct {
	pageClock, storeClock clock.Clock
	idp                   web.IdentityProvider
}

func newEnvWith(t *testing.T, o envOptions) *env {
	t.Helper()
	broker := live.NewBroker()
	st := openStoreWith(t, broker, o.storeClock)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Options{
		Accounts: st.Accounts(), Audit: st.Audit(), Sessions: &session.Manager{Accounts: st.Accounts()},
		Catalog: cat, Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Live: broker, Clock: o.pageClock,
		Logger: slog.New(slog.DiscardHandler), Version: "test", IdentityProvider: o.idp,
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	mux.HandleFunc("/", h.NotFound) // as the app does
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, live: broker, h: h, srv: srv}
}

// openStore opens a fresh migrated SQLite store that publishes to broker,
// with the default crisis catalogue loaded.
func openStore(t *testing.T, broker *live.Broker) *store.Store {
	t.Helper()
	return openStoreWith(t, broker, nil)
}

// openStoreWith is openStore on clk (nil: the real clock).
func openStoreWith(t *testing.T, broker *live.Broker, clk clock.Clock) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DSN(t, store.SQLite), store.Options{Live: broker, Clock: clk, Passwords: accounttest.WeakHashing()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := st.SeedCatalog(context.Background()); err != nil {
		t.Fatalf("seed catalogue: %v", err)
	}
	return st
}

// user creates a user with the test password.
func (e *env) user(name string, role authz.Role, mustChange bool) account.User {
	e.t.Helper()
	u, err := e.st.Accounts().CreateUser(context.Background(), cli, account.NewUser{
		Name: name, Role: role, Password: password, MustChangePassword: mustChange, Language: i18n.English,
	})
	if err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// client is one browser: a cookie jar that does not follow redirects.
type client struct {
	t      *testing.T
	base   *url.URL
	hc     *http.Client
	accept string // Accept-Language
}

func (e *env) client() *client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(e.srv.URL)
	return &client{t: e.t, base: base, accept: "en", hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a read response.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) location() string { return r.Header.Get("Location") }

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	if c.accept != "" {
		req.Header.Set("Accept-Language", c.accept)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base.String()+path, nil)
	return c.do(req)
}

// csrf returns the CSRF cookie, fetching a page first if there is none.
func (c *client) csrf() string {
	c.t.Helper()
	for range 2 {
		for _, ck := range c.hc.Jar.Cookies(c.base) {
			if ck.Name == session.CSRFCookie {
				return ck.Value
			}
		}
		c.get("/signin")
	}
	c.t.Fatal("no CSRF cookie")
	return ""
}

// post sends a form with the CSRF token.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[session.CSRFField]; !ok {
		form.Set(session.CSRFField, c.csrf())
	}
	return c.postRaw(path, form.Encode())
}

func (c *client) postRaw(path, body string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn signs in and fails the test unless it worked.
func (c *client) signIn(name, pw string) response {
	c.t.Helper()
	res := c.post("/signin", url.Values{"name": {name}, "password": {pw}})
	if res.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in %s: status %d\n%s", name, res.Status, res.Body)
	}
	return res
}

// signedIn creates a user and signs them in through the pages. A role that
// must use a second factor gets one first, and its code is given.
func (e *env) signedIn(name string, role authz.Role) (*client, account.User) {
	e.t.Helper()
	u := e.user(name, role, false)
	c := e.client()
	if !account.SecondFactorRequired(role) {
		c.signIn(name, password)
		return c, u
	}
	if e.factors == nil {
		e.factors = map[string]*storetest.TOTP{}
	}
	e.factors[name] = storetest.EnrolTOTP(e.t, e.st, u)
	c.signInWithCode(name, password, e.factors[name])
	return c, u
}

// signInWithCode signs in with the password and then a code from f, and
// fails the test unless both steps worked.
func (c *client) signInWithCode(name, pw string, f *storetest.TOTP) response {
	c.t.Helper()
	res := c.post("/signin", url.Values{"name": {name}, "password": {pw}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/signin/code") {
		c.t.Fatalf("sign in %s: status %d to %q, want the code page\n%s", name, res.Status, res.location(), snippet(res.Body))
	}
	res = c.post("/signin/code", url.Values{"code": {f.Code(c.t)}})
	if res.Status != http.StatusSeeOther {
		c.t.Fatalf("code for %s: status %d\n%s", name, res.Status, snippet(res.Body))
	}
	return res
}

func wantStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("status %d, want %d\n%s", res.Status, want, snippet(res.Body))
	}
}

func wantBody(t *testing.T, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			t.Errorf("body lacks %q\n%s", w, snippet(res.Body))
		}
	}
}

func snippet(s string) string {
	if i := strings.Index(s, `<main id="main">`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}
