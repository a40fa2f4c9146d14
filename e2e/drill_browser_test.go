package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
)

// TestBrowserDrill takes a functional drill through the browser: the
// approver signs its safety gate, the commander starts it and sees both
// injects arrive in the exercise crisis room, the observer records an
// observation on a 390 px phone, the evaluator writes the report within
// its clock and makes an action, the approver approves the report, the
// owner marks the action done and the approver verifies it, which closes
// the drill.
func TestBrowserDrill(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	pl := officeFor(t, a)
	ctx := context.Background()
	sys := authz.System(authz.SourceCLI, "e2e")
	obs, err := a.Store.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "e2e-watcher", Role: authz.Observer, Password: crisisPassword, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	user := func(name string) account.User {
		u, err := a.Store.Accounts().UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	ed, rv, cmd := user("e2e-editor"), user("e2e-reviewer"), user("e2e-commander")
	start := time.Now().UTC().Truncate(time.Minute)
	ds := a.Store.Drills()
	d, err := ds.Create(ctx, ed.Actor(authz.SourceCLI), drill.Details{Title: "Typhoon functional drill", PlanID: pl.ID,
		Kind: drill.Functional, Level: catalog.LevelII, Scenario: "Signal 8 at dawn", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Venue: "Operations room", Objectives: []drill.Objective{{Text: "First notice on time", Clocks: []string{"first_notice"}}},
		Participants: []drill.Participant{{UserID: ed.ID}}, ControllerID: cmd.ID, Observers: []int64{obs.ID}, Evaluators: []int64{rv.ID}})
	if err == nil {
		s := d.Safety
		s.OfficerID, s.StopWord = cmd.ID, "REDLINE"
		d, err = ds.SaveSafety(ctx, ed.Actor(authz.SourceCLI), d.ID, d.Lock, s)
	}
	for _, msg := range []string{"Water over the harbour road", "A reporter asks for a statement"} {
		if err == nil {
			_, err = ds.AddInject(ctx, ed.Actor(authz.SourceCLI), d.ID, drill.Inject{Relative: true, From: "Caller", To: "editor", Message: msg})
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/desk/drills/%d", base, d.ID)

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	signOut := func() {
		t.Helper()
		p.do("back to the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signout")))
		p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	}

	p.signIn(base, "e2e-approver", crisisPassword)
	p.do("open the drill", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("drill-sign")))
	p.submit("sign the safety gate", "", "#drill-safety-signed", chromedp.Click(chromedp.ID("drill-sign")))
	signOut()

	p.signIn(base, "e2e-commander", crisisPassword)
	p.do("open the drill", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("drill-start")))
	p.submit("start", "", "#drill-crisis", chromedp.Click(chromedp.ID("drill-start")))
	p.submit("open the crisis room", "", "#crisis-room", chromedp.Click(chromedp.ID("drill-crisis")))
	room := p.path()
	// The injects' jobs run as soon as the runner sees them; the room is
	// read again until both are on its timeline.
	deadline := time.Now().Add(60 * time.Second)
	for {
		body := p.text("body")
		if strings.Contains(body, "INJECT #1 (EXERCISE)") && strings.Contains(body, "INJECT #2 (EXERCISE)") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the injects did not reach the crisis room:\n%s", body)
		}
		time.Sleep(500 * time.Millisecond)
		p.do("reload the room", chromedp.Navigate(base+room), chromedp.WaitVisible(chromedp.ID("crisis-room")))
	}
	signOut()

	p.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	p.signIn(base, "e2e-watcher", crisisPassword)
	p.do("open the console", chromedp.Navigate(page+"/observe"), chromedp.WaitVisible(chromedp.ID("observe-form")))
	p.submit("observe", "", "#my-observations",
		chromedp.Click(chromedp.ID("objective-0")),
		chromedp.Click(chromedp.ID("rating-some_challenges")),
		chromedp.SendKeys(chromedp.ID("observe-notes"), "The approver was hard to reach"),
		chromedp.Click(chromedp.ID("observe-submit")))
	wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || wide > 390 {
		t.Errorf("the console is %d px wide on a 390 px phone (%v)", wide, err)
	}
	signOut()
	p.do("a desktop", chromedp.EmulateViewport(1280, 900))

	if _, err := ds.End(ctx, cmd.Actor(authz.SourceCLI), d.ID, ""); err != nil {
		t.Fatal(err)
	}
	p.signIn(base, "e2e-reviewer", crisisPassword)
	p.do("open the report", chromedp.Navigate(page+"/report"), chromedp.WaitVisible(chromedp.ID("report-form")))
	if !strings.Contains(p.text("#report-ratings"), "Performed with some challenges") || !strings.Contains(p.text("#report-due"), "Due by") {
		t.Fatalf("draft report: %s", p.text("main"))
	}
	p.submit("save the report", "", "#report-summary-shown",
		chromedp.SendKeys(chromedp.ID("report-summary"), "Approvals were slow."),
		chromedp.Click(chromedp.ID("report-save")))
	p.submit("add an action", "", "#actions-table",
		chromedp.SendKeys(chromedp.ID("action-text"), "Train a second approver"),
		chromedp.SetValue(chromedp.ID("action-owner"), itoa(ed.ID)),
		chromedp.SetValue(chromedp.ID("action-due"), time.Now().Add(14*24*time.Hour).Format("2006-01-02")),
		chromedp.SetValue(chromedp.ID("action-link-kind"), "training"),
		chromedp.SendKeys(chromedp.ID("action-link-ref"), "Approver course"),
		chromedp.Click(chromedp.ID("action-add")))
	signOut()

	actions, err := ds.Actions(ctx, d.ID)
	if err != nil || len(actions) != 1 {
		t.Fatalf("actions %v %v", actions, err)
	}
	action := itoa(actions[0].ID)
	p.signIn(base, "e2e-editor", crisisPassword)
	p.do("open the report", chromedp.Navigate(page+"/report"), chromedp.WaitVisible(chromedp.ID("action-done-"+action)))
	p.submit("mark the action done", "", "#actions-table", chromedp.Click(chromedp.ID("action-done-"+action)))
	signOut()

	p.signIn(base, "e2e-approver", crisisPassword)
	p.do("open the report", chromedp.Navigate(page+"/report"), chromedp.WaitVisible(chromedp.ID("report-approve")))
	p.submit("approve the report", "", "#report-approved", chromedp.Click(chromedp.ID("report-approve")))
	p.submit("verify the action", "", "#actions-table", chromedp.Click(chromedp.ID("action-verify-"+action)))
	p.do("open the drill", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("drill-state")))
	if got := p.text("#drill-state"); got != "Closed" {
		t.Fatalf("the drill is %q after its report and its only action, want Closed", got)
	}
}
