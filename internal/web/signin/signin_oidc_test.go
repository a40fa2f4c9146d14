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
	"crisisdesk/internal/config"
	"crisisdesk/internal/oidctest"
	"crisisdesk/internal/session"
	"crisisdesk/internal/sso"
)

// newOIDCEnv is the app signing in with an in-process provider.
func newOIDCEnv(t *testing.T) (*apptest.Env, *oidctest.Issuer) {
	t.Helper()
	iss := oidctest.New(t, "crisisdesk", "client-secret")
	e := apptest.New(t, apptest.Options{Config: func(c *config.Config) {
		c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret = iss.URL, iss.ClientID, iss.ClientSecret
		c.OIDCRolesClaim, c.OIDCDepartmentClaim = "groups", "department"
		c.OIDCRoleMap = []account.RoleRule{{Value: "chiefs", Role: authz.Commander}, {Value: "staff", Role: authz.Observer}}
	}})
	return e, iss
}

// atProvider follows browser c to the provider, signs in there as login
// (or cancels when login is ""), and returns where the provider sends it
// back to.
func atProvider(t *testing.T, c *apptest.Browser, authURL, login string) string {
	t.Helper()
	res := c.Do(mustRequest(t, http.MethodGet, authURL, ""))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `id="idp-form"`) {
		t.Fatalf("provider's page: %d\n%s", res.Status, res.Body)
	}
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("login", login)
	form.Set("action", "approve")
	if login == "" {
		form.Set("action", "deny")
	}
	res = c.Do(mustRequest(t, http.MethodPost, u.Scheme+"://"+u.Host+u.Path, form.Encode()))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("provider's answer: %d\n%s", res.Status, res.Body)
	}
	return res.Location()
}

func mustRequest(t *testing.T, method, target, form string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// callback brings the provider's answer back to crisisdesk in browser c.
func callback(t *testing.T, c *apptest.Browser, back string) apptest.Response {
	t.Helper()
	if !strings.HasPrefix(back, c.Base+sso.CallbackPath+"?") {
		t.Fatalf("the provider sent the browser to %q", back)
	}
	return c.Get(strings.TrimPrefix(back, c.Base))
}

func TestSignInWithTheOfficeProvider(t *testing.T) {
	t.Parallel()
	e, iss := newOIDCEnv(t)
	if _, err := e.Store.Accounts().CreateDepartment(context.Background(), apptest.CLI, account.DepartmentInput{Code: "health", Name: "Health"}); err != nil {
		t.Fatal(err)
	}
	iss.AddUser("mei", oidctest.User{Subject: "sub-mei", Claims: map[string]any{"groups": []string{"chiefs"},
		"preferred_username": "mei.chan", "name": "Mei Chan", "department": "health"}})
	c := e.Browser()
	page := c.Get("/signin?next=%2Fdesk%2Fcrises")
	apptest.WantBody(t, page, `id="signin-oidc"`, `href="/signin/oidc?next=%2fdesk%2fcrises"`)

	res := c.Get("/signin/oidc?next=%2Fdesk%2Fcrises")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), iss.URL+"/authorize?") {
		t.Fatalf("start: %d to %q", res.Status, res.Location())
	}
	var state *http.Cookie
	for _, ck := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, session.StateCookie+"=") {
			state, _ = http.ParseSetCookie(ck)
		}
	}
	if state == nil || !state.HttpOnly || state.Path != "/signin" || state.SameSite != http.SameSiteLaxMode {
		t.Fatalf("state cookie %+v", state)
	}
	res = callback(t, c, atProvider(t, c, res.Location(), "mei"))
	if res.Status != http.StatusSeeOther || res.Location() != "/desk/crises" {
		t.Fatalf("callback: %d to %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	// A commander from the provider is not sent to enrol locally.
	desk := c.Get("/desk")
	apptest.WantStatus(t, desk, http.StatusOK)
	apptest.WantBody(t, desk, "Welcome, Mei Chan.")
	u, err := e.Store.Accounts().UserByName(context.Background(), "mei.chan")
	if err != nil || u.Role != authz.Commander || !u.External || u.DepartmentID == 0 {
		t.Fatalf("user %+v %v", u, err)
	}
	signins := e.Entries("session.signin")
	if len(signins) != 1 || !strings.Contains(string(signins[0].After), `"method":"oidc"`) {
		t.Errorf("sign-in audited as %+v", signins)
	}

	// The callback is good once: replaying it finds no request.
	again := e.Browser()
	res = again.Get("/signin/oidc")
	back := atProvider(t, again, res.Location(), "mei")
	first := callback(t, again, back)
	apptest.WantStatus(t, first, http.StatusSeeOther)
	replay := e.Browser()
	res = callback(t, replay, back)
	apptest.WantStatus(t, res, http.StatusBadRequest)
	apptest.WantBody(t, res, "has expired or was not started in this browser")
}

func TestOfficeProviderRefusals(t *testing.T) {
	t.Parallel()
	e, iss := newOIDCEnv(t)
	iss.AddUser("guest", oidctest.User{Subject: "sub-guest", Claims: map[string]any{"groups": []string{"visitors"}, "preferred_username": "guest"}})
	iss.AddUser("mei", oidctest.User{Subject: "sub-mei", Claims: map[string]any{"groups": []string{"staff"}}})

	// No mapped role: a clear page, and no account.
	c := e.Browser()
	res := callback(t, c, atProvider(t, c, c.Get("/signin/oidc").Location(), "guest"))
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, `id="signin-refused"`, "has no role in crisisdesk")
	if _, err := e.Store.Accounts().UserByName(context.Background(), "guest"); err == nil {
		t.Error("a person with no role got an account")
	}
	if n := len(e.Entries("session.oidc_refused")); n != 1 {
		t.Errorf("%d refusals audited", n)
	}
	if res := c.Get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("the refused person reached the desk: %d", res.Status)
	}

	// Cancelled at the provider.
	res = callback(t, c, atProvider(t, c, c.Get("/signin/oidc").Location(), ""))
	apptest.WantStatus(t, res, http.StatusUnauthorized)
	apptest.WantBody(t, res, "was cancelled")

	// A callback this browser did not start (login CSRF): refused before
	// the code is used.
	other := e.Browser()
	start := other.Get("/signin/oidc").Location()
	back := atProvider(t, other, start, "mei")
	stranger := e.Browser()
	issued := iss.Issued()
	res = callback(t, stranger, back)
	apptest.WantStatus(t, res, http.StatusBadRequest)
	if issued := iss.Issued() - issued; issued != 0 {
		t.Errorf("%d tokens issued for refused callbacks", issued)
	}
	// The provider's token fails verification: a clear page, no session.
	iss.Tamper = func(c map[string]any) { c["aud"] = "another-client" }
	res = callback(t, other, atProvider(t, other, other.Get("/signin/oidc").Location(), "mei"))
	apptest.WantStatus(t, res, http.StatusBadGateway)
	apptest.WantBody(t, res, "could not sign you in")
	if res := other.Get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("a bad token signed in: %d", res.Status)
	}
}
