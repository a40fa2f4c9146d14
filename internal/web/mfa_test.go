package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store/storetest"
)

var (
	secretRe   = regexp.MustCompile(`id="mfa-secret">([A-Z2-7]+)<`)
	recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>`)
)

// appCode is what the user's authenticator app shows for secret now, or
// at the next step.
func appCode(t *testing.T, e *env, secret string, ahead int64) string {
	t.Helper()
	c, err := account.TOTPCode(secret, account.TOTPCounter(e.st.Clock().Now())+ahead)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The first admin's first visit: the forced password change, then the
// enrolment the role requires, before anything else; then signing in
// with a code and with a recovery code.
func TestAdminEnrolsBeforeAnythingElse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("ada", authz.Admin, true)
	c := e.client()
	if res := c.signIn("ada", password); res.location() != "/account/password" {
		t.Fatalf("sign-in went to %q", res.location())
	}
	res := c.post("/account/password", url.Values{"current_password": {password}, "password": {"a brand new passphrase"},
		"confirm": {"a brand new passphrase"}})
	if res.Status != http.StatusSeeOther || res.location() != "/account/mfa" {
		t.Fatalf("after the password change: %d to %q, want the enrolment", res.Status, res.location())
	}
	for _, p := range []string{"/desk", "/admin/users", "/account/password", "/account/signins"} {
		if res := c.get(p); res.Status != http.StatusSeeOther || res.location() != "/account/mfa" {
			t.Errorf("GET %s while enrolment is due: %d to %q", p, res.Status, res.location())
		}
	}
	page := c.get("/account/mfa")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `id="mfa-forced"`, `<img id="mfa-qr" src="data:image/png;base64,`, `id="mfa-uri">otpauth://totp/crisisdesk:ada?`, `id="signout"`)
	if strings.Contains(page.Body, `id="nav-dashboard"`) {
		t.Error("the menu is shown while enrolment is due")
	}
	m := secretRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no secret on the page\n%s", snippet(page.Body))
	}
	secret := m[1]
	if again := c.get("/account/mfa"); !strings.Contains(again.Body, secret) {
		t.Error("reloading the page changed the secret the app may have scanned")
	}

	res = c.post("/account/mfa", url.Values{"code": {"000000"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="code-error"`, "This code is wrong")
	res = c.post("/account/mfa", url.Values{"code": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	code := appCode(t, e, secret, 0)
	res = c.post("/account/mfa", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusOK)
	codes := recoveryRe.FindAllStringSubmatch(res.Body, -1)
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d\n%s", len(codes), account.RecoveryCodeCount, snippet(res.Body))
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("recovery codes served with Cache-Control %q", got)
	}
	wantStatus(t, c.get("/desk"), http.StatusOK)
	if n := len(e.entriesOf("mfa.enrol")); n != 1 {
		t.Errorf("%d enrolments audited", n)
	}

	// Signing in again asks for a code after the password.
	other := e.client()
	res = other.post("/signin", url.Values{"name": {"ada"}, "password": {"a brand new passphrase"}, "next": {"/admin/users"}})
	if res.Status != http.StatusSeeOther || res.location() != "/signin/code?next="+url.QueryEscape("/admin/users") {
		t.Fatalf("password step: %d to %q", res.Status, res.location())
	}
	// Nothing is reachable with the pending sign-in alone.
	if res := other.get("/desk"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/signin") {
		t.Errorf("the desk with only a password: %d to %q", res.Status, res.location())
	}
	form := other.get("/signin/code?next=" + url.QueryEscape("/admin/users"))
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, `<form id="code-form"`, `autocomplete="one-time-code"`, `name="next" value="/admin/users"`)
	res = other.post("/signin/code", url.Values{"code": {code}, "next": {"/admin/users"}})
	wantStatus(t, res, http.StatusUnauthorized) // the enrolment's code, replayed
	wantBody(t, res, `id="code-error"`)
	res = other.post("/signin/code", url.Values{"code": {codes[2][1]}, "next": {"/admin/users"}})
	if res.Status != http.StatusSeeOther || res.location() != "/account/mfa?done=recovery_used" {
		t.Fatalf("recovery code: %d to %q\n%s", res.Status, res.location(), snippet(res.Body))
	}
	page = other.get(res.location())
	wantBody(t, page, `id="flash"`, "You signed in with a recovery code.", fmt.Sprintf("%d recovery codes left.", account.RecoveryCodeCount-1))
	if n := len(e.entriesOf("mfa.recovery_used")); n != 1 {
		t.Errorf("%d recovery code uses audited", n)
	}
	if res := other.get("/signin/code"); res.Status != http.StatusSeeOther {
		t.Errorf("the code page after signing in: %d", res.Status)
	}
}

func TestCodePageWithoutPendingSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res := c.get("/signin/code?next=%2Fdesk")
	if res.Status != http.StatusSeeOther || res.location() != "/signin?next=%2Fdesk" {
		t.Errorf("code page with no sign-in: %d to %q", res.Status, res.location())
	}
	res = c.post("/signin/code", url.Values{"code": {"123456"}})
	wantStatus(t, res, http.StatusUnauthorized)
	wantBody(t, res, `id="signin-form"`, "That sign-in has ended")
}

func TestOptionalSecondFactor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, u := e.signedIn("ed", authz.Editor)
	page := c.get("/account/mfa")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "It is optional for your role.", `id="enrol-form"`)
	if strings.Contains(page.Body, `id="mfa-forced"`) {
		t.Error("an editor is told enrolment is due")
	}
	f := storetest.EnrolTOTP(t, e.st, u)
	page = c.get("/account/mfa")
	wantBody(t, page, `id="mfa-status"`, `id="recovery-form"`, `id="disable-form"`)
	res := c.post("/account/mfa/disable", url.Values{"disable_code": {"999999"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="disable_code-error"`)
	res = c.post("/account/mfa/recovery", url.Values{"recovery_code": {f.Code(t)}})
	wantStatus(t, res, http.StatusOK)
	if n := len(recoveryRe.FindAllString(res.Body, -1)); n != account.RecoveryCodeCount {
		t.Errorf("%d new recovery codes shown", n)
	}
	res = c.post("/account/mfa/disable", url.Values{"disable_code": {f.Code(t)}})
	if res.Status != http.StatusSeeOther || res.location() != "/account/mfa?done=mfa_disabled" {
		t.Fatalf("disable: %d to %q\n%s", res.Status, res.location(), snippet(res.Body))
	}
	if got, _ := e.st.Accounts().User(context.Background(), u.ID); got.SecondFactor {
		t.Error("still on")
	}

	// A commander cannot turn it off.
	chief, _ := e.signedIn("chief", authz.Commander)
	page = chief.get("/account/mfa")
	wantBody(t, page, `id="mfa-required"`)
	if strings.Contains(page.Body, `id="disable-form"`) {
		t.Error("a commander is offered to turn the factor off")
	}
	res = chief.post("/account/mfa/disable", url.Values{"disable_code": {e.factors["chief"].Code(t)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Your role requires two-step sign-in")
}

func TestAdminResetsSecondFactor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin, au := e.signedIn("root", authz.Admin)
	chief, cu := e.signedIn("chief", authz.Commander)
	path := fmt.Sprintf("/admin/users/%d", cu.ID)
	wantBody(t, admin.get(path), `id="user-mfa-reset"`, `href="`+path+`/mfa/reset"`)
	confirm := admin.get(path + "/mfa/reset")
	wantStatus(t, confirm, http.StatusOK)
	wantBody(t, confirm, `id="mfa-reset-form"`, `id="reset-mfa-state"`, "recorded in the audit trail")
	wantStatus(t, chief.post(path+"/mfa/reset", nil), http.StatusForbidden)

	res := admin.post(path+"/mfa/reset", nil)
	if res.Status != http.StatusSeeOther || res.location() != path+"?done=mfa_reset" {
		t.Fatalf("reset: %d to %q", res.Status, res.location())
	}
	wantBody(t, admin.get(res.location()), "two-step sign-in was removed")
	if res := chief.get("/desk"); res.Status != http.StatusSeeOther {
		t.Errorf("the commander's session outlived the reset: %d", res.Status)
	}
	entries := e.entriesOf("mfa.reset")
	if len(entries) != 1 || entries[0].ActorID != au.ID || entries[0].EntityID != fmt.Sprint(cu.ID) {
		t.Errorf("reset audited as %+v", entries)
	}
	// Signing in again, the commander must enrol anew.
	again := e.client()
	if res := again.signIn("chief", password); res.location() != "/account/mfa" {
		t.Errorf("after the reset sign-in went to %q, want the enrolment", res.location())
	}
}
