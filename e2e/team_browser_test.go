package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/team"
)

// TestBrowserTeamOnDuty puts someone on duty through the rota page and
// sees them on duty in the crisis room and on the dashboard; a second,
// overlapping shift for the same person is refused with the field named.
// Every page passes axe.
func TestBrowserTeamOnDuty(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	pl := officeFor(t, a)
	ctx := context.Background()
	sys := authz.System(authz.SourceCLI, "e2e")
	ed, err := a.Store.Accounts().UserByName(ctx, "e2e-editor")
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := a.Store.Accounts().UserByName(ctx, "e2e-commander")
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Store.Crises().Declare(ctx, cmd.Actor(authz.SourceCLI), crisis.Declaration{Title: "Typhoon Koinu", TypeID: pl.TypeID,
		Level: catalog.LevelII, Location: "Harbour district", OccurredAt: time.Now().Add(-30 * time.Minute), Summary: "Signal 8 is hoisted."})
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Store.Team().AddMember(ctx, sys, team.Input{UserID: ed.ID, Name: "Chan Mei-ling", Roles: []string{team.Spokesperson}, Active: true})
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "e2e-commander", crisisPassword)
	p.do("open the rota", chromedp.Navigate(base+"/desk/team/rota"), chromedp.WaitVisible(chromedp.ID("shift-form")))
	p.axeCheck("/desk/team/rota")
	// A window around now wide enough for any office time zone.
	now := time.Now().UTC()
	from, to := now.Add(-36*time.Hour).Format("2006-01-02T15:04"), now.Add(36*time.Hour).Format("2006-01-02T15:04")
	fill := func(role string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("shift-role"), role),
			chromedp.SetValue(chromedp.ID("shift-member"), fmt.Sprint(m.ID)),
			chromedp.SetValue(chromedp.ID("shift-starts"), from),
			chromedp.SetValue(chromedp.ID("shift-ends"), to),
			chromedp.Click(chromedp.ID("shift-submit")),
		}
	}
	p.submit("put Chan on duty", "", "#flash", fill(team.Spokesperson)...)
	if got := p.text("#duty-spokesperson .duty-member"); got != "Chan Mei-ling" {
		t.Fatalf("the rota shows %q on duty as spokesperson", got)
	}
	p.do("back to the rota", chromedp.Navigate(base+"/desk/team/rota"), chromedp.WaitVisible(chromedp.ID("shift-form")))
	p.submit("an overlapping shift", "", "#error-summary", fill(team.Hotline)...)
	if got := p.text("#shift-starts-error"); !strings.Contains(got, "overlap") {
		t.Fatalf("the overlap is explained as %q", got)
	}
	p.axeCheck("/desk/team/rota with an error")

	p.do("open the crisis room", chromedp.Navigate(fmt.Sprintf("%s/desk/crises/%d", base, c.ID)), chromedp.WaitVisible(chromedp.ID("crisis-duty")))
	if got := p.text("#room-duty-spokesperson .duty-member"); got != "Chan Mei-ling" {
		t.Fatalf("the crisis room shows %q on duty as spokesperson", got)
	}
	p.axeCheck("/desk/crises/{id}")
	p.do("open the dashboard", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("dashboard-duty")))
	if got := p.text("#duty-spokesperson .duty-member"); got != "Chan Mei-ling" {
		t.Fatalf("the dashboard shows %q on duty as spokesperson", got)
	}
	p.axeCheck("/desk")
	p.do("open the team", chromedp.Navigate(base+"/desk/team"), chromedp.WaitVisible(chromedp.ID("team-table")))
	p.axeCheck("/desk/team")
	for _, page := range []struct{ path, wait string }{
		{"/desk/team/roles", "role-form"}, {"/desk/team/training", "course-form"}, {"/desk/team/library", "library-form"},
		{"/desk/team/recruitment", "opening-form"}, {"/desk/team/members/new", "member-form"},
		{fmt.Sprintf("/desk/team/members/%d", m.ID), "member-form"},
	} {
		p.do("open "+page.path, chromedp.Navigate(base+page.path), chromedp.WaitVisible(chromedp.ID(page.wait)))
		p.axeCheck(page.path)
	}
}
