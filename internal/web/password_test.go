package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/authz"
)

func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("ada", authz.Editor, true)
	c := e.client()

	res := c.signIn("ada", password)
	if res.location() != "/account/password" {
		t.Fatalf("after sign-in went to %q, want /account/password", res.location())
	}
	// Everything else leads back to the password page.
	for _, p := range []string{"/desk", "/admin/users", "/account/mfa", "/admin/audit"} {
		res := c.get(p)
		wantStatus(t, res, http.StatusSeeOther)
		if res.location() != "/account/password" {
			t.Errorf("GET %s went to %q", p, res.location())
		}
	}
	res = c.post("/admin/departments/new", url.Values{"code": {"health"}, "name": {"Health"}})
	if res.Status != http.StatusSeeOther || res.location() != "/account/password" {
		t.Errorf("POST while forced: %d %q", res.Status, res.location())
	}
	page := c.get("/account/password")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `id="password-forced"`, `id="signout"`)

	steps := []struct {
		name                     string
		current, next, confirm   string
		wantStatus               int
		wantBody, wantErrorField string
	}{
		{"mismatch", password, "a brand new passphrase", "a different passphrase", http.StatusUnprocessableEntity, "The two new passwords do not match.", `id="confirm-error"`},
		{"too short", password, "short", "short", http.StatusUnprocessableEntity, "Use at least 12 characters", `id="password-error"`},
		{"wrong current", "not my password", "a brand new passphrase", "a brand new passphrase", http.StatusUnprocessableEntity, "The current password is wrong.", `id="current_password-error"`},
		{"same as current", password, password, password, http.StatusUnprocessableEntity, "must differ from the current one", `id="password-error"`},
		{"ok", password, "a brand new passphrase", "a brand new passphrase", http.StatusSeeOther, "", ""},
	}
	for _, s := range steps {
		res := c.post("/account/password", url.Values{"current_password": {s.current}, "password": {s.next}, "confirm": {s.confirm}})
		if res.Status != s.wantStatus {
			t.Fatalf("%s: status %d, want %d\n%s", s.name, res.Status, s.wantStatus, snippet(res.Body))
		}
		wantBody(t, res, s.wantBody, s.wantErrorField)
	}
	// The session was renewed: the dashboard opens and confirms.
	home := c.get("/desk?done=password_changed")
	wantStatus(t, home, http.StatusOK)
	wantBody(t, home, "Your password has been changed.")

	other := e.client()
	if res := other.post("/signin", url.Values{"name": {"ada"}, "password": {password}}); res.Status != http.StatusUnauthorized {
		t.Errorf("old password still signs in: %d", res.Status)
	}
	if res := other.signIn("ada", "a brand new passphrase"); res.location() != "/desk" {
		t.Errorf("new password signs in to %q", res.location())
	}
}
