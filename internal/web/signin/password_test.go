package signin_test

import (
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	e.UserWith(account.NewUser{Name: "ada", Role: authz.Editor, MustChangePassword: true})
	c := e.Browser()

	res := c.SignInAs("ada", apptest.Password)
	if res.Location() != "/desk/account/password" {
		t.Fatalf("after sign-in went to %q, want /desk/account/password", res.Location())
	}
	// Everything else leads back to the password page.
	for _, p := range []string{"/desk", "/desk/admin/users", "/desk/account/mfa", "/desk/admin/audit"} {
		res := c.Get(p)
		apptest.WantStatus(t, res, http.StatusSeeOther)
		if res.Location() != "/desk/account/password" {
			t.Errorf("GET %s went to %q", p, res.Location())
		}
	}
	res = c.PostForm("/desk/admin/departments/new", url.Values{"code": {"health"}, "name": {"Health"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/desk/account/password" {
		t.Errorf("POST while forced: %d %q", res.Status, res.Location())
	}
	page := c.Get("/desk/account/password")
	apptest.WantStatus(t, page, http.StatusOK)
	apptest.WantBody(t, page, `id="password-forced"`, `id="signout"`)

	steps := []struct {
		name                     string
		current, next, confirm   string
		wantStatus               int
		wantBody, wantErrorField string
	}{
		{"mismatch", apptest.Password, "a brand new passphrase", "a different passphrase", http.StatusUnprocessableEntity, "The two new passwords do not match.", `id="confirm-error"`},
		{"too short", apptest.Password, "short", "short", http.StatusUnprocessableEntity, "Use at least 12 characters", `id="password-error"`},
		{"wrong current", "not my password", "a brand new passphrase", "a brand new passphrase", http.StatusUnprocessableEntity, "The current password is wrong.", `id="current_password-error"`},
		{"same as current", apptest.Password, apptest.Password, apptest.Password, http.StatusUnprocessableEntity, "must differ from the current one", `id="password-error"`},
		{"ok", apptest.Password, "a brand new passphrase", "a brand new passphrase", http.StatusSeeOther, "", ""},
	}
	for _, s := range steps {
		res := c.PostForm("/desk/account/password", url.Values{"current_password": {s.current}, "password": {s.next}, "confirm": {s.confirm}})
		if res.Status != s.wantStatus {
			t.Fatalf("%s: status %d, want %d\n%s", s.name, res.Status, s.wantStatus, apptest.Snippet(res.Body))
		}
		apptest.WantBody(t, res, s.wantBody, s.wantErrorField)
	}
	// The session was renewed: the dashboard opens and confirms.
	home := c.Get("/desk?done=password_changed")
	apptest.WantStatus(t, home, http.StatusOK)
	apptest.WantBody(t, home, "Your password has been changed.")

	other := e.Browser()
	if res := other.PostForm("/signin", url.Values{"name": {"ada"}, "password": {apptest.Password}}); res.Status != http.StatusUnauthorized {
		t.Errorf("old password still signs in: %d", res.Status)
	}
	if res := other.SignInAs("ada", "a brand new passphrase"); res.Location() != "/desk" {
		t.Errorf("new password signs in to %q", res.Location())
	}
}
