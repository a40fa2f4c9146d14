package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/config"
	"crisisdesk/internal/oidctest"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store/storetest"
)

const testPassword = "correct horse battery"

// boot starts a real app on a fresh SQLite file and port 0, signing in
// with an in-process identity provider too, so that its routes exist.
func boot(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	idp := oidctest.New(t, "crisisdesk", "client-secret")
	a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{
		DB: "sqlite:" + filepath.Join(t.TempDir(), "crisisdesk.db"), Addr: "127.0.0.1:0",
		AdminPassword: testPassword, LogFormat: "text", LogLevel: "error", ShutdownTimeout: 5 * time.Second,
		FastPath: true, MetricsAddr: "127.0.0.1:0",
		OIDCIssuer: idp.URL, OIDCClientID: idp.ClientID, OIDCClientSecret: idp.ClientSecret, OIDCRolesClaim: "groups",
		OIDCRoleMap: []account.RoleRule{{Value: "chiefs", Role: authz.Commander}},
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

// client is a browser-like client signed in as one user.
type client struct {
	http *http.Client
	base string
	csrf string
}

// signIn signs in as the user name with the test password and, for a role
// that must use a second factor, with a code from factors.
func signIn(t *testing.T, a *app.App, name string, factors map[string]*storetest.TOTP) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{base: "http://" + a.Addr(), http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if name == "" {
		c.fetchCSRF(t, "/signin")
		return c
	}
	secret := storetest.SignIn(t, a.Store, name, testPassword, factors[name], account.Client{Address: "127.0.0.1", UserAgent: "test"})
	u, _ := url.Parse(c.base)
	jar.SetCookies(u, []*http.Cookie{{Name: session.CookieName, Value: secret, Path: "/"}})
	c.fetchCSRF(t, "/desk")
	return c
}

// fetchCSRF loads a page with a form to get a CSRF cookie.
func (c *client) fetchCSRF(t *testing.T, page string) {
	t.Helper()
	resp, err := c.http.Get(c.base + page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == session.CSRFCookie {
			c.csrf = ck.Value
		}
	}
	if c.csrf == "" {
		t.Fatalf("no CSRF cookie from %s", page)
	}
}

func (c *client) do(t *testing.T, method, path string) *http.Response {
	t.Helper()
	var body io.Reader
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set(session.CSRFHeader, c.csrf)
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Content-Type", "application/json")
			req.Body = io.NopCloser(strings.NewReader("{}"))
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Body = io.NopCloser(strings.NewReader(session.CSRFField + "=" + c.csrf))
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// An event stream never ends: its headers are the answer.
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	return resp
}

func isDenied(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return true
	case http.StatusSeeOther, http.StatusFound:
		return strings.Contains(resp.Header.Get("Location"), "/signin")
	}
	return false
}

// TestEveryRouteEveryRole walks every route of the staff UI and the API
// with no session and with a user of every role, and checks that the
// permission matrix is what decides.
func TestEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	a := boot(t)
	ctx := context.Background()
	sys := authz.System(authz.SourceCLI, "test")
	acc := a.Store.Accounts()
	if err := acc.SetPassword(ctx, sys, 1, testPassword, false); err != nil {
		t.Fatal(err)
	}
	// The roles that must use a second factor have one, so that the walk
	// meets the permission matrix and not the enrolment page.
	factors := map[string]*storetest.TOTP{}
	for _, r := range authz.Roles {
		u, err := acc.UserByName(ctx, string(r))
		if r != authz.Admin {
			u, err = acc.CreateUser(ctx, sys, account.NewUser{Name: string(r), Role: r, Password: testPassword})
		}
		if err != nil {
			t.Fatal(err)
		}
		if account.SecondFactorRequired(r) {
			factors[string(r)] = storetest.EnrolTOTP(t, a.Store, u)
		}
	}
	// Targets for {id}: changing them harms none of the signed-in users.
	target, err := acc.CreateUser(ctx, sys, account.NewUser{Name: "target", Role: authz.Observer, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := acc.CreateDepartment(ctx, sys, account.DepartmentInput{Code: "target", Name: "Target"})
	if err != nil {
		t.Fatal(err)
	}
	fill := func(pattern string) string {
		id := "1"
		switch {
		case strings.Contains(pattern, "users"):
			id = strconv.FormatInt(target.ID, 10)
		case strings.Contains(pattern, "departments"):
			id = strconv.FormatInt(dep.ID, 10)
		}
		p := strings.ReplaceAll(pattern, "{id}", id)
		return strings.TrimSuffix(p, "{$}")
	}

	routes := append(append(a.Web.Routes(), a.API.Routes()...), a.Public.Routes()...)
	if len(routes) < 10 {
		t.Fatalf("only %d routes found", len(routes))
	}
	// The sign-in routes exist only with their parts configured; the
	// walk must meet them.
	for _, want := range []string{"/signin/code", "/signin/oidc", "/signin/oidc/callback", "/desk/account/mfa",
		"/desk/account/mfa/recovery", "/desk/account/mfa/disable", "/desk/account/signins", "/desk/admin/users/{id}/mfa/reset"} {
		if !slices.ContainsFunc(routes, func(r authz.Route) bool { return r.Pattern == want }) {
			t.Errorf("no route %s to walk", want)
		}
	}
	actors := append([]string{""}, func() []string {
		var s []string
		for _, r := range authz.Roles {
			s = append(s, string(r))
		}
		return s
	}()...)
	for _, name := range actors {
		role := authz.Role(name) // users are named after their role; "" is anonymous
		c := signIn(t, a, name, factors)
		for _, rt := range routes {
			if rt.Method == http.MethodPost && strings.Contains(rt.Pattern, "signout") {
				continue // would end the session the walk is using; covered by the web tests
			}
			path := fill(rt.Pattern)
			resp := c.do(t, rt.Method, path)
			var wantAllowed bool
			switch {
			case rt.Public:
				wantAllowed = true
			case name == "":
				wantAllowed = false
			case rt.SignedIn:
				wantAllowed = true
			default:
				wantAllowed = authz.Can(role, rt.Action)
			}
			got := !isDenied(resp)
			if rt.Public {
				// A public route may answer 401 on its own terms (a
				// wrong password); only a refusal by the guards counts.
				got = resp.StatusCode != http.StatusForbidden
			}
			if got != wantAllowed {
				who := name
				if who == "" {
					who = "anonymous"
				}
				t.Errorf("%s %s as %s: status %d (Location %q), want allowed=%v (action %q)",
					rt.Method, path, who, resp.StatusCode, resp.Header.Get("Location"), wantAllowed, rt.Action)
			}
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s as %q: status %d", rt.Method, path, name, resp.StatusCode)
			}
		}
	}
}
