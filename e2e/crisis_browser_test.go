package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/plan"
)

const crisisPassword = "correct horse battery staple"

// officeFor creates a commander and an approved typhoon plan signed by
// three other people, and returns the plan.
func officeFor(t *testing.T, a *app.App) plan.Plan {
	t.Helper()
	actors := officeUsers(t, a, "e2e-")
	return signedPlan(t, a, actors, "typhoon", plan.Body{
		Steps: []plan.Step{
			{Key: "w1", Phase: plan.Warning, Title: "Open the operations room", Levels: catalog.Levels, OwnerRole: authz.Commander, Deadline: plan.Duration(30 * time.Minute)},
			{Key: "r1", Phase: plan.Response, Title: "Publish the first notice", Levels: catalog.Levels, OwnerRole: authz.Editor, Deadline: plan.Duration(30 * time.Minute)},
		},
	})
}

// officeUsers creates a commander, an editor, a reviewer and an approver
// named prefix+role, with crisisPassword, and returns them as actors. The
// commander and the approver have the second factor their roles require.
func officeUsers(t *testing.T, a *app.App, prefix string) map[authz.Role]authz.Actor {
	t.Helper()
	sys := authz.System(authz.SourceCLI, "e2e")
	actors := map[authz.Role]authz.Actor{}
	for _, r := range []authz.Role{authz.Commander, authz.Editor, authz.Reviewer, authz.Approver} {
		u, err := a.Store.Accounts().CreateUser(context.Background(), sys, account.NewUser{Name: prefix + string(r), Role: r,
			Password: crisisPassword, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		actors[r] = u.Actor(authz.SourceCLI)
		if account.SecondFactorRequired(r) {
			enrolFactor(t, a, u)
		}
	}
	return actors
}

// typhoonType returns the id of the seeded typhoon type.
func typhoonType(t *testing.T, a *app.App) int64 {
	t.Helper()
	types, err := a.Store.Plans().Types(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range types {
		if ty.Code == "typhoon" {
			return ty.ID
		}
	}
	t.Fatal("no typhoon type in the catalogue")
	return 0
}

// signedPlan makes a typhoon plan and has the editor, reviewer and
// approver sign it.
func signedPlan(t *testing.T, a *app.App, actors map[authz.Role]authz.Actor, code string, body plan.Body) plan.Plan {
	t.Helper()
	ctx := context.Background()
	ps := a.Store.Plans()
	p, err := ps.Create(ctx, actors[authz.Editor], code, typhoonType(t, a), "Typhoon plan", body)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		f func(context.Context, authz.Actor, int64, string) (plan.Plan, error)
		r authz.Role
	}{{ps.Submit, authz.Editor}, {ps.Review, authz.Reviewer}, {ps.Approve, authz.Approver}} {
		if p, err = step.f(ctx, actors[step.r], p.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// TestBrowserCrisisRoomLive declares a crisis and activates its plan in one
// tab, ticks a task there, and sees the tick arrive in a second tab
// without a reload.
func TestBrowserCrisisRoomLive(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	pl := officeFor(t, a)
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)

	p.signIn(base, "e2e-commander", crisisPassword)

	occurred := time.Now().UTC().Add(-10 * time.Minute).Format("2006-01-02T15:04")
	p.do("open the declaration form", chromedp.Navigate(base+"/desk/crises/new"), chromedp.WaitVisible(chromedp.ID("declare-form")))
	p.submit("declare", "", "#crisis-room",
		chromedp.SendKeys(chromedp.ID("crisis-title"), "Typhoon Koinu"),
		chromedp.SetValue(chromedp.ID("crisis-type"), fmt.Sprint(pl.TypeID)),
		chromedp.SetValue(chromedp.ID("crisis-level"), "II"),
		chromedp.SendKeys(chromedp.ID("crisis-location"), "Harbour district"),
		chromedp.SetValue(chromedp.ID("crisis-occurred"), occurred),
		// Activate the plan in a step of its own, from the room.
		chromedp.Click(chromedp.ID("crisis-activate")),
		chromedp.Click(chromedp.ID("declare-submit")),
	)
	room := p.path()

	p.submit("activate the plan", "", "#crisis-tasks .task",
		chromedp.SetValue(chromedp.ID("activate-plan"), fmt.Sprint(pl.ID)),
		chromedp.Click(chromedp.ID("activate-submit")),
	)

	// A second viewer of the same crisis room.
	other, closeOther := chromedp.NewContext(browser)
	defer closeOther()
	otherCtx, cancelOther := context.WithTimeout(other, browserTimeout)
	defer cancelOther()
	viewer := &page{t: t, ctx: otherCtx}
	viewer.do("open the crisis room in a second tab", chromedp.Navigate(base+room), chromedp.WaitVisible(chromedp.CSS("#crisis-tasks .task")))
	viewer.do("the second tab is live", chromedp.WaitVisible(chromedp.CSS(`#crisis-room[data-live-state="open"]`)))

	attr, err := chromedp.Run(p.ctx, chromedp.AttributeValue(chromedp.CSS("#crisis-tasks li.task:not(.done)"), "id"))
	if err != nil || attr.Value == "" {
		t.Fatalf("find an open task: %v", err)
	}
	taskID := attr.Value
	p.do("tick the task", chromedp.Click(chromedp.ID(taskID+"-done")), chromedp.WaitVisible(chromedp.CSS("#"+taskID+".done")))
	viewer.do("the tick appears in the other tab without a reload", chromedp.WaitVisible(chromedp.CSS("#"+taskID+".done")))
	viewer.do("and on its timeline", chromedp.WaitVisible(chromedp.CSS("#crisis-timeline")))
}
