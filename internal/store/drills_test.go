package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// drillDetails is a functional drill of plan planID next week, controlled
// by the commander and observed by the observer.
func (o *office) drillDetails(planID int64) drill.Details {
	start := o.clk.Now().Add(7 * 24 * time.Hour)
	return drill.Details{Title: "Typhoon functional drill", PlanID: planID, Kind: drill.Functional, Level: catalog.LevelII,
		Objectives: []drill.Objective{{Text: "First notice within 30 minutes", Steps: []string{"r1"}, Clocks: []string{"first_notice"}}},
		Scenario:   "Signal 8 at dawn", StartsAt: start, EndsAt: start.Add(3 * time.Hour), Venue: "Operations room",
		Equipment:    []string{"Radios"},
		Participants: []drill.Participant{{UserID: o.users[authz.Liaison].UserID}, {Name: "Press officer", Organisation: "Radio"}},
		ControllerID: o.users[authz.Commander].UserID, Observers: []int64{o.users[authz.Observer].UserID},
		Evaluators: []int64{o.users[authz.Reviewer].UserID}}
}

func TestDrillLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ds := o.st.Drills()
		p := o.signed(t)
		ed, cmd, ap := o.users[authz.Editor], o.users[authz.Commander], o.users[authz.Approver]

		bad := o.drillDetails(p.ID)
		bad.EndsAt = bad.StartsAt.Add(-time.Hour)
		bad.Objectives[0].Steps = []string{"nope"}
		bad.Observers = []int64{99999}
		if _, err := ds.Create(ctx, ed, bad); !hasField(fault.FieldsOf(err), "ends_at") {
			t.Fatalf("end before start: %v", err)
		}
		bad.EndsAt = bad.StartsAt.Add(time.Hour)
		_, err := ds.Create(ctx, ed, bad)
		if f := fault.FieldsOf(err); !hasField(f, "objectives") || !hasField(f, "observers") {
			t.Fatalf("unknown step and observer: %v", err)
		}
		if _, err := ds.Create(ctx, o.users[authz.Observer], o.drillDetails(p.ID)); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer planning: %v", err)
		}
		d, err := ds.Create(ctx, ed, o.drillDetails(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		if d.State != drill.Planned || d.TypeID != o.typ.ID || len(d.Safety.Hazards) == 0 || d.AuthorID != ed.UserID {
			t.Fatalf("created %+v", d)
		}
		if _, err := ds.Start(ctx, cmd, d.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("start without a signed gate: %v", err)
		}
		if _, err := ds.SignSafety(ctx, ap, d.ID); !hasField(fault.FieldsOf(err), "officer_id") {
			t.Fatalf("sign an incomplete gate: %v", err)
		}
		s := d.Safety
		s.OfficerID, s.StopWord = o.users[authz.Liaison].UserID, "REDLINE"
		if _, err := ds.SaveSafety(ctx, ed, d.ID, d.Lock+1, s); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale safety: %v", err)
		}
		if d, err = ds.SaveSafety(ctx, ed, d.ID, d.Lock, s); err != nil {
			t.Fatal(err)
		}
		// The author signing their own gate is refused, whatever the role.
		own, err := ds.Create(ctx, cmd, o.drillDetails(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ds.SaveSafety(ctx, cmd, own.ID, own.Lock, s); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.SignSafety(ctx, cmd, own.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("author signs own gate: %v", err)
		}
		if d, err = ds.SignSafety(ctx, ap, d.ID); err != nil || d.State != drill.Ready || d.Safety.SignedBy != ap.UserID {
			t.Fatalf("signed %+v %v", d, err)
		}
		// A change voids the signature.
		in := d.Details()
		in.Venue = "Harbour"
		if d, err = ds.Save(ctx, ed, d.ID, d.Lock, in); err != nil || d.State != drill.Planned || d.Safety.Signed() {
			t.Fatalf("saved %+v %v", d, err)
		}
		if d, err = ds.SignSafety(ctx, ap, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.Start(ctx, ed, d.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor starts: %v", err)
		}
		if d, err = ds.Start(ctx, cmd, d.ID); err != nil || d.State != drill.Running || d.CrisisID == 0 {
			t.Fatalf("started %+v %v", d, err)
		}
		c, err := o.st.Crises().Get(ctx, d.CrisisID)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Exercise || c.Status != crisis.Active || c.PlanID != p.ID || c.Level != catalog.LevelII {
			t.Fatalf("exercise crisis %+v", c)
		}
		tasks, err := o.st.Crises().Tasks(ctx, c.ID)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("exercise crisis tasks %v %v", tasks, err)
		}
		if got, err := ds.ByCrisis(ctx, c.ID); err != nil || got.ID != d.ID {
			t.Fatalf("by crisis %+v %v", got, err)
		}
		if _, err := ds.Save(ctx, ed, d.ID, d.Lock, d.Details()); !fault.Is(err, fault.Conflict) {
			t.Fatalf("edit a running drill: %v", err)
		}
		if _, err := ds.Stop(ctx, cmd, d.ID, " "); !hasField(fault.FieldsOf(err), "reason") {
			t.Fatalf("stop without a reason: %v", err)
		}
		o.clk.Advance(time.Hour)
		if d, err = ds.Stop(ctx, cmd, d.ID, "A participant fell"); err != nil || d.State != drill.Ended || !d.Stopped ||
			!d.ReportDue.Equal(d.EndedAt.Add(drill.ReportWithin)) {
			t.Fatalf("stopped %+v %v", d, err)
		}
		for _, r := range []authz.Role{authz.Liaison, authz.Commander, authz.Observer, authz.Reviewer} {
			msgs, err := ds.Messages(ctx, o.users[r].UserID, 10)
			if err != nil || len(msgs) != 1 || msgs[0].Kind != "safety_stop" || msgs[0].Text != "A participant fell" {
				t.Errorf("%s messages %+v %v", r, msgs, err)
			}
		}
		if msgs, _ := ds.Messages(ctx, o.users[authz.Editor].UserID, 10); len(msgs) != 0 {
			t.Errorf("editor, not on the drill, told: %+v", msgs)
		}
		list, total, err := ds.List(ctx, drill.Filter{State: drill.Ended})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != d.ID {
			t.Fatalf("list %v %d %v", list, total, err)
		}
	})
}

func TestDrillStartNeedsApprovedPlanAndRollsBack(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ds := o.st.Drills()
		draft, err := o.st.Plans().Create(ctx, o.users[authz.Editor], "draft", o.typ.ID, "Draft plan", typhoonBody())
		if err != nil {
			t.Fatal(err)
		}
		d, err := ds.Create(ctx, o.users[authz.Editor], o.drillDetails(draft.ID))
		if err != nil {
			t.Fatal(err)
		}
		s := d.Safety
		s.OfficerID, s.StopWord = o.users[authz.Liaison].UserID, "REDLINE"
		if d, err = ds.SaveSafety(ctx, o.users[authz.Editor], d.ID, d.Lock, s); err == nil {
			d, err = ds.SignSafety(ctx, o.users[authz.Approver], d.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ds.Start(ctx, o.users[authz.Commander], d.ID); !hasField(fault.FieldsOf(err), "plan_id") {
			t.Fatalf("start with a draft plan: %v", err)
		}
		yes := true
		if cs, _, err := o.st.Crises().List(ctx, crisis.Filter{Exercise: &yes}); err != nil || len(cs) != 0 {
			t.Fatalf("a refused start left crises %v %v", cs, err)
		}
		if got, _ := ds.Get(ctx, d.ID); got.State != drill.Ready {
			t.Fatalf("state after refused start %s", got.State)
		}
	})
}

func TestDrillChecklist(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ds := o.st.Drills()
		if c, err := ds.Checklist(ctx); err != nil || len(c.Hazards) == 0 {
			t.Fatalf("default %v %v", c, err)
		}
		if _, err := ds.SaveChecklist(ctx, o.users[authz.Editor], drill.Checklist{Hazards: []string{"x"}, Measures: []string{"y"}}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor edits the checklist: %v", err)
		}
		if _, err := ds.SaveChecklist(ctx, o.users[authz.Approver], drill.Checklist{Hazards: []string{" "}, Measures: []string{"y"}}); !hasField(fault.FieldsOf(err), "hazards") {
			t.Fatalf("empty hazards: %v", err)
		}
		want := drill.Checklist{Hazards: []string{"Fire"}, Measures: []string{"Extinguishers"}}
		if _, err := ds.SaveChecklist(ctx, o.users[authz.Approver], want); err != nil {
			t.Fatal(err)
		}
		p := o.signed(t)
		d, err := ds.Create(ctx, o.users[authz.Editor], o.drillDetails(p.ID))
		if err != nil || len(d.Safety.Hazards) != 1 || d.Safety.Hazards[0] != "Fire" {
			t.Fatalf("new drill's gate %+v %v", d.Safety, err)
		}
	})
}
