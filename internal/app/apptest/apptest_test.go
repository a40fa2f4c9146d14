package apptest_test

import (
	"net/http"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// The kit boots the real app; its users sign in through the pages (with
// a second factor where the role needs one) and call the API with tokens.
func TestEnv(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	for _, role := range []authz.Role{authz.Commander, authz.Editor} {
		b, u := e.SignedIn("u-"+string(role), role)
		res := b.Get("/desk")
		apptest.WantStatus(t, res, http.StatusOK)
		apptest.WantBody(t, res, u.DisplayName)
		apptest.WantStatus(t, e.API(e.Token(u), "GET", "/api/v1/me", nil), http.StatusOK)
	}
	apptest.WantStatus(t, e.API("", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
}
