package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/workplan"
)

func TestWorkPlan(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ws := o.st.Work()
		ed, obs := o.users[authz.Editor], o.users[authz.Observer]
		day := workplan.Day(o.clk.Now())

		if _, err := ws.CreateProgramme(ctx, obs, "Programme", day, true); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer: %v", err)
		}
		if _, err := ws.CreateProgramme(ctx, ed, "", day, true); !hasField(fault.FieldsOf(err), "title") {
			t.Fatalf("no title: %v", err)
		}
		p, err := ws.CreateProgramme(ctx, ed, "Crisis programme 2027", day, true)
		if err != nil {
			t.Fatal(err)
		}
		tasks, err := ws.Tasks(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var top, sub int
		byKey := map[string]workplan.Task{}
		for _, x := range tasks {
			byKey[x.Key] = x
			if x.ParentID == 0 {
				top++
			} else {
				sub++
			}
		}
		if top != 5 || sub != 10 || tasks[0].Key != "release" || tasks[1].Key != "release.platform" {
			t.Fatalf("template: %d tasks, %d sub-tasks, first %q %q", top, sub, tasks[0].Key, tasks[1].Key)
		}
		drills := byKey["drills"]
		if len(drills.DependsOn) != 2 || !drills.Start.Equal(day.AddDate(0, 0, 120)) {
			t.Fatalf("drills: %+v", drills)
		}

		// Bad input is refused with the field named.
		in := workplan.Input{Title: "Buy radios", Start: day, End: day.AddDate(0, 0, 9), Resources: "Budget line 4", OwnerID: ed.UserID}
		bad := in
		bad.End = day.AddDate(0, 0, -1)
		if _, err := ws.AddTask(ctx, ed, p.ID, bad); !hasField(fault.FieldsOf(err), "end") {
			t.Fatalf("end before start: %v", err)
		}
		bad = in
		bad.Percent = 120
		if _, err := ws.AddTask(ctx, ed, p.ID, bad); !hasField(fault.FieldsOf(err), "percent") {
			t.Fatalf("percent 120: %v", err)
		}
		x, err := ws.AddTask(ctx, ed, p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		// release.templates depends on release.platform: making the
		// platform depend on the templates is a cycle; so is drills →
		// team → drills.
		plat := byKey["release.platform"]
		pin := inputOf(plat)
		pin.DependsOn = []int64{byKey["release.templates"].ID}
		if _, err := ws.SaveTask(ctx, ed, plat.ID, plat.Lock, pin); !hasField(fault.FieldsOf(err), "depends_on") {
			t.Fatalf("cycle: %v", err)
		}
		team := byKey["team"]
		tin := inputOf(team)
		tin.DependsOn = []int64{drills.ID}
		if _, err := ws.SaveTask(ctx, ed, team.ID, team.Lock, tin); !hasField(fault.FieldsOf(err), "depends_on") {
			t.Fatalf("longer cycle: %v", err)
		}
		// A dependency on a task of the plan is fine, and progress counts.
		xin := inputOf(x)
		xin.DependsOn, xin.Status, xin.Percent = []int64{plat.ID}, workplan.InProgress, 50
		if x, err = ws.SaveTask(ctx, ed, x.ID, x.Lock, xin); err != nil || x.Percent != 50 || len(x.DependsOn) != 1 {
			t.Fatalf("saved %+v %v", x, err)
		}
		if _, err := ws.SaveTask(ctx, ed, x.ID, x.Lock-1, xin); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale: %v", err)
		}
		xin.Status = workplan.Done
		if x, err = ws.SaveTask(ctx, ed, x.ID, x.Lock, xin); err != nil || x.Percent != 100 {
			t.Fatalf("done is 100 %%: %+v %v", x, err)
		}
		tasks, _ = ws.Tasks(ctx, p.ID)
		if got := workplan.Progress(tasks); got != 100/6 {
			t.Fatalf("progress %d", got)
		}
	})
}

// Overdue work: a sub-task is overdue once its last day has passed
// unfinished.
func TestWorkOverdueClock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ws := o.st.Work()
		ed := o.users[authz.Editor]
		day := workplan.Day(o.clk.Now())
		p, err := ws.CreateProgramme(ctx, ed, "Programme", day, false)
		if err != nil {
			t.Fatal(err)
		}
		x, err := ws.AddTask(ctx, ed, p.ID, workplan.Input{Title: "Sign the plans", Start: day, End: day.AddDate(0, 0, 2), OwnerID: ed.UserID})
		if err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(2 * 24 * time.Hour) // the last day
		if x.Overdue(o.clk.Now()) {
			t.Fatal("overdue on its last day")
		}
		o.clk.Advance(24 * time.Hour)
		if !x.Overdue(o.clk.Now()) {
			t.Fatal("not overdue the day after")
		}
		in := inputOf(x)
		in.Status = workplan.Done
		if x, err = ws.SaveTask(ctx, ed, x.ID, x.Lock, in); err != nil || x.Overdue(o.clk.Now()) {
			t.Fatalf("done and still overdue: %+v %v", x, err)
		}
	})
}

func inputOf(t workplan.Task) workplan.Input {
	return workplan.Input{ParentID: t.ParentID, Title: t.Title, OwnerID: t.OwnerID, Start: t.Start, End: t.End, Resources: t.Resources,
		Importance: t.Importance, Outcome: t.Outcome, Status: t.Status, Percent: t.Percent, DependsOn: t.DependsOn}
}

// Each task is a clock due at the end of its last day: overdue after it,
// met when the task is done.
func TestWorkTaskDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ws := o.st.Work()
		ed := o.users[authz.Editor]
		day := workplan.Day(o.clk.Now())
		p, err := ws.CreateProgramme(ctx, ed, "Programme", day, false)
		if err != nil {
			t.Fatal(err)
		}
		x, err := ws.AddTask(ctx, ed, p.ID, workplan.Input{Title: "Sign the plans", Start: day, End: day.AddDate(0, 0, 2), OwnerID: ed.UserID})
		if err != nil {
			t.Fatal(err)
		}
		subj := deadline.Subject{Kind: "work_task", ID: x.ID}
		d, err := o.st.DeadlineOf(ctx, store.TaskKind, subj)
		if err != nil {
			t.Fatal(err)
		}
		if !d.DueAt.Equal(x.Due()) || d.OwnerID != ed.UserID {
			t.Fatalf("task clock %+v", d)
		}
		o.clk.Advance(4 * 24 * time.Hour)
		if d.State(o.clk.Now()) != deadline.Overdue {
			t.Fatalf("after the last day: %s", d.State(o.clk.Now()))
		}
		in := inputOf(x)
		in.Status = workplan.Done
		if _, err := ws.SaveTask(ctx, ed, x.ID, x.Lock, in); err != nil {
			t.Fatal(err)
		}
		if d, err = o.st.DeadlineOf(ctx, store.TaskKind, subj); err != nil || d.State(o.clk.Now()) != deadline.MetLate {
			t.Fatalf("done late: %+v %v", d, err)
		}
		// A template programme clocks all fifteen tasks.
		tp, err := ws.CreateProgramme(ctx, ed, "From the template", day, true)
		if err != nil {
			t.Fatal(err)
		}
		tasks, _ := ws.Tasks(ctx, tp.ID)
		for _, tk := range tasks {
			if _, err := o.st.DeadlineOf(ctx, store.TaskKind, deadline.Subject{Kind: "work_task", ID: tk.ID}); err != nil {
				t.Fatalf("%s: %v", tk.Key, err)
			}
		}
	})
}
