package admin_test

import (
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"fmt"
	"net/http"
	"testing"
)

func TestAdminResetsSecondFactor(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	admin, au := e.SignedIn("root", authz.Admin)
	chief, cu := e.SignedIn("chief", authz.Commander)
	path := fmt.Sprintf("/desk/admin/users/%d", cu.ID)
	apptest.WantBody(t, admin.Get(path), `id="user-mfa-reset"`, `href="`+path+`/mfa/reset"`)
	confirm := admin.Get(path + "/mfa/reset")
	apptest.WantStatus(t, confirm, http.StatusOK)
	apptest.WantBody(t, confirm, `id="mfa-reset-form"`, `id="reset-mfa-state"`, "recorded in the audit trail")
	apptest.WantStatus(t, chief.PostForm(path+"/mfa/reset", nil), http.StatusForbidden)

	res := admin.PostForm(path+"/mfa/reset", nil)
	if res.Status != http.StatusSeeOther || res.Location() != path+"?done=mfa_reset" {
		t.Fatalf("reset: %d to %q", res.Status, res.Location())
	}
	apptest.WantBody(t, admin.Get(res.Location()), "two-step sign-in was removed")
	if res := chief.Get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("the commander's session outlived the reset: %d", res.Status)
	}
	entries := e.Entries("mfa.reset")
	if len(entries) != 1 || entries[0].ActorID != au.ID || entries[0].EntityID != fmt.Sprint(cu.ID) {
		t.Errorf("reset audited as %+v", entries)
	}
	// Signing in again, the commander must enrol anew.
	again := e.Browser()
	if res := again.SignInAs("chief", apptest.Password); res.Location() != "/desk/account/mfa" {
		t.Errorf("after the reset sign-in went to %q, want the enrolment", res.Location())
	}
}
