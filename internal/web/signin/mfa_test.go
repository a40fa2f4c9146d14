package signin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store/storetest"
)

var (
	secretRe   = regexp.MustCompile(`id="mfa-secret">([A-Z2-7]+)<`)
	recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>`)
)

// appCode is what the user's authenticator app shows for secret now, or
// at the next step.
func appCode(t *testing.T, e *apptest.Env, secret string, ahead int64) string {
	t.Helper()
	c, err := account.TOTPCode(secret, account.TOTPCounter(e.Store.Clock().Now())+ahead)
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
	e := apptest.New(t, apptest.Options{})
	e.UserWith(account.NewUser{Name: "ada", Role: authz.Admin, MustChangePassword: true})
	c := e.Browser()
	if res := c.SignInAs("ada", apptest.Password); res.Location() != "/desk/account/password" {
		t.Fatalf("sign-in went to %q", res.Location())
	}
	res := c.PostForm("/desk/account/password", url.Values{"current_password": {apptest.Password}, "password": {"a brand new passphrase"},
		"confirm": {"a brand new passphrase"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/desk/account/mfa" {
		t.Fatalf("after the password change: %d to %q, want the enrolment", res.Status, res.Location())
	}
	for _, p := range []string{"/desk", "/desk/admin/users", "/desk/account/password", "/desk/account/signins"} {
		if res := c.Get(p); res.Status != http.StatusSeeOther || res.Location() != "/desk/account/mfa" {
			t.Errorf("GET %s while enrolment is due: %d to %q", p, res.Status, res.Location())
		}
	}
	page := c.Get("/desk/account/mfa")
	apptest.WantStatus(t, page, http.StatusOK)
	apptest.WantBody(t, page, `id="mfa-forced"`, `<img id="mfa-qr" src="data:image/png;base64,`, `id="mfa-uri">otpauth://totp/crisisdesk:ada?`, `id="signout"`)
	if strings.Contains(page.Body, `id="nav-dashboard"`) {
		t.Error("the menu is shown while enrolment is due")
	}
	m := secretRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no secret on the page\n%s", apptest.Snippet(page.Body))
	}
	secret := m[1]
	if again := c.Get("/desk/account/mfa"); !strings.Contains(again.Body, secret) {
		t.Error("reloading the page changed the secret the app may have scanned")
	}

	res = c.PostForm("/desk/account/mfa", url.Values{"code": {"000000"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="code-error"`, "This code is wrong")
	res = c.PostForm("/desk/account/mfa", url.Values{"code": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	code := appCode(t, e, secret, 0)
	res = c.PostForm("/desk/account/mfa", url.Values{"code": {code}})
	apptest.WantStatus(t, res, http.StatusOK)
	codes := recoveryRe.FindAllStringSubmatch(res.Body, -1)
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d\n%s", len(codes), account.RecoveryCodeCount, apptest.Snippet(res.Body))
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("recovery codes served with Cache-Control %q", got)
	}
	apptest.WantStatus(t, c.Get("/desk"), http.StatusOK)
	if n := len(e.Entries("mfa.enrol")); n != 1 {
		t.Errorf("%d enrolments audited", n)
	}

	// Signing in again asks for a code after the password.
	other := e.Browser()
	res = other.PostForm("/signin", url.Values{"name": {"ada"}, "password": {"a brand new passphrase"}, "next": {"/desk/admin/users"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/signin/code?next="+url.QueryEscape("/desk/admin/users") {
		t.Fatalf("password step: %d to %q", res.Status, res.Location())
	}
	// Nothing is reachable with the pending sign-in alone.
	if res := other.Get("/desk"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/signin") {
		t.Errorf("the desk with only a password: %d to %q", res.Status, res.Location())
	}
	form := other.Get("/signin/code?next=" + url.QueryEscape("/desk/admin/users"))
	apptest.WantStatus(t, form, http.StatusOK)
	apptest.WantBody(t, form, `<form id="code-form"`, `autocomplete="one-time-code"`, `name="next" value="/desk/admin/users"`)
	res = other.PostForm("/signin/code", url.Values{"code": {code}, "next": {"/desk/admin/users"}})
	apptest.WantStatus(t, res, http.StatusUnauthorized) // the enrolment's code, replayed
	apptest.WantBody(t, res, `id="code-error"`)
	res = other.PostForm("/signin/code", url.Values{"code": {codes[2][1]}, "next": {"/desk/admin/users"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/desk/account/mfa?done=recovery_used" {
		t.Fatalf("recovery code: %d to %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page = other.Get(res.Location())
	apptest.WantBody(t, page, `id="flash"`, "You signed in with a recovery code.", fmt.Sprintf("%d recovery codes left.", account.RecoveryCodeCount-1))
	if n := len(e.Entries("mfa.recovery_used")); n != 1 {
		t.Errorf("%d recovery code uses audited", n)
	}
	if res := other.Get("/signin/code"); res.Status != http.StatusSeeOther {
		t.Errorf("the code page after signing in: %d", res.Status)
	}
}

func TestCodePageWithoutPendingSignIn(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c := e.Browser()
	res := c.Get("/signin/code?next=%2Fdesk")
	if res.Status != http.StatusSeeOther || res.Location() != "/signin?next=%2Fdesk" {
		t.Errorf("code page with no sign-in: %d to %q", res.Status, res.Location())
	}
	res = c.PostForm("/signin/code", url.Values{"code": {"123456"}})
	apptest.WantStatus(t, res, http.StatusUnauthorized)
	apptest.WantBody(t, res, `id="signin-form"`, "That sign-in has ended")
}

func TestOptionalSecondFactor(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, u := e.SignedIn("ed", authz.Editor)
	page := c.Get("/desk/account/mfa")
	apptest.WantStatus(t, page, http.StatusOK)
	apptest.WantBody(t, page, "It is optional for your role.", `id="enrol-form"`)
	if strings.Contains(page.Body, `id="mfa-forced"`) {
		t.Error("an editor is told enrolment is due")
	}
	f := storetest.EnrolTOTP(t, e.Store, u)
	page = c.Get("/desk/account/mfa")
	apptest.WantBody(t, page, `id="mfa-status"`, `id="recovery-form"`, `id="disable-form"`)
	res := c.PostForm("/desk/account/mfa/disable", url.Values{"disable_code": {"999999"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="disable_code-error"`)
	res = c.PostForm("/desk/account/mfa/recovery", url.Values{"recovery_code": {f.Code(t)}})
	apptest.WantStatus(t, res, http.StatusOK)
	if n := len(recoveryRe.FindAllString(res.Body, -1)); n != account.RecoveryCodeCount {
		t.Errorf("%d new recovery codes shown", n)
	}
	res = c.PostForm("/desk/account/mfa/disable", url.Values{"disable_code": {f.Code(t)}})
	if res.Status != http.StatusSeeOther || res.Location() != "/desk/account/mfa?done=mfa_disabled" {
		t.Fatalf("disable: %d to %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	if got, _ := e.Store.Accounts().User(context.Background(), u.ID); got.SecondFactor {
		t.Error("still on")
	}

	// A commander cannot turn it off.
	chief, chiefUser := e.SignedIn("chief", authz.Commander)
	page = chief.Get("/desk/account/mfa")
	apptest.WantBody(t, page, `id="mfa-required"`)
	if strings.Contains(page.Body, `id="disable-form"`) {
		t.Error("a commander is offered to turn the factor off")
	}
	res = chief.PostForm("/desk/account/mfa/disable", url.Values{"disable_code": {e.Factor(chiefUser).Code(t)}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Your role requires two-step sign-in")
}
