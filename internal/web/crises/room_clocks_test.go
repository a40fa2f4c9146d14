package crises_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
)

// The crisis room says what its clocks count from, marks a clock that ran
// out before the declaration, gives the time to activate from the
// occurrence and from the declaration, shows tasks the system completes,
// and lets a commander put the crisis on the public site, confirmed and
// audited.
func TestRoomShowsClockBasisFiguresAndPublic(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ctx := context.Background()
	body := apptest.PlanBody()
	body.Steps = append(body.Steps,
		plan.Step{Phase: plan.Response, Title: "Start the plan", Levels: []catalog.Level{catalog.LevelIII}, OwnerRole: authz.Commander,
			Deadline: plan.Duration(time.Hour), CompletesOn: plan.OnActivated},
		plan.Step{Phase: plan.Response, Title: "Tell the public", Levels: []catalog.Level{catalog.LevelIII}, OwnerRole: authz.Editor,
			Deadline: plan.Duration(time.Hour), CompletesOn: plan.OnFirstNotice})
	p, err := e.Store.Plans().Create(ctx, apptest.As(w.Editor), "typhoon-auto", w.Type.ID, "Typhoon plan with automatic steps", body)
	for _, step := range []func() (plan.Plan, error){
		func() (plan.Plan, error) { return e.Store.Plans().Submit(ctx, apptest.As(w.Editor), p.ID, "") },
		func() (plan.Plan, error) { return e.Store.Plans().Review(ctx, apptest.As(w.Reviewer), p.ID, "") },
		func() (plan.Plan, error) { return e.Store.Plans().Approve(ctx, apptest.As(w.Approver), p.ID, "") },
	} {
		if err != nil {
			break
		}
		p, err = step()
	}
	if err != nil {
		t.Fatal(err)
	}
	// Declared 40 minutes after it occurred: the first notice was due 10
	// minutes before anyone declared it.
	c, err := e.Store.Crises().Declare(ctx, apptest.As(w.Commander), crisis.Declaration{Title: "Typhoon Haikui", TypeID: w.Type.ID,
		Level: catalog.LevelIII, Location: "Harbour", OccurredAt: e.Clock.Now().Add(-40 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Crises().Activate(ctx, apptest.As(w.Commander), c.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if c, err = e.Store.Crises().Get(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	var first crisis.Clock
	for _, k := range c.Clocks {
		if k.Kind == crisis.FirstNoticeClock {
			first = k
		}
	}
	boss := e.SignIn(w.Commander)
	room := fmt.Sprintf("/desk/crises/%d", c.ID)
	res := boss.Get(room)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="crisis-basis">the occurrence<`,
		fmt.Sprintf(`id="clock-%d-basis">counts from the occurrence<`, first.ID),
		fmt.Sprintf(`id="clock-%d-late-at-start"`, first.ID), "Overdue from the start",
		"Time to activate the plan", "40 minutes from the occurrence (0 minutes from the declaration)",
		"-by-system\">Done by the system<", "Completes itself when the first public notice is published",
		`id="crisis-public">Not shown yet`, `id="public-form"`)
	if strings.Contains(res.Body, "Time to the first public notice") {
		t.Error("a figure shows before it happened")
	}
	if n := strings.Count(res.Body, ">Done by the system<"); n != 1 {
		t.Errorf("%d tasks done by the system, want the one that completes on activation", n)
	}
	// An editor sees the room without the action.
	if strings.Contains(e.SignIn(w.Editor).Get(room).Body, `id="public-form"`) {
		t.Error("an editor is offered to show the crisis publicly")
	}

	// Unconfirmed: refused with the box named; nothing shown.
	res = boss.PostForm(room+"/public", url.Values{})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "<title>Error: ", `<a href="#public-confirm">`, "Tick the box to confirm")
	if n := len(e.Entries("crisis.show_public")); n != 0 {
		t.Fatalf("an unconfirmed request was recorded %d times", n)
	}
	res = boss.PostForm(room+"/public", url.Values{"confirm": {"1"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if res.Location() != room+"?done=shown_public" {
		t.Errorf("shown: back to %q", res.Location())
	}
	res = boss.Get(res.Location())
	apptest.WantBody(t, res, "The crisis is on the public site.", "by a commander, before any public notice")
	if strings.Contains(res.Body, `id="public-form"`) {
		t.Error("offered to show a crisis that is shown")
	}
	if n := len(e.Entries("crisis.show_public")); n != 1 {
		t.Errorf("%d audit entries for showing it, want 1", n)
	}
}
