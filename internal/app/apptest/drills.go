package apptest

import (
	"context"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
)

// DrillDetails is a functional drill of w's plan tomorrow at level III:
// w's commander controls it, w's reviewer observes and evaluates, w's
// editor takes part with one outside person.
func (e *Env) DrillDetails(w World) drill.Details {
	start := e.Clock.Now().Add(24 * time.Hour).Truncate(time.Minute)
	return drill.Details{Title: "Typhoon functional drill", PlanID: w.Plan.ID, Kind: drill.Functional, Level: catalog.LevelIII,
		Objectives: []drill.Objective{{Text: "First public notice on time", Clocks: []string{"first_notice"}}},
		Scenario:   "Signal 8 at dawn", StartsAt: start, EndsAt: start.Add(3 * time.Hour), Venue: "Operations room",
		Participants: []drill.Participant{{UserID: w.Editor.ID}, {Name: "Press officer", Organisation: "Radio"}},
		ControllerID: w.Commander.ID, Observers: []int64{w.Reviewer.ID}, Evaluators: []int64{w.Reviewer.ID}}
}

// ReadyDrill plans a drill of DrillDetails by w's editor and has w's
// approver sign its safety gate, w's reviewer in charge of safety.
func (e *Env) ReadyDrill(w World) drill.Drill {
	e.T.Helper()
	ctx := context.Background()
	ds := e.Store.Drills()
	d, err := ds.Create(ctx, As(w.Editor), e.DrillDetails(w))
	if err == nil {
		s := d.Safety
		s.OfficerID, s.StopWord = w.Reviewer.ID, "REDLINE"
		d, err = ds.SaveSafety(ctx, As(w.Editor), d.ID, d.Lock, s)
	}
	if err == nil {
		d, err = ds.SignSafety(ctx, As(w.Approver), d.ID)
	}
	if err != nil {
		e.T.Fatalf("apptest: ready drill: %v", err)
	}
	return d
}
