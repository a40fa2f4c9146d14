package api

import (
	"context"
	"net/http"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store/storetest"
)

// A browser session whose user must change their password reaches only
// /me through the API, as in the UI; an API token is not held back.
func TestMustChangePasswordGatesCookieSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	admin := e.users[authz.Admin]
	if err := e.st.Accounts().SetPassword(ctx, authz.System(authz.SourceCLI, "test"), admin.ID, testPassword, true); err != nil {
		t.Fatal(err)
	}
	e.session = storetest.SignIn(t, e.st, "u-admin", testPassword, e.factor, account.Client{Address: "192.0.2.1", UserAgent: "test"})
	tests := []struct {
		who, path string
		want      int
	}{
		{cookie, "/api/v1/me", http.StatusOK},
		{cookie, "/api/v1/users", http.StatusForbidden},
		{string(authz.Commander), "/api/v1/users", http.StatusOK},
	}
	for _, tt := range tests {
		if w := e.do(tt.who, http.MethodGet, tt.path, ""); w.Code != tt.want {
			t.Errorf("%s GET %s = %d, want %d: %s", tt.who, tt.path, w.Code, tt.want, w.Body)
		}
	}
	if p := decodeProblem(t, e.do(cookie, http.MethodGet, "/api/v1/users", "")); p.Detail == "" {
		t.Error("no detail in the refusal")
	}
}

// A browser session of a role that must use a second factor, signed in
// before setting one up, reaches only /me through the API, as in the UI.
// The same user's API token is single-factor by design and not held.
func TestSecondFactorGatesCookieSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	if err := e.st.Accounts().ResetSecondFactor(context.Background(), authz.System(authz.SourceCLI, "test"), e.users[authz.Admin].ID); err != nil {
		t.Fatal(err)
	}
	e.session = storetest.SignIn(t, e.st, "u-admin", testPassword, nil, account.Client{Address: "192.0.2.1", UserAgent: "test"})
	tests := []struct {
		who, path string
		want      int
	}{
		{cookie, "/api/v1/me", http.StatusOK},
		{cookie, "/api/v1/users", http.StatusForbidden},
		{string(authz.Admin), "/api/v1/users", http.StatusOK},
	}
	for _, tt := range tests {
		if w := e.do(tt.who, http.MethodGet, tt.path, ""); w.Code != tt.want {
			t.Errorf("%s GET %s = %d, want %d: %s", tt.who, tt.path, w.Code, tt.want, w.Body)
		}
	}
	if p := decodeProblem(t, e.do(cookie, http.MethodGet, "/api/v1/users", "")); p.Detail == "" {
		t.Error("no detail in the refusal")
	}
}
