package sso_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/oidctest"
	"crisisdesk/internal/sso"
)

const redirect = "http://127.0.0.1:9/signin/oidc/callback" // never dialled: the test reads the redirect

var claims = account.ClaimMap{RolesClaim: "groups", DepartmentClaim: "department",
	Rules: []account.RoleRule{{Value: "chiefs", Role: authz.Commander}, {Value: "staff", Role: authz.Observer}}}

func discover(t *testing.T, iss *oidctest.Issuer) *sso.Provider {
	t.Helper()
	p, err := sso.Discover(context.Background(), sso.Config{Issuer: iss.URL, ClientID: iss.ClientID,
		ClientSecret: iss.ClientSecret, RedirectURL: redirect, Claims: claims})
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	return p
}

// authorize walks the provider's login form as a browser would and
// returns the code it sends back, after checking the state.
func authorize(t *testing.T, authURL, login, state string) string {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authorize page: %d", resp.StatusCode)
	}
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("login", login)
	form.Set("action", "approve")
	resp, err = hc.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("login: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.HasPrefix(back.String(), redirect+"?") || back.Query().Get("state") != state {
		t.Fatalf("sent back to %s, want %s with the state", back, redirect)
	}
	return back.Query().Get("code")
}

func TestSignInThroughTheProvider(t *testing.T) {
	t.Parallel()
	iss := oidctest.New(t, "crisisdesk", "s3cret")
	iss.AddUser("mei", oidctest.User{Subject: "u-1", Claims: map[string]any{"groups": []string{"staff", "chiefs"},
		"preferred_username": "mei", "name": "Mei Chan", "email": "mei@example.org", "email_verified": true, "department": "health"}})
	iss.AddUser("guest", oidctest.User{Subject: "u-2", Claims: map[string]any{"groups": []string{"visitors"}, "email": "g@example.org"}})
	p := discover(t, iss)

	login, authURL := p.Start("/desk/crises")
	q, _ := url.Parse(authURL)
	for k, want := range map[string]string{"client_id": "crisisdesk", "redirect_uri": redirect, "response_type": "code",
		"code_challenge_method": "S256", "state": login.State, "nonce": login.Nonce} {
		if got := q.Query().Get(k); got != want {
			t.Errorf("authorisation request %s = %q, want %q", k, got, want)
		}
	}
	if login.Next != "/desk/crises" || login.Verifier == "" || login.State == login.Nonce {
		t.Errorf("login %+v", login)
	}
	id, err := p.Finish(context.Background(), authorize(t, authURL, "mei", login.State), login)
	if err != nil {
		t.Fatal(err)
	}
	want := account.ExternalIdentity{Issuer: iss.URL, Subject: "u-1", PreferredName: "mei", DisplayName: "Mei Chan",
		Email: "mei@example.org", Role: authz.Commander, Department: "health", DepartmentMapped: true}
	id.Values = nil
	if id.Issuer != want.Issuer || id.Subject != want.Subject || id.Role != want.Role || id.Email != want.Email ||
		id.Department != want.Department || !id.DepartmentMapped || id.DisplayName != want.DisplayName {
		t.Errorf("identity %+v, want %+v", id, want)
	}

	// No rule matches: no role, and an unverified address is dropped.
	login, authURL = p.Start("")
	id, err = p.Finish(context.Background(), authorize(t, authURL, "guest", login.State), login)
	if err != nil || id.Role != "" || id.Email != "" || len(id.Values) != 1 {
		t.Errorf("guest %+v %v", id, err)
	}
}

func TestFinishRefusesBadTokens(t *testing.T) {
	t.Parallel()
	iss := oidctest.New(t, "crisisdesk", "s3cret")
	iss.AddUser("mei", oidctest.User{Subject: "u-1", Claims: map[string]any{"groups": "chiefs"}})
	p := discover(t, iss)
	cases := []struct {
		name   string
		tamper func(map[string]any)
		change func(*account.ExternalLogin)
		want   string
	}{
		{"another audience", func(c map[string]any) { c["aud"] = "someone-else" }, nil, "verify"},
		{"expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }, nil, "expired"},
		{"another issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, nil, "verify"},
		{"another nonce", func(c map[string]any) { c["nonce"] = "replayed" }, nil, "nonce"},
		{"wrong verifier", nil, func(l *account.ExternalLogin) { l.Verifier = "not-the-verifier-not-the-verifier-not-the" }, "exchange"},
	}
	for _, c := range cases {
		login, authURL := p.Start("")
		code := authorize(t, authURL, "mei", login.State)
		iss.Tamper = c.tamper
		if c.change != nil {
			c.change(&login)
		}
		_, err := p.Finish(context.Background(), code, login)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line about %q", c.name, err, c.want)
		}
		iss.Tamper = nil
	}
	// A code is good once.
	login, authURL := p.Start("")
	code := authorize(t, authURL, "mei", login.State)
	if _, err := p.Finish(context.Background(), code, login); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Finish(context.Background(), code, login); err == nil {
		t.Error("a code was exchanged twice")
	}
}

func TestDiscoverFailsInOneLine(t *testing.T) {
	t.Parallel()
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>\n<body>\nMaintenance\n</body>\n</html>\n"))
	}))
	t.Cleanup(html.Close)
	missing := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(missing.Close)
	iss := oidctest.New(t, "crisisdesk", "")
	cases := []struct {
		name string
		c    sso.Config
		want string
	}{
		{"unreachable", sso.Config{Issuer: "http://127.0.0.1:1", ClientID: "x", Claims: claims}, "cannot read the discovery document of http://127.0.0.1:1"},
		{"not JSON", sso.Config{Issuer: html.URL, ClientID: "x", Claims: claims}, "cannot read the discovery document of " + html.URL},
		{"no document", sso.Config{Issuer: missing.URL, ClientID: "x", Claims: claims}, "404"},
		{"another issuer", sso.Config{Issuer: iss.URL + "/", ClientID: "x", Claims: claims}, "did not match the issuer URL"},
		{"not a URL", sso.Config{Issuer: "login.example.org", ClientID: "x", Claims: claims}, "not an http(s) URL"},
		{"no client id", sso.Config{Issuer: iss.URL, Claims: claims}, "--oidc-client-id"},
		{"no role map", sso.Config{Issuer: iss.URL, ClientID: "x"}, "--oidc-role-map"},
	}
	for _, c := range cases {
		_, err := sso.Discover(context.Background(), c.c)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line with %q", c.name, err, c.want)
		}
	}
}
