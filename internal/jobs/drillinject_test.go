package jobs_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// A drill started (on the injected clock) 15 minutes ago: River delivers
// its inject due 10 minutes after the start, scheduled when the drill
// started, and leaves the one due after 60 minutes waiting.
func TestDrillInjectsArriveAtTheirTime(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		clk := clock.NewFake(time.Now().Add(-15 * time.Minute))
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		if _, err := st.SeedCatalog(ctx); err != nil {
			t.Fatal(err)
		}
		sys := authz.System(authz.SourceCLI, "test")
		who := map[authz.Role]authz.Actor{}
		for _, r := range []authz.Role{authz.Editor, authz.Reviewer, authz.Approver, authz.Commander, authz.Liaison} {
			u, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "u-" + string(r), Role: r, Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			who[r] = u.Actor(authz.SourceUI)
		}
		types, _ := st.Plans().Types(ctx)
		p, err := st.Plans().Create(ctx, who[authz.Editor], "drill-plan", types[0].ID, "Plan", plan.Body{Scope: "All",
			Steps: []plan.Step{{Phase: plan.Response, Title: "Open the room", Levels: []catalog.Level{catalog.LevelIII},
				OwnerRole: authz.Commander, Deadline: plan.Duration(time.Hour)}}})
		if err == nil {
			_, err = st.Plans().Submit(ctx, who[authz.Editor], p.ID, "")
		}
		if err == nil {
			_, err = st.Plans().Review(ctx, who[authz.Reviewer], p.ID, "")
		}
		if err == nil {
			_, err = st.Plans().Approve(ctx, who[authz.Approver], p.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		ds := st.Drills()
		d, err := ds.Create(ctx, who[authz.Editor], drill.Details{Title: "Drill", PlanID: p.ID, Kind: drill.Functional,
			Level: catalog.LevelIII, Objectives: []drill.Objective{{Text: "Act", Clocks: []string{"activation"}}},
			Scenario: "Flood", StartsAt: clk.Now(), EndsAt: clk.Now().Add(2 * time.Hour), Venue: "Room",
			Participants: []drill.Participant{{UserID: who[authz.Liaison].UserID}},
			ControllerID: who[authz.Commander].UserID, Observers: []int64{who[authz.Reviewer].UserID}})
		if err != nil {
			t.Fatal(err)
		}
		var soon, late drill.Inject
		for _, in := range []struct {
			offset time.Duration
			out    *drill.Inject
		}{{10 * time.Minute, &soon}, {60 * time.Minute, &late}} {
			if *in.out, err = ds.AddInject(ctx, who[authz.Editor], d.ID, drill.Inject{Relative: true, Offset: in.offset,
				From: "Caller", To: "liaison", Message: "Flooding"}); err != nil {
				t.Fatal(err)
			}
		}
		s := d.Safety
		s.OfficerID, s.StopWord = who[authz.Liaison].UserID, "STOP"
		if d, err = ds.SaveSafety(ctx, who[authz.Editor], d.ID, d.Lock, s); err == nil {
			d, err = ds.SignSafety(ctx, who[authz.Approver], d.ID)
		}
		if err == nil {
			d, err = ds.Start(ctx, who[authz.Commander], d.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		startRunner(t, st, nil)
		// Wait for the runner to work the due job; the test asserts the
		// outcome, not how long it took.
		deadline := time.Now().Add(30 * time.Second)
		var got []drill.Inject
		for time.Now().Before(deadline) {
			if got, err = ds.Injects(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
			if got[0].State == drill.InjectDelivered {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if got[0].ID != soon.ID || got[0].State != drill.InjectDelivered {
			t.Fatalf("the inject due 10 minutes after the start: %+v", got[0])
		}
		if got[1].ID != late.ID || got[1].State != drill.InjectPending || !got[1].DueAt.Equal(d.StartedAt.Add(time.Hour)) {
			t.Fatalf("the inject due after an hour: %+v", got[1])
		}
		msgs, err := ds.Messages(ctx, who[authz.Liaison].UserID, 10)
		if err != nil || len(msgs) != 1 || msgs[0].Kind != "inject" {
			t.Fatalf("liaison's messages %+v %v", msgs, err)
		}
	})
}
