package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/live"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

const (
	testPassword = "correct horse battery"
	testCSRF     = "0123456789abcdef0123456789abcdef0123456789"
)

// env is an API over a fresh store with one user and token per role and a
// signed-in browser session for the admin.
type env struct {
	t       *testing.T
	st      *store.Store
	live    *live.Broker
	clock   *clock.Fake // the API's clock, which tells clock states; the store's is real
	api     *API
	h       http.Handler
	users   map[authz.Role]account.User
	tokens  map[authz.Role]string
	session string          // the admin's session secret
	factor  *storetest.TOTP // the admin's second factor
}

// newEnv builds the environment on SQLite; wrap, if not nil, stands between
// the API and the store's account service.
func newEnv(t *testing.T, wrap func(account.Service) account.Service) *env {
	t.Helper()
	return newEnvOn(t, store.SQLite, wrap, nil)
}

// newEnvOn builds the environment on engine; tune, if not nil, changes the
// API's options before it is built.
func newEnvOn(t *testing.T, engine store.Engine, wrap func(account.Service) account.Service, tune func(*Options)) *env {
	t.Helper()
	ctx := context.Background()
	broker := live.NewBroker()
	st := openStore(t, engine, broker)
	accounts := st.Accounts()
	sys := authz.System(authz.SourceCLI, "test")
	e := &env{t: t, st: st, live: broker, clock: clock.NewFake(time.Now()), users: map[authz.Role]account.User{}, tokens: map[authz.Role]string{}}
	for _, r := range authz.Roles {
		u, err := accounts.CreateUser(ctx, sys, account.NewUser{Name: "u-" + string(r), Role: r, Password: testPassword})
		if err != nil {
			t.Fatalf("create %s: %v", r, err)
		}
		secret, _, err := accounts.CreateToken(ctx, sys, u.ID, "test")
		if err != nil {
			t.Fatalf("token for %s: %v", r, err)
		}
		e.users[r], e.tokens[r] = u, secret
	}
	// The admin's browser has the second factor its role requires.
	e.factor = storetest.EnrolTOTP(t, st, e.users[authz.Admin])
	e.session = storetest.SignIn(t, st, "u-admin", testPassword, e.factor, account.Client{Address: "192.0.2.1", UserAgent: "test"})
	var err error
	if wrap != nil {
		accounts = wrap(accounts)
	}
	opts := Options{Accounts: accounts, Audit: st.Audit(), Sessions: &session.Manager{Accounts: st.Accounts()},
		Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Live: broker, Clock: e.clock, Version: "test",
		Signup: subscriber.Signup{Service: st.Subscribers(), NewSecret: webhook.NewSecret,
			CheckURL: func(ctx context.Context, raw string, public bool) error {
				return webhook.CheckURL(ctx, raw, public, nil)
			}},
		Endpoints: st.Endpoints(), Deliveries: st.Deliveries(), ParseSecret: webhook.ParseSecret,
		SubscribeLimit: 1000}
	if tune != nil {
		tune(&opts)
	}
	e.api, err = New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.h = e.api.Handler()
	return e
}

// openStore opens a fresh migrated store, with the default catalogue, that
// announces its changes on broker.
func openStore(t *testing.T, engine store.Engine, broker *live.Broker) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DSN(t, engine), store.Options{Live: broker, Passwords: accounttest.WeakHashing()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := st.SeedCatalog(ctx); err != nil {
		t.Fatalf("seed catalogue: %v", err)
	}
	return st
}

// Who makes a request in a scenario.
const (
	anonymous    = ""
	cookie       = "cookie"         // the admin's session cookie with the CSRF header
	cookieNoCSRF = "cookie-no-csrf" // the admin's session cookie alone
	badToken     = "bad-token"
	// any role name: that role's API token
)

func (e *env) do(who, method, path, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	if body == "" {
		return e.send(who, method, path, "", nil)
	}
	return e.send(who, method, path, "application/json", []byte(body))
}

// send makes a request with a body of any media type; a nil body sends
// none.
func (e *env) send(who, method, path, contentType string, body []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	r := e.request(who, method, path, contentType, body)
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// request builds a request made by who.
func (e *env) request(who, method, path, contentType string, body []byte) *http.Request {
	e.t.Helper()
	var r *http.Request
	if body == nil {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
	}
	switch who {
	case anonymous:
	case cookie, cookieNoCSRF:
		r.AddCookie(&http.Cookie{Name: session.CookieName, Value: e.session})
		r.AddCookie(&http.Cookie{Name: session.CSRFCookie, Value: testCSRF})
		if who == cookie {
			r.Header.Set(session.CSRFHeader, testCSRF)
		}
	case badToken:
		r.Header.Set("Authorization", "Bearer cdt_nonsense")
	default:
		tok, ok := e.tokens[authz.Role(who)]
		if !ok {
			e.t.Fatalf("unknown actor %q", who)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	return r
}

// problem decodes a problem+json response, failing on any other type.
type problemBody struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

func decodeProblem(t *testing.T, w *httptest.ResponseRecorder) problemBody {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, w.Body)
	}
	var p problemBody
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("decode problem: %v; body %s", err, w.Body)
	}
	if p.Status != w.Code || p.Title != http.StatusText(w.Code) {
		t.Errorf("problem status/title = %d %q, response %d", p.Status, p.Title, w.Code)
	}
	return p
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	big := `{"name":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	cases := []struct {
		name   string
		who    string
		method string
		path   string
		body   string
		want   int
		loc    string // for problems: an errors[].location that must be present
	}{
		{"no credentials", anonymous, "GET", "/api/v1/me", "", 401, ""},
		{"unknown token", badToken, "GET", "/api/v1/me", "", 401, ""},
		{"token me", "observer", "GET", "/api/v1/me", "", 200, ""},
		{"cookie me", cookieNoCSRF, "GET", "/api/v1/me", "", 200, ""},
		{"editor may not list users", "editor", "GET", "/api/v1/users", "", 403, ""},
		{"commander lists users", "commander", "GET", "/api/v1/users", "", 200, ""},
		{"commander may not create users", "commander", "POST", "/api/v1/users", `{"name":"x1","role":"editor"}`, 403, ""},
		{"anonymous create is 401 before body checks", anonymous, "POST", "/api/v1/users", `{`, 401, ""},
		{"observer reads audit", "observer", "GET", "/api/v1/audit", "", 200, ""},
		{"editor may not read audit", "editor", "GET", "/api/v1/audit", "", 403, ""},
		{"liaison lists departments", "liaison", "GET", "/api/v1/departments", "", 200, ""},
		{"liaison may not create departments", "liaison", "POST", "/api/v1/departments", `{"code":"fire","name":"Fire"}`, 403, ""},
		{"token needs no CSRF", "admin", "POST", "/api/v1/departments", `{"code":"health","name":"Health"}`, 201, ""},
		{"cookie without CSRF header", cookieNoCSRF, "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 403, ""},
		{"cookie with CSRF header", cookie, "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 201, ""},
		{"taken code", "admin", "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 422, "body.code"},
		{"domain names the field", "admin", "POST", "/api/v1/users", `{"name":"X!","role":"editor","password":"long enough password"}`, 422, "body.name"},
		{"short password", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","password":"short"}`, 422, "body.password"},
		{"missing property named", "admin", "POST", "/api/v1/users", `{"role":"editor"}`, 422, "body.name"},
		{"unknown role", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"king"}`, 422, "body.role"},
		{"unknown property", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","shoe":1}`, 422, "body.shoe"},
		{"unknown department", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","department_id":999}`, 422, "body.department_id"},
		{"malformed JSON", "admin", "POST", "/api/v1/users", `{"name":`, 400, "body"},
		{"body too large", "admin", "POST", "/api/v1/users", big, 413, ""},
		{"limit over 200", "admin", "GET", "/api/v1/users?limit=201", "", 422, "query.limit"},
		{"id not a number", "admin", "GET", "/api/v1/users/abc", "", 422, "path.id"},
		{"no such user", "admin", "GET", "/api/v1/users/99999", "", 404, ""},
		{"no such path", "admin", "GET", "/api/v1/nothing", "", 404, ""},
		{"no such path anonymous", anonymous, "GET", "/api/v1/nothing/at/all", "", 404, ""},
		{"wrong method", "admin", "DELETE", "/api/v1/users", "", 405, ""},
		{"cannot disable oneself", "admin", "POST", "/api/v1/users/1/disable", "", 422, ""},
		{"openapi is public", anonymous, "GET", "/api/v1/openapi.json", "", 200, ""},
	}
	for _, c := range cases {
		// Sequential: later cases build on earlier ones (the taken code).
		w := e.do(c.who, c.method, c.path, c.body)
		if w.Code != c.want {
			t.Errorf("%s: %s %s as %q = %d, want %d; body %.300s", c.name, c.method, c.path, c.who, w.Code, c.want, w.Body)
			continue
		}
		if w.Code < 400 {
			continue
		}
		p := decodeProblem(t, w)
		if strings.Contains(w.Body.String(), "goroutine") || strings.Contains(w.Body.String(), ".go:") {
			t.Errorf("%s: body looks like a stack trace: %s", c.name, w.Body)
		}
		if c.loc != "" {
			found := false
			for _, d := range p.Errors {
				found = found || d.Location == c.loc
			}
			if !found {
				t.Errorf("%s: no error located at %s in %s", c.name, c.loc, w.Body)
			}
		}
		switch w.Code {
		case http.StatusUnauthorized:
			if w.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", c.name)
			}
		case http.StatusMethodNotAllowed:
			if got := w.Header().Get("Allow"); got != "GET, POST" {
				t.Errorf("%s: Allow = %q, want GET, POST", c.name, got)
			}
		case http.StatusBadRequest: // the parse error is shown, the body not echoed
			if !strings.Contains(p.Errors[0].Message, "unexpected end of JSON input") || p.Errors[0].Value != nil {
				t.Errorf("%s: parse error not shown: %s", c.name, w.Body)
			}
		}
	}
}

// TestEveryRouteEveryRole walks the route table: anonymous callers get 401,
// roles the matrix refuses get 403, and roles it allows get past the guard.
func TestEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, rt := range e.api.Routes() {
		path := strings.ReplaceAll(rt.Pattern, "{id}", "99999")
		body := ""
		if rt.Method == http.MethodPost || rt.Method == http.MethodPatch {
			body = "{}"
		}
		w := e.do(anonymous, rt.Method, path, body)
		if rt.Public {
			// Anybody gets past the guards: an empty body is refused on
			// its own terms, never as a matter of who asks.
			if w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden || w.Code >= 500 {
				t.Errorf("public %s %s = %d; body %s", rt.Method, rt.Pattern, w.Code, w.Body)
			}
			continue
		}
		if w.Code != http.StatusUnauthorized {
			t.Errorf("anonymous %s %s = %d, want 401", rt.Method, rt.Pattern, w.Code)
		}
		for _, r := range authz.Roles {
			w := e.do(string(r), rt.Method, path, body)
			allowed := rt.SignedIn || authz.Can(r, rt.Action)
			switch {
			case allowed && (w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden):
				t.Errorf("%s %s %s = %d, want it let through; body %s", r, rt.Method, rt.Pattern, w.Code, w.Body)
			case !allowed && w.Code != http.StatusForbidden:
				t.Errorf("%s %s %s = %d, want 403", r, rt.Method, rt.Pattern, w.Code)
			}
		}
	}
}

func TestRouteTableDeclaresEveryNeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	seen := map[string]bool{}
	for _, rt := range e.api.Routes() {
		n := 0
		for _, b := range []bool{rt.Public, rt.SignedIn, rt.Action != ""} {
			if b {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s %s declares %d needs, want exactly one", rt.Method, rt.Pattern, n)
		}
		if !strings.HasPrefix(rt.Pattern, Prefix+"/") {
			t.Errorf("%s %s is outside %s", rt.Method, rt.Pattern, Prefix)
		}
		key := rt.Method + " " + rt.Pattern
		if seen[key] {
			t.Errorf("%s declared twice", key)
		}
		seen[key] = true
	}
}

func TestRegisterRefusesUndeclaredNeed(t *testing.T) {
	t.Parallel()
	a := &API{mux: http.NewServeMux()}
	a.huma = humago.NewWithPrefix(a.mux, Prefix, config("test"))
	h := func(context.Context, *struct{}) (*struct{}, error) { return nil, nil }
	register(a, access{}, huma.Operation{Method: "GET", Path: "/x"}, h)
	register(a, can("no.such.action"), huma.Operation{Method: "GET", Path: "/y"}, h)
	register(a, access{signedIn: true, action: authz.ViewUsers}, huma.Operation{Method: "GET", Path: "/z"}, h)
	register(a, access{public: true, signedIn: true}, huma.Operation{Method: "GET", Path: "/p"}, h)
	register(a, access{public: true, action: authz.ViewUsers}, huma.Operation{Method: "GET", Path: "/q"}, h)
	if len(a.errs) != 5 || len(a.routes) != 0 {
		t.Fatalf("errs %v, routes %v: want 5 errors and no routes", a.errs, a.routes)
	}
}

func TestOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	w := e.do(anonymous, "GET", "/api/v1/openapi.json", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Servers    []struct{ URL string } `json:"servers"`
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || doc.Info.Title != "crisisdesk" || doc.Info.Version != "test" {
		t.Errorf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != Prefix {
		t.Errorf("servers = %+v, want %s", doc.Servers, Prefix)
	}
	for _, s := range []string{"bearer", "cookie"} {
		if _, ok := doc.Components.SecuritySchemes[s]; !ok {
			t.Errorf("no security scheme %q", s)
		}
	}
	for _, rt := range e.api.Routes() {
		path := strings.TrimPrefix(rt.Pattern, Prefix)
		op, ok := doc.Paths[path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, path)
			continue
		}
		if rt.Action != "" && !strings.Contains(string(op), `"x-crisisdesk-action":"`+string(rt.Action)+`"`) {
			t.Errorf("%s %s does not document its action", rt.Method, path)
		}
	}
	for _, forbidden := range []string{"password_hash", "secret_hash"} {
		if strings.Contains(w.Body.String(), forbidden) {
			t.Errorf("OpenAPI document mentions %s", forbidden)
		}
	}
}
