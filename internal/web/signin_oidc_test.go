package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/oidctest"
	"crisisdesk/internal/session"
	"crisisdesk/internal/sso"
)

// laterIDP is discovered once the test server's address, which the
// redirect URI names, is known.
type laterIDP struct{ p *sso.Provider }

func (l *laterIDP) Start(next string) (account.ExternalLogin, string) { return l.p.Start(next) }
func (l *laterIDP) Finish(ctx context.Context, code string, login account.ExternalLogin) (account.ExternalIdentity, error) {
	return l.p.Finish(ctx, code, login)
}

// newOIDCEnv is a staff UI that signs in with an in-process provider.
func newOIDCEnv(t *testing.T) (*env, *oidctest.Issuer) {
	t.Helper()
	iss := oidctest.New(t, "crisisdesk", "client-secret")
	idp := &laterIDP{}
	e := newEnvWith(t, envOptions{idp: idp})
	p, err := sso.Discover(context.Background(), sso.Config{Issuer: iss.URL, ClientID: iss.ClientID, ClientSecret: iss.ClientSecret,
		RedirectURL: e.srv.URL + sso.CallbackPath, Claims: account.ClaimMap{RolesClaim: "groups", DepartmentClaim: "department",
			Rules: []account.RoleRule{{Value: "chiefs", Role: authz.Commander}, {Value: "staff", Role: authz.Observer}}}})
	if err != nil {
		t.Fatal(err)
	}
	idp.p = p
	return e, iss
}

// atProvider follows the browser to the provider, signs in there as login
// (or cancels when login is ""), and returns where the provider sends it
// back to.
func (c *client) atProvider(authURL, login string) string {
	c.t.Helper()
	res := c.do(mustRequest(c.t, http.MethodGet, authURL, ""))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `id="idp-form"`) {
		c.t.Fatalf("provider's page: %d\n%s", res.Status, res.Body)
	}
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("login", login)
	form.Set("action", "approve")
	if login == "" {
		form.Set("action", "deny")
	}
	res = c.do(mustRequest(c.t, http.MethodPost, u.Scheme+"://"+u.Host+u.Path, form.Encode()))
	if res.Status != http.StatusSeeOther {
		c.t.Fatalf("provider's answer: %d\n%s", res.Status, res.Body)
	}
	return res.location()
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

// callback brings the provider's answer back to crisisdesk.
func (c *client) callback(back string) response {
	c.t.Helper()
	if !strings.HasPrefix(back, c.base.String()+sso.CallbackPath+"?") {
		c.t.Fatalf("the provider sent the browser to %q", back)
	}
	return c.get(strings.TrimPrefix(back, c.base.String()))
}

func TestSignInWithTheOfficeProvider(t *testing.T) {
	t.Parallel()
	e, iss := newOIDCEnv(t)
	if _, err := e.st.Accounts().CreateDepartment(context.Background(), cli, account.DepartmentInput{Code: "health", Name: "Health"}); err != nil {
		t.Fatal(err)
	}
	iss.AddUser("mei", oidctest.User{Subject: "sub-mei", Claims: map[string]any{"groups": []string{"chiefs"},
		"preferred_username": "mei.chan", "name": "Mei Chan", "department": "health"}})
	c := e.client()
	page := c.get("/signin?next=%2Fdesk%2Fcrises")
	wantBody(t, page, `id="signin-oidc"`, `href="/signin/oidc?next=%2fdesk%2fcrises"`)

	res := c.get("/signin/oidc?next=%2Fdesk%2Fcrises")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.location(), iss.URL+"/authorize?") {
		t.Fatalf("start: %d to %q", res.Status, res.location())
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
	res = c.callback(c.atProvider(res.location(), "mei"))
	if res.Status != http.StatusSeeOther || res.location() != "/desk/crises" {
		t.Fatalf("callback: %d to %q\n%s", res.Status, res.location(), snippet(res.Body))
	}
	// A commander from the provider is not sent to enrol locally.
	desk := c.get("/desk")
	wantStatus(t, desk, http.StatusOK)
	wantBody(t, desk, "Welcome, Mei Chan.")
	u, err := e.st.Accounts().UserByName(context.Background(), "mei.chan")
	if err != nil || u.Role != authz.Commander || !u.External || u.DepartmentID == 0 {
		t.Fatalf("user %+v %v", u, err)
	}
	signins := e.entriesOf("session.signin")
	if len(signins) != 1 || !strings.Contains(string(signins[0].After), `"method":"oidc"`) {
		t.Errorf("sign-in audited as %+v", signins)
	}

	// The callback is good once: replaying it finds no request.
	again := e.client()
	res = again.get("/signin/oidc")
	back := again.atProvider(res.location(), "mei")
	first := again.callback(back)
	wantStatus(t, first, http.StatusSeeOther)
	replay := e.client()
	res = replay.callback(back)
	wantStatus(t, res, http.StatusBadRequest)
	wantBody(t, res, "has expired or was not started in this browser")
}

func TestOfficeProviderRefusals(t *testing.T) {
	t.Parallel()
	e, iss := newOIDCEnv(t)
	iss.AddUser("guest", oidctest.User{Subject: "sub-guest", Claims: map[string]any{"groups": []string{"visitors"}, "preferred_username": "guest"}})
	iss.AddUser("mei", oidctest.User{Subject: "sub-mei", Claims: map[string]any{"groups": []string{"staff"}}})

	// No mapped role: a clear page, and no account.
	c := e.client()
	res := c.callback(c.atProvider(c.get("/signin/oidc").location(), "guest"))
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, `id="signin-refused"`, "has no role in crisisdesk")
	if _, err := e.st.Accounts().UserByName(context.Background(), "guest"); err == nil {
		t.Error("a person with no role got an account")
	}
	if n := len(e.entriesOf("session.oidc_refused")); n != 1 {
		t.Errorf("%d refusals audited", n)
	}
	if res := c.get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("the refused person reached the desk: %d", res.Status)
	}

	// Cancelled at the provider.
	res = c.callback(c.atProvider(c.get("/signin/oidc").location(), ""))
	wantStatus(t, res, http.StatusUnauthorized)
	wantBody(t, res, "was cancelled")

	// A callback this browser did not start (login CSRF): refused before
	// the code is used.
	other := e.client()
	start := other.get("/signin/oidc").location()
	back := other.atProvider(start, "mei")
	stranger := e.client()
	issued := iss.Issued()
	res = stranger.callback(back)
	wantStatus(t, res, http.StatusBadRequest)
	if issued := iss.Issued() - issued; issued != 0 {
		t.Errorf("%d tokens issued for refused callbacks", issued)
	}
	// The provider's token fails verification: a clear page, no session.
	iss.Tamper = func(c map[string]any) { c["aud"] = "another-client" }
	res = other.callback(other.atProvider(other.get("/signin/oidc").location(), "mei"))
	wantStatus(t, res, http.StatusBadGateway)
	wantBody(t, res, "could not sign you in")
	if res := other.get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("a bad token signed in: %d", res.Status)
	}
}
