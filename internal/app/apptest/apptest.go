// Package apptest boots the real crisisdesk — app.New, every part wired as
// in production — on a fresh database and a loopback port, for the tests
// of every surface. Tests talk to it over HTTP as browsers and programs
// do; no test builds a partial app, so production code needs no branch
// for a service that is missing.
package apptest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// Password is the password of every user an Env makes.
const Password = "correct horse battery"

// CLI is the actor tests use to set things up, as the command line would.
var CLI = authz.System(authz.SourceCLI, "test")

// Options vary the app an Env boots.
type Options struct {
	// Engine is the database engine; default SQLite. PostgreSQL needs
	// CRISISDESK_TEST_POSTGRES (the test is skipped without it, and
	// fails under CI).
	Engine store.Engine
	// Clock is the app's clock; default the real one.
	Clock clock.Clock
	// Config changes the settings before the app is built: the database,
	// address, first admin's password and audit key file are set already.
	Config func(*config.Config)
	// Options changes the app's options last, for what the settings do
	// not reach (job polling, delivery sweeps).
	Options func(*app.Options)
	// NoStart builds the app without starting its job runner and server.
	NoStart bool
}

// Env is a running app and what a test needs to drive it.
type Env struct {
	T     testing.TB
	App   *app.App
	Store *store.Store
	// URL is the app's base URL, "http://127.0.0.1:PORT".
	URL   string
	Clock clock.Clock

	mu      sync.Mutex
	factors map[string]*storetest.TOTP // second factors, by user name
}

// New boots the real app for tb and stops it when tb ends.
func New(tb testing.TB, o Options) *Env {
	tb.Helper()
	engine := o.Engine
	if engine == "" {
		engine = store.SQLite
	}
	clk := o.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	cfg := config.Config{
		DB: storetest.DSN(tb, engine), Addr: "127.0.0.1:0", AdminPassword: Password,
		LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5 * time.Second, FastPath: true,
		AuditKeyFile: tb.TempDir() + "/audit.key", TimeZone: time.UTC,
	}
	if o.Config != nil {
		o.Config(&cfg)
	}
	opts := app.Options{Config: cfg, Clock: clk, Passwords: accounttest.WeakHashing(),
		JobPollInterval: 50 * time.Millisecond}
	if o.Options != nil {
		o.Options(&opts)
	}
	ctx := context.Background()
	a, err := app.New(ctx, opts)
	if err != nil {
		tb.Fatalf("apptest: boot the app: %v", err)
	}
	tb.Cleanup(func() {
		// Generous: on a loaded machine a stop cut short leaves workers
		// writing into the database's directory while it is removed.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			tb.Errorf("apptest: stop the app: %v", err)
		}
	})
	if !o.NoStart {
		if err := a.Start(ctx); err != nil {
			tb.Fatalf("apptest: start the app: %v", err)
		}
	}
	return &Env{T: tb, App: a, Store: a.Store, URL: "http://" + a.Addr(), Clock: clk,
		factors: map[string]*storetest.TOTP{}}
}

// User makes a user with Password, in English, not asked to change it.
func (e *Env) User(name string, role authz.Role) account.User {
	e.T.Helper()
	return e.UserWith(account.NewUser{Name: name, Role: role})
}

// UserWith makes the user in u, with Password and English unless u says
// otherwise.
func (e *Env) UserWith(u account.NewUser) account.User {
	e.T.Helper()
	if u.Password == "" {
		u.Password = Password
	}
	if u.Language == "" {
		u.Language = i18n.English
	}
	out, err := e.Store.Accounts().CreateUser(context.Background(), CLI, u)
	if err != nil {
		e.T.Fatalf("apptest: create user %s: %v", u.Name, err)
	}
	return out
}

// Factor returns u's second factor, enrolling one on first call.
func (e *Env) Factor(u account.User) *storetest.TOTP {
	e.T.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.factors[u.Name]
	if f == nil {
		f = storetest.EnrolTOTP(e.T, e.Store, u)
		e.factors[u.Name] = f
	}
	return f
}

// Token creates an API token for u and returns its secret.
func (e *Env) Token(u account.User) string {
	e.T.Helper()
	secret, _, err := e.Store.Accounts().CreateToken(context.Background(), CLI, u.ID, "test")
	if err != nil {
		e.T.Fatalf("apptest: token for %s: %v", u.Name, err)
	}
	return secret
}

// Browser is one browser: a cookie jar that does not follow redirects,
// sending Accept-Language.
type Browser struct {
	T      testing.TB
	Base   string
	HTTP   *http.Client
	Accept string // the Accept-Language it sends; default "en"
}

// Browser returns a new browser with no cookies.
func (e *Env) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: e.T, Base: e.URL, Accept: "en", HTTP: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// SignedIn makes a user and signs them in through the pages, with a
// second factor when the role requires one.
func (e *Env) SignedIn(name string, role authz.Role) (*Browser, account.User) {
	e.T.Helper()
	u := e.User(name, role)
	return e.SignIn(u), u
}

// SignIn signs u in through the pages in a new browser, with a second
// factor when u's role requires one (enrolled first when needed).
func (e *Env) SignIn(u account.User) *Browser {
	e.T.Helper()
	b := e.Browser()
	res := b.PostForm("/signin", url.Values{"name": {u.Name}, "password": {Password}})
	if res.Status != http.StatusSeeOther {
		e.T.Fatalf("apptest: sign in %s: status %d\n%s", u.Name, res.Status, Snippet(res.Body))
	}
	if !account.SecondFactorRequired(u.Role) && !strings.HasPrefix(res.Location(), "/signin/code") {
		return b
	}
	if !strings.HasPrefix(res.Location(), "/signin/code") {
		// Required but not enrolled yet: enrol, then sign in again.
		e.Factor(u)
		return e.SignIn(u)
	}
	res = b.PostForm("/signin/code", url.Values{"code": {e.Factor(u).Code(e.T)}})
	if res.Status != http.StatusSeeOther {
		e.T.Fatalf("apptest: code for %s: status %d\n%s", u.Name, res.Status, Snippet(res.Body))
	}
	return b
}

// Response is a response read whole.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the Location header.
func (r Response) Location() string { return r.Header.Get("Location") }

// Do sends req and reads the response whole.
func (b *Browser) Do(req *http.Request) Response {
	b.T.Helper()
	if b.Accept != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", b.Accept)
	}
	res, err := b.HTTP.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get fetches path.
func (b *Browser) Get(path string) Response {
	b.T.Helper()
	req, err := http.NewRequest(http.MethodGet, b.Base+path, nil)
	if err != nil {
		b.T.Fatal(err)
	}
	return b.Do(req)
}

// CSRF returns the CSRF cookie's value, fetching the sign-in page first
// when the browser has none.
func (b *Browser) CSRF() string {
	b.T.Helper()
	base, _ := url.Parse(b.Base)
	for range 2 {
		for _, ck := range b.HTTP.Jar.Cookies(base) {
			if ck.Name == session.CSRFCookie {
				return ck.Value
			}
		}
		b.Get("/signin")
	}
	b.T.Fatal("apptest: no CSRF cookie")
	return ""
}

// PostForm posts form with the CSRF token added.
func (b *Browser) PostForm(path string, form url.Values) Response {
	b.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[session.CSRFField]; !ok {
		form.Set(session.CSRFField, b.CSRF())
	}
	return b.Post(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// Post posts body as contentType, without adding anything.
func (b *Browser) Post(path, contentType string, body io.Reader) Response {
	b.T.Helper()
	req, err := http.NewRequest(http.MethodPost, b.Base+path, body)
	if err != nil {
		b.T.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return b.Do(req)
}

// API calls the JSON API with a bearer token: body (nil for none) is sent
// as JSON.
func (e *Env) API(token, method, path string, body []byte) Response {
	e.T.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		e.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

// WantStatus fails tb unless res has status want.
func WantStatus(tb testing.TB, res Response, want int) {
	tb.Helper()
	if res.Status != want {
		tb.Fatalf("status %d, want %d\n%s", res.Status, want, Snippet(res.Body))
	}
}

// WantBody fails tb unless res's body holds every one of wants.
func WantBody(tb testing.TB, res Response, wants ...string) {
	tb.Helper()
	for _, w := range wants {
		if !strings.Contains(res.Body, w) {
			tb.Errorf("body lacks %q\n%s", w, Snippet(res.Body))
		}
	}
}

// Snippet is the part of a page worth showing in a failure: from <main>,
// at most 3000 bytes.
func Snippet(s string) string {
	if i := strings.Index(s, `<main id="main">`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000] + "…"
	}
	return s
}

// String makes Env print as its URL in failures.
func (e *Env) String() string { return fmt.Sprintf("crisisdesk at %s", e.URL) }
