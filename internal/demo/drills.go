package demo

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/store"
)

// demoDrills adds a tabletop drill of the typhoon plan, completed with its
// approved report and two open improvement actions, and a functional
// drill planned for next week with its injects.
func demoDrills(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, planID int64, now time.Time) error {
	ds := st.Drills()
	ed, rv, ap, cmd := actors[authz.Editor], actors[authz.Reviewer], actors[authz.Approver], actors[authz.Commander]
	lia, obs := actors[authz.Liaison], actors[authz.Observer]
	objectives := []drill.Objective{
		{Text: "Activate the plan within the hour / 一小時內啟動預案", Clocks: []string{"activation"}},
		{Text: "First public notice within 30 minutes / 三十分鐘內發出首則公告", Clocks: []string{"first_notice"}},
	}
	safety := func(d drill.Drill) (drill.Drill, error) {
		s := d.Safety
		s.OfficerID, s.StopWord = lia.UserID, "紅線 REDLINE"
		return ds.SaveSafety(ctx, ed, d.ID, d.Lock, s)
	}

	// The tabletop, two weeks ago in its plan; completed now.
	past := now.Add(-14 * 24 * time.Hour).Truncate(time.Hour)
	tt, err := ds.Create(ctx, ed, drill.Details{Title: "颱風桌面演練 Typhoon tabletop exercise", PlanID: planID, Kind: drill.Tabletop,
		Level: catalog.LevelII, Objectives: objectives, Scenario: "A typhoon passes within 100 km; Signal No. 8 at 05:00.",
		StartsAt: past, EndsAt: past.Add(3 * time.Hour), Venue: "Emergency operations centre, room 2",
		Participants: []drill.Participant{{UserID: lia.UserID}, {UserID: ed.UserID}, {Name: "Radio Harbour newsroom", Organisation: "Radio Harbour", Role: "media"}},
		ControllerID: cmd.UserID, Observers: []int64{obs.UserID}, Evaluators: []int64{rv.UserID}})
	if err == nil {
		tt, err = safety(tt)
	}
	if err == nil {
		tt, err = ds.SignSafety(ctx, ap, tt.ID)
	}
	if err == nil {
		tt, err = ds.Start(ctx, cmd, tt.ID)
	}
	for _, o := range []drill.Observation{
		{Objective: 0, Rating: drill.Performed, Notes: "The commander activated the plan 12 minutes after the signal."},
		{Objective: 1, Rating: drill.MajorChallenges, Notes: "The approver could not be reached; the notice waited 40 minutes."},
	} {
		if err == nil {
			_, err = ds.Observe(ctx, obs, tt.ID, o)
		}
	}
	if err == nil {
		tt, err = ds.End(ctx, cmd, tt.ID, "")
	}
	if err != nil {
		return fmt.Errorf("demo tabletop drill: %w", err)
	}
	r, err := ds.Report(ctx, tt.ID)
	if err == nil {
		r, err = ds.SaveReport(ctx, rv, tt.ID, r.Lock, "The plan was activated on time; the first notice was late because only one approver was on call.",
			r.Strengths, append(r.Improvements, "Keep a second approver on call during typhoon signals."))
	}
	if err == nil {
		_, err = ds.ApproveReport(ctx, ap, tt.ID)
	}
	for _, x := range []drill.Action{
		{Text: "Name a deputy approver for every typhoon signal", OwnerID: cmd.UserID, Due: now.Add(14 * 24 * time.Hour), LinkKind: "plan_step", LinkRef: "typhoon#r1"},
		{Text: "Train two more approvers on the fast path", OwnerID: ap.UserID, Due: now.Add(30 * 24 * time.Hour), LinkKind: "training", LinkRef: "Notice approval course"},
	} {
		if err == nil {
			_, err = ds.AddAction(ctx, rv, tt.ID, x)
		}
	}
	if err != nil {
		return fmt.Errorf("demo tabletop report: %w", err)
	}

	// The functional drill, next week, with its injects.
	next := now.Add(7 * 24 * time.Hour).Truncate(time.Hour)
	fn, err := ds.Create(ctx, ed, drill.Details{Title: "颱風功能演練 Typhoon functional exercise", PlanID: planID, Kind: drill.Functional,
		Level: catalog.LevelII, Objectives: objectives, Scenario: "Signal No. 8 at dawn; a storm surge floods the harbour road.",
		StartsAt: next, EndsAt: next.Add(4 * time.Hour), Venue: "Emergency operations centre",
		Participants: []drill.Participant{{UserID: lia.UserID}, {UserID: ed.UserID}, {UserID: ap.UserID}},
		ControllerID: cmd.UserID, Observers: []int64{obs.UserID}, Evaluators: []int64{rv.UserID}})
	if err == nil {
		fn, err = safety(fn)
	}
	for _, in := range []drill.Inject{
		{Relative: true, Offset: 10 * time.Minute, From: "Caller at the harbour", To: "liaison", Message: "海水漫過碼頭路。Water is over the harbour road.", Expected: "Warn the district office and close the road"},
		{Relative: true, Offset: 40 * time.Minute, From: "Radio Harbour newsroom", To: "editor", Channel: "email", Message: "When will the public be told?", Expected: "Publish the first notice"},
		{Relative: true, Offset: 90 * time.Minute, From: "Health department", To: "commander", Message: "Two people hurt at the ferry pier.", Expected: "Escalate to level I if needed"},
	} {
		if err == nil {
			_, err = ds.AddInject(ctx, ed, fn.ID, in)
		}
	}
	if err != nil {
		return fmt.Errorf("demo functional drill: %w", err)
	}
	return nil
}
