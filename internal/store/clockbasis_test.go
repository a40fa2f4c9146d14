package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// clockOf returns the crisis's clock named name.
func clockOf(t *testing.T, o *office, crisisID int64, name string) crisis.Clock {
	t.Helper()
	c, err := o.st.Crises().Get(context.Background(), crisisID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Clocks {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("crisis %d has no clock %s: %+v", crisisID, name, c.Clocks)
	return crisis.Clock{}
}

// The plan's clocks count from the occurrence: a crisis that occurred 40
// minutes before it was declared starts with its first-notice clock
// overdue. It alerts at once (no 80 % warning), and the timeline and the
// audit trail record it so. Unknown occurrence: the clocks count from the
// detection and say so.
func TestClocksCountFromTheOccurrence(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		o.signed(t)
		cmd := o.users[authz.Commander]
		now := o.clk.Now()
		c, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Landslide", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Po Shan Road", OccurredAt: now.Add(-40 * time.Minute), DetectedAt: now.Add(-35 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		first := clockOf(t, o, c.ID, "first_notice")
		if first.Basis != crisis.FromOccurrence || !first.StartedAt.Equal(now.Add(-40*time.Minute)) ||
			!first.DueAt.Equal(now.Add(-10*time.Minute)) || first.State(now) != crisis.Overdue {
			t.Fatalf("first-notice clock %+v, want overdue from the occurrence", first)
		}
		act := clockOf(t, o, c.ID, "activation")
		if act.Basis != crisis.FromOccurrence || !act.DueAt.Equal(now.Add(-40*time.Minute+24*time.Hour)) || act.State(now) != crisis.Pending {
			t.Fatalf("activation clock %+v", act)
		}

		// Its alert jobs: no warning, the expiry due already (River runs it
		// at once); the activation clock keeps both.
		stages := map[int64][]crisis.Stage{}
		for _, j := range storetest.Jobs[crisis.ClockAlertArgs](t, o.st) {
			stages[j.Args.ClockID] = append(stages[j.Args.ClockID], j.Args.Stage)
		}
		if got := stages[first.ID]; !slices.Equal(got, []crisis.Stage{crisis.ExpiredStage}) {
			t.Fatalf("first-notice alert jobs %v, want the expiry only", got)
		}
		if got := stages[act.ID]; len(got) != 2 {
			t.Fatalf("activation alert jobs %v, want both", got)
		}
		alerts, users, err := o.st.AlertClock(ctx, first.ID, crisis.ExpiredStage)
		if err != nil || len(alerts) == 0 || len(users) == 0 {
			t.Fatalf("alert at once: %d alerts %v", len(alerts), err)
		}
		if warned, _, err := o.st.AlertClock(ctx, first.ID, crisis.WarnStage); err != nil || len(warned) != 0 {
			t.Fatalf("an 80 %% warning after the due time: %d alerts %v", len(warned), err)
		}

		tl, err := o.st.Crises().Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(tl, func(e crisis.Entry) bool {
			return e.Event == "clock_overdue_at_declaration" && strings.Contains(rendered(t, "en", e), "first public notice")
		}) {
			t.Fatalf("no timeline entry for the clock overdue at declaration: %+v", tl)
		}
		entries, _, err := o.st.Audit().List(ctx, audit.Filter{Entity: "crisis", EntityID: strconv.FormatInt(c.ID, 10)})
		if err != nil || len(entries) == 0 {
			t.Fatal(err)
		}
		declared := entries[len(entries)-1]
		if declared.Action != "crisis.declare" || !strings.Contains(string(declared.After), `"overdue_at_declaration":["first_notice"]`) ||
			!strings.Contains(string(declared.After), `"clocks_from":"occurred"`) {
			t.Fatalf("declaration audit %s %s", declared.Action, declared.After)
		}

		// Unknown occurrence: from the detection, saying so.
		u, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Gas smell", TypeID: o.typ.ID,
			Level: catalog.LevelIII, Location: "Mong Kok", DetectedAt: now.Add(-5 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if !u.OccurredAt.IsZero() {
			t.Fatalf("an unknown occurrence read back as %v", u.OccurredAt)
		}
		if k := clockOf(t, o, u.ID, "first_notice"); k.Basis != crisis.FromDetection || !k.DueAt.Equal(now.Add(25*time.Minute)) {
			t.Fatalf("first-notice clock without an occurrence %+v", k)
		}

		// An occurrence in the future is refused, naming the field.
		_, err = o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Later", TypeID: o.typ.ID,
			Level: catalog.LevelIII, Location: "X", OccurredAt: now.Add(time.Hour)})
		if !fault.Is(err, fault.Invalid) || !strings.Contains(err.Error(), "occurred_at") {
			t.Fatalf("an occurrence in the future: %v", err)
		}
	})
}

// completingBody is the typhoon plan with a step per completion event.
func completingBody() plan.Body {
	b := typhoonBody()
	b.Steps = append(b.Steps,
		plan.Step{Key: "e1", Phase: plan.Response, Title: "Log the activation", Levels: []catalog.Level{2}, OwnerRole: authz.Commander,
			Deadline: plan.Duration(time.Hour), CompletesOn: plan.OnActivated},
		plan.Step{Key: "e2", Phase: plan.Response, Title: "Issue the first public notice", Levels: []catalog.Level{2}, OwnerRole: authz.Editor,
			Deadline: plan.Duration(30 * time.Minute), CompletesOn: plan.OnFirstNotice},
		plan.Step{Key: "e3", Phase: plan.Response, Title: "Brief the media", Levels: []catalog.Level{2}, OwnerRole: authz.Editor,
			Deadline: plan.Duration(2 * time.Hour), CompletesOn: plan.NoticePublished(plan.Media)},
		plan.Step{Key: "e4", Phase: plan.Recovery, Title: "Announce recovery", Levels: []catalog.Level{2}, OwnerRole: authz.Commander,
			Deadline: plan.Duration(time.Hour), CompletesOn: plan.OnRecovery},
	)
	return b
}

// A step that names its event completes itself when the event happens,
// done by the system, with its clock met so that it never alerts.
func TestTasksCompleteOnTheirEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ps := o.st.Plans()

		bad := completingBody()
		bad.Steps[0].CompletesOn = "notice_published:everyone"
		if _, err := ps.Create(ctx, o.users[authz.Editor], "bad", o.typ.ID, "Typhoon plan", bad); !fault.Is(err, fault.Invalid) ||
			!strings.Contains(err.Error(), "steps[0].completes_on") {
			t.Fatalf("an event the plan does not know: %v", err)
		}
		p, err := ps.Create(ctx, o.users[authz.Editor], "typhoon", o.typ.ID, "Typhoon plan", completingBody())
		if err == nil {
			_, err = ps.Submit(ctx, o.users[authz.Editor], p.ID, "")
		}
		if err == nil {
			_, err = ps.Review(ctx, o.users[authz.Reviewer], p.ID, "")
		}
		if err == nil {
			p, err = ps.Approve(ctx, o.users[authz.Approver], p.ID, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		cs := o.st.Crises()
		cmd := o.users[authz.Commander]
		c, err := cs.Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID, Level: catalog.LevelII,
			Location: "Harbour", OccurredAt: o.clk.Now().Add(-5 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Activate(ctx, cmd, c.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		task := func(key string) crisis.Task {
			t.Helper()
			tasks, err := cs.Tasks(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range tasks {
				if tk.StepKey == key {
					return tk
				}
			}
			t.Fatalf("no task %s in %+v", key, tasks)
			return crisis.Task{}
		}
		wantDone := func(key string, done bool) {
			t.Helper()
			tk := task(key)
			if tk.Done() != done || (done && !tk.DoneBySystem()) {
				t.Fatalf("task %s: done %v by %d, want done %v by the system", key, tk.Done(), tk.DoneBy, done)
			}
			if done {
				if k := clockOf(t, o, c.ID, "task:"+strconv.FormatInt(tk.ID, 10)); k.MetAt.IsZero() {
					t.Fatalf("task %s done with its clock running: %+v", key, k)
				} else if alerts, _, err := o.st.AlertClock(ctx, k.ID, crisis.ExpiredStage); err != nil || len(alerts) != 0 {
					t.Fatalf("a done task alerted: %d %v", len(alerts), err)
				}
			}
		}
		wantDone("e1", true)
		wantDone("e2", false)
		wantDone("e3", false)
		if task("e1").CompletesOn != plan.OnActivated {
			t.Fatalf("e1 completes on %q", task("e1").CompletesOn)
		}

		o.clk.Advance(10 * time.Minute)
		publish(t, o, publicNotice(c.ID))
		wantDone("e2", true)
		wantDone("e3", false)

		media := publicNotice(c.ID)
		media.Audience = notice.Media
		publish(t, o, media)
		wantDone("e3", true)

		if _, err := cs.Recover(ctx, cmd, c.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantDone("e4", true)

		tl, err := cs.Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var bySystem []string
		for _, e := range tl {
			if e.Event == "task_done" && e.ActorID == 0 {
				bySystem = append(bySystem, rendered(t, "en", e))
			}
		}
		if len(bySystem) != 4 || !strings.Contains(strings.Join(bySystem, "|"), "Brief the media") {
			t.Fatalf("timeline entries by the system: %q", bySystem)
		}
	})
}

// A task clock's alert names the task by its title, not its number.
func TestTaskAlertsNameTheTask(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		c, _ := activeCrisis(t, o, false)
		tasks, err := o.st.Crises().Tasks(ctx, c.ID)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("tasks: %v", err)
		}
		k := clockOf(t, o, c.ID, "task:"+strconv.FormatInt(tasks[0].ID, 10))
		if k.Subject != tasks[0].Title || k.Basis != crisis.FromActivation {
			t.Fatalf("task clock %+v", k)
		}
		o.clk.Set(k.DueAt.Add(time.Minute))
		alerts, _, err := o.st.AlertClock(ctx, k.ID, crisis.ExpiredStage)
		if err != nil || len(alerts) == 0 {
			t.Fatalf("alerts %v", err)
		}
		for _, a := range alerts {
			if a.Subject != tasks[0].Title || !strings.Contains(alertText(t, a), "“"+tasks[0].Title+"”") || strings.Contains(alertText(t, a), "task "+strconv.FormatInt(tasks[0].ID, 10)) {
				t.Fatalf("alert %+v does not name the task by its title", a)
			}
		}
		stored, err := o.st.Crises().Alerts(ctx, alerts[0].UserID, false, 10)
		if err != nil || len(stored) == 0 || stored[0].Subject != tasks[0].Title {
			t.Fatalf("stored alerts %+v %v", stored, err)
		}
	})
}
