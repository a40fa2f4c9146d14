package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/session"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, user, password, next string
		wantStatus                 int
		wantLocation, wantBody     string
	}{
		{name: "success", user: "ada", password: password, wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "name is case-insensitive", user: " ADA ", password: password, wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "local next kept", user: "ada", password: password, next: "/admin/users?q=x", wantStatus: http.StatusSeeOther, wantLocation: "/admin/users?q=x"},
		{name: "foreign next dropped", user: "ada", password: password, next: "//evil.example/x", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "absolute next dropped", user: "ada", password: password, next: "https://evil.example/", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "backslash next dropped", user: "ada", password: password, next: "/\\evil.example", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "wrong password", user: "ada", password: "wrong password!", wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
		{name: "unknown user, same message", user: "nobody", password: password, wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
		{name: "empty password, same message", user: "ada", password: "", wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.user("ada", authz.Editor, false)
			c := e.client()
			res := c.post("/signin", url.Values{"name": {tc.user}, "password": {tc.password}, "next": {tc.next}})
			wantStatus(t, res, tc.wantStatus)
			if res.location() != tc.wantLocation {
				t.Errorf("Location %q, want %q", res.location(), tc.wantLocation)
			}
			wantBody(t, res, tc.wantBody)
			if tc.wantStatus == http.StatusSeeOther {
				home := c.get("/desk")
				wantStatus(t, home, http.StatusOK)
				wantBody(t, home, `<h1 id="page-title">Dashboard</h1>`, `id="signout"`, "No active crises")
			}
		})
	}
}

// Wrong passwords from one browser close its address to the account, and
// the page says why; see signin_lockout_test.go for other addresses.
func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("ada", authz.Editor, false)
	c := e.client()
	for range account.MaxFailuresPerAccountAddress {
		res := c.post("/signin", url.Values{"name": {"ada"}, "password": {"wrong password!"}})
		wantStatus(t, res, http.StatusUnauthorized)
	}
	// Even the right password is refused from here now.
	res := c.post("/signin", url.Values{"name": {"ada"}, "password": {password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	wantBody(t, res, "Too many failed sign-ins", `id="signin-error"`)
	if strings.Contains(res.Body, "The user name or password is wrong.") {
		t.Error("throttled page shows the wrong-password message")
	}
}

func TestSignInPageElements(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.client().get("/signin")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `<form id="signin-form"`, `name="name"`, `name="password"`, `<form id="language-form"`,
		`<select id="language" name="language" data-autosubmit>`, `id="language-submit"`, `name="viewport"`,
		`<html lang="en">`, "/static/vendor/htmx.min.", "hx-headers=")
	if strings.Contains(res.Body, `id="signout"`) {
		t.Error("anonymous page has a sign-out button")
	}
}

func TestAnonymousIsSentToSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res := c.get("/admin/users?q=a")
	wantStatus(t, res, http.StatusSeeOther)
	if want := "/signin?next=" + url.QueryEscape("/admin/users?q=a"); res.location() != want {
		t.Errorf("Location %q, want %q", res.location(), want)
	}
	res = c.get("/desk")
	wantStatus(t, res, http.StatusSeeOther)
	if want := "/signin?next=" + url.QueryEscape("/desk"); res.location() != want {
		t.Errorf("Location %q, want %q", res.location(), want)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Editor)
	res := c.post("/signout", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.location() != "/signin" {
		t.Errorf("Location %q", res.location())
	}
	wantStatus(t, c.get("/desk"), http.StatusSeeOther)
}

// Signing in again replaces the session: the old secret stops working on
// the server, not only in this browser.
func TestSignInRotatesSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("ada", authz.Editor, false)
	c := e.client()
	c.signIn("ada", password)
	sessionCookie := func() string {
		for _, ck := range c.hc.Jar.Cookies(c.base) {
			if ck.Name == session.CookieName {
				return ck.Value
			}
		}
		return ""
	}
	first := sessionCookie()
	c.signIn("ada", password)
	second := sessionCookie()
	if first == "" || second == "" || first == second {
		t.Fatalf("session not rotated: %q then %q", first, second)
	}
	if _, _, err := e.st.Accounts().SessionUser(context.Background(), first); err == nil {
		t.Fatal("the replaced session still works")
	}
	if _, _, err := e.st.Accounts().SessionUser(context.Background(), second); err != nil {
		t.Fatalf("the new session: %v", err)
	}
}

// TestPagesCarryTheSecurityPolicy checks the Content-Security-Policy and
// X-Frame-Options of a page, a fragment and an error page of the desk.
func TestPagesCarryTheSecurityPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	boss, _ := e.signedIn("csp-boss", authz.Commander)
	anon := e.client()
	for _, res := range []response{
		anon.get("/signin"),
		boss.get("/desk"),
		boss.get(fmt.Sprintf("/desk/crises/%d/fragment/tasks", w.crisis.ID)),
		boss.get("/desk/no-such-page"),
	} {
		if got := res.Header.Get("Content-Security-Policy"); got != httpsec.ContentSecurityPolicy {
			t.Errorf("%d page: Content-Security-Policy %q", res.Status, got)
		}
		if got := res.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%d page: X-Frame-Options %q", res.Status, got)
		}
	}
	// The offline copy of a plan keeps the policy its inline style needs.
	if got := boss.get(fmt.Sprintf("/plans/%d/offline", w.plan.ID)).Header.Get("Content-Security-Policy"); !strings.Contains(got, "style-src 'unsafe-inline'") {
		t.Errorf("offline plan: %q", got)
	}
}
