package signin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, user, password, next string
		wantStatus                 int
		wantLocation, wantBody     string
	}{
		{name: "success", user: "ada", password: apptest.Password, wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "name is case-insensitive", user: " ADA ", password: apptest.Password, wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "local next kept", user: "ada", password: apptest.Password, next: "/desk/admin/users?q=x", wantStatus: http.StatusSeeOther, wantLocation: "/desk/admin/users?q=x"},
		{name: "foreign next dropped", user: "ada", password: apptest.Password, next: "//evil.example/x", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "absolute next dropped", user: "ada", password: apptest.Password, next: "https://evil.example/", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "backslash next dropped", user: "ada", password: apptest.Password, next: "/\\evil.example", wantStatus: http.StatusSeeOther, wantLocation: "/desk"},
		{name: "wrong password", user: "ada", password: "wrong password!", wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
		{name: "unknown user, same message", user: "nobody", password: apptest.Password, wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
		{name: "empty password, same message", user: "ada", password: "", wantStatus: http.StatusUnauthorized, wantBody: "The user name or password is wrong."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := apptest.New(t, apptest.Options{})
			e.User("ada", authz.Editor)
			c := e.Browser()
			res := c.PostForm("/signin", url.Values{"name": {tc.user}, "password": {tc.password}, "next": {tc.next}})
			apptest.WantStatus(t, res, tc.wantStatus)
			if res.Location() != tc.wantLocation {
				t.Errorf("Location %q, want %q", res.Location(), tc.wantLocation)
			}
			apptest.WantBody(t, res, tc.wantBody)
			if tc.wantStatus == http.StatusSeeOther {
				home := c.Get("/desk")
				apptest.WantStatus(t, home, http.StatusOK)
				apptest.WantBody(t, home, `<h1 id="page-title">Dashboard</h1>`, `id="signout"`, "No active crises")
			}
		})
	}
}

// Wrong passwords from one browser close its address to the account, and
// the page says why; see signin_lockout_test.go for other addresses.
func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	e.User("ada", authz.Editor)
	c := e.Browser()
	for range account.MaxFailuresPerAccountAddress {
		res := c.PostForm("/signin", url.Values{"name": {"ada"}, "password": {"wrong password!"}})
		apptest.WantStatus(t, res, http.StatusUnauthorized)
	}
	// Even the right password is refused from here now.
	res := c.PostForm("/signin", url.Values{"name": {"ada"}, "password": {apptest.Password}})
	apptest.WantStatus(t, res, http.StatusTooManyRequests)
	apptest.WantBody(t, res, "Too many failed sign-ins", `id="form-error"`)
	if strings.Contains(res.Body, "The user name or password is wrong.") {
		t.Error("throttled page shows the wrong-password message")
	}
}

func TestSignInPageElements(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	res := e.Browser().Get("/signin")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<form id="signin-form"`, `name="name"`, `name="password"`, `<form id="language-form"`,
		`<select id="language" name="language" data-autosubmit>`, `id="language-submit"`, `name="viewport"`,
		`<html lang="en">`, "/static/vendor/htmx.min.", "hx-headers=")
	if strings.Contains(res.Body, `id="signout"`) {
		t.Error("anonymous page has a sign-out button")
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Editor)
	res := c.PostForm("/signout", nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if res.Location() != "/signin" {
		t.Errorf("Location %q", res.Location())
	}
	apptest.WantStatus(t, c.Get("/desk"), http.StatusSeeOther)
}

// Signing in again replaces the session: the old secret stops working on
// the server, not only in this browser.
func TestSignInRotatesSession(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	e.User("ada", authz.Editor)
	c := e.Browser()
	c.SignInAs("ada", apptest.Password)
	sessionCookie := func() string { return c.Cookie(session.CookieName) }
	first := sessionCookie()
	c.SignInAs("ada", apptest.Password)
	second := sessionCookie()
	if first == "" || second == "" || first == second {
		t.Fatalf("session not rotated: %q then %q", first, second)
	}
	if _, _, err := e.Store.Accounts().SessionUser(context.Background(), first); err == nil {
		t.Fatal("the replaced session still works")
	}
	if _, _, err := e.Store.Accounts().SessionUser(context.Background(), second); err != nil {
		t.Fatalf("the new session: %v", err)
	}
}
