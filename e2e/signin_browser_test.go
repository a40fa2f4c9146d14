package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/config"
	"crisisdesk/internal/oidctest"
)

// TestBrowserSignInWithOfficeAccount sends a real browser through the
// office's identity provider (a real one, in this process): from a staff
// page to the sign-in page, to the provider's login form and back, landing
// where it was going with the role its groups map to. A person whose
// groups map to no role gets a page that says so, and no account.
func TestBrowserSignInWithOfficeAccount(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	iss := oidctest.New(t, "crisisdesk-e2e", "e2e-client-secret")
	iss.AddUser("mei", oidctest.User{Subject: "e2e-mei", Claims: map[string]any{"groups": []string{"staff", "crisis-chiefs"},
		"preferred_username": "mei", "name": "Mei Chan", "email": "mei@example.org", "email_verified": true}})
	iss.AddUser("visitor", oidctest.User{Subject: "e2e-visitor", Claims: map[string]any{"groups": []string{"visitors"}}})
	base, a := bootApp(t, app.Options{Config: config.Config{AdminPassword: "first-admin-password-1",
		OIDCIssuer: iss.URL, OIDCClientID: iss.ClientID, OIDCClientSecret: iss.ClientSecret, OIDCRolesClaim: "groups",
		OIDCRoleMap: []account.RoleRule{{Value: "crisis-chiefs", Role: authz.Commander}, {Value: "staff", Role: authz.Observer}}}})
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)

	p.do("open the crises", chromedp.Navigate(base+"/desk/crises"), chromedp.WaitVisible(chromedp.ID("signin-oidc")))
	p.expectPath("/signin")
	p.submit("choose the office account", "", "#idp-form", chromedp.Click(chromedp.ID("signin-oidc")))
	if !strings.HasPrefix(p.url(), iss.URL+"/authorize?") {
		t.Fatalf("the browser is at %s, want the provider", p.url())
	}
	p.submit("sign in at the provider", "", "#page-title",
		chromedp.SendKeys(chromedp.ID("idp-login"), "mei"), chromedp.Click(chromedp.ID("idp-submit")))
	p.expectPath("/desk/crises")
	if who := p.text("#current-user"); who != "Mei Chan" {
		t.Errorf("signed in as %q, want Mei Chan", who)
	}
	// A commander from the provider may act at once: no local enrolment.
	p.do("open the declaration form", chromedp.Navigate(base+"/desk/crises/new"), chromedp.WaitVisible(chromedp.ID("declare-form")))

	p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	p.submit("choose the office account again", "", "#idp-form", chromedp.Click(chromedp.ID("signin-oidc")))
	p.submit("sign in as a visitor", "", "#signin-refused",
		chromedp.SendKeys(chromedp.ID("idp-login"), "visitor"), chromedp.Click(chromedp.ID("idp-submit")))
	p.do("the desk stays closed", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signin-form")))

	ctx := context.Background()
	u, err := a.Store.Accounts().UserByName(ctx, "mei")
	if err != nil || u.Role != authz.Commander || !u.External || u.Email != "mei@example.org" {
		t.Errorf("mei's account %+v, %v", u, err)
	}
	if _, total, _ := a.Store.Accounts().ListUsers(ctx, account.UserFilter{Query: "visitor"}); total != 0 {
		t.Error("the visitor got an account")
	}
	entries, _, err := a.Store.Audit().List(ctx, audit.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Action == "session.signin" && !strings.Contains(string(e.After), `"method":"oidc"`) {
			continue
		}
		seen[e.Action] = true
	}
	for _, want := range []string{"user.create", "session.signin", "session.oidc_refused"} {
		if !seen[want] {
			t.Errorf("no %s in the audit trail", want)
		}
	}
}

// TestBrowserAdminResetsSecondFactor has an admin remove a commander's lost
// second factor through the confirmation page; the commander is sent to
// set up a new one at the next sign-in.
func TestBrowserAdminResetsSecondFactor(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	actors := officeUsers(t, a, "mfa-")
	root, err := a.Store.Accounts().CreateUser(context.Background(), authz.System(authz.SourceCLI, "e2e"),
		account.NewUser{Name: "mfa-root", Role: authz.Admin, Password: crisisPassword, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	enrolFactor(t, a, root)
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "mfa-root", crisisPassword)
	p.expectPath("/desk")

	chief := actors[authz.Commander]
	p.do("open the commander", chromedp.Navigate(base+"/desk/admin/users/"+itoa(chief.UserID)), chromedp.WaitVisible(chromedp.ID("user-mfa-reset")))
	p.submit("ask to remove the factor", "", "#mfa-reset-form", chromedp.Click(chromedp.ID("user-mfa-reset")))
	p.submit("confirm", "", "#flash", chromedp.Click(chromedp.ID("mfa-reset")))
	if badge := p.text("#user-mfa"); badge != "Two-step sign-in off" {
		t.Errorf("the user page says %q after the reset", badge)
	}
	p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	p.submit("the commander signs in", "", "#enrol-form",
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="name"]`), chief.Name),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="password"]`), crisisPassword),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)))
	p.expectPath("/desk/account/mfa")
}
