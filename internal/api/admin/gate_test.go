package admin_test

import (
	"context"
	"net/http"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store/storetest"
)

// A browser session whose user must change their password reaches only
// /me through the API, as in the UI; an API token is not held back.
func TestMustChangePasswordGatesCookieSessions(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	ctx := context.Background()
	admin := e.Users[authz.Admin]
	if err := e.Store.Accounts().SetPassword(ctx, apptest.CLI, admin.ID, apptest.Password, true); err != nil {
		t.Fatal(err)
	}
	e.Session = storetest.SignIn(t, e.Store, admin.Name, apptest.Password, e.Factor(admin), apptest.StaffClient)
	tests := []struct {
		who, path string
		want      int
	}{
		{apptest.Cookie, "/api/v1/me", http.StatusOK},
		{apptest.Cookie, "/api/v1/users", http.StatusForbidden},
		{string(authz.Commander), "/api/v1/users", http.StatusOK},
	}
	for _, tt := range tests {
		if w := e.Do(tt.who, http.MethodGet, tt.path, ""); w.Status != tt.want {
			t.Errorf("%s GET %s = %d, want %d: %s", tt.who, tt.path, w.Status, tt.want, w.Body)
		}
	}
	if p := apptest.WantProblem(t, e.Do(apptest.Cookie, http.MethodGet, "/api/v1/users", "")); p.Detail == "" {
		t.Error("no detail in the refusal")
	}
}

// A browser session of a role that must use a second factor, signed in
// before setting one up, reaches only /me through the API, as in the UI.
// The same user's API token is single-factor by design and not held.
func TestSecondFactorGatesCookieSessions(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	admin := e.Users[authz.Admin]
	if err := e.Store.Accounts().ResetSecondFactor(context.Background(), apptest.CLI, admin.ID); err != nil {
		t.Fatal(err)
	}
	e.Session = storetest.SignIn(t, e.Store, admin.Name, apptest.Password, nil, apptest.StaffClient)
	tests := []struct {
		who, path string
		want      int
	}{
		{apptest.Cookie, "/api/v1/me", http.StatusOK},
		{apptest.Cookie, "/api/v1/users", http.StatusForbidden},
		{string(authz.Admin), "/api/v1/users", http.StatusOK},
	}
	for _, tt := range tests {
		if w := e.Do(tt.who, http.MethodGet, tt.path, ""); w.Status != tt.want {
			t.Errorf("%s GET %s = %d, want %d: %s", tt.who, tt.path, w.Status, tt.want, w.Body)
		}
	}
	if p := apptest.WantProblem(t, e.Do(apptest.Cookie, http.MethodGet, "/api/v1/users", "")); p.Detail == "" {
		t.Error("no detail in the refusal")
	}
}
