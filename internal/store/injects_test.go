package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// readyDrill plans a drill of a signed plan and signs its safety gate.
func (o *office) readyDrill(t *testing.T) drill.Drill {
	t.Helper()
	ctx := context.Background()
	ds := o.st.Drills()
	d, err := ds.Create(ctx, o.users[authz.Editor], o.drillDetails(o.signed(t).ID))
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
	return d
}

func TestInjectTiming(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ds := o.st.Drills()
		d := o.readyDrill(t)
		ed, cmd := o.users[authz.Editor], o.users[authz.Commander]
		call := drill.Inject{Relative: true, Offset: 10 * time.Minute, From: "Caller at the harbour", To: "liaison",
			Message: "Water is over the quay", Expected: "Warn the district office"}

		cases := []struct {
			name  string
			in    drill.Inject
			field string
		}{
			{"after the window", drill.Inject{Relative: true, Offset: 4 * time.Hour, From: "x", To: "liaison", Message: "m"}, "offset"},
			{"before the window", drill.Inject{At: d.StartsAt.Add(-time.Minute), From: "x", To: "liaison", Message: "m"}, "at"},
			{"no sender", drill.Inject{Relative: true, Offset: time.Minute, To: "liaison", Message: "m"}, "from"},
			{"bad channel", drill.Inject{Relative: true, Offset: time.Minute, From: "x", To: "liaison", Channel: "fax", Message: "m"}, "channel"},
		}
		for _, c := range cases {
			if _, err := ds.AddInject(ctx, ed, d.ID, c.in); !hasField(fault.FieldsOf(err), c.field) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		if _, err := ds.AddInject(ctx, o.users[authz.Observer], d.ID, call); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer adds an inject: %v", err)
		}
		first, err := ds.AddInject(ctx, ed, d.ID, call)
		if err != nil || !first.DueAt.Equal(d.StartsAt.Add(10*time.Minute)) || first.Seq != 1 || first.Channel != "app" {
			t.Fatalf("first %+v %v", first, err)
		}
		second := call
		second.Offset, second.To, second.Message = 20*time.Minute, "u-editor", "A reporter calls"
		if _, err := ds.AddInject(ctx, ed, d.ID, second); err != nil {
			t.Fatal(err)
		}
		// Imports are all or nothing, and name the row.
		if n, err := ds.ImportInjects(ctx, ed, d.ID, []drill.Inject{call, {Relative: true, Offset: 9 * time.Hour, From: "x", To: "y", Message: "m"}}); n != 0 ||
			!hasField(fault.FieldsOf(err), "injects[1].offset") {
			t.Fatalf("bad import: %d %v", n, err)
		}
		if got, _ := ds.Injects(ctx, d.ID); len(got) != 2 {
			t.Fatalf("a refused import left %d injects", len(got))
		}

		// The drill starts an hour early: the offsets count from the start.
		if d, err = ds.Start(ctx, cmd, d.ID); err != nil {
			t.Fatal(err)
		}
		injects, err := ds.Injects(ctx, d.ID)
		if err != nil || len(injects) != 2 || !injects[0].DueAt.Equal(d.StartedAt.Add(10*time.Minute)) {
			t.Fatalf("after the start: %+v %v", injects, err)
		}
		first = injects[0]
		// A job for another time does nothing; the job at its time delivers.
		if ok, err := o.st.DeliverInject(ctx, first.ID, first.DueAt.Add(-time.Minute)); ok || err != nil {
			t.Fatalf("stale job delivered: %v %v", ok, err)
		}
		o.clk.Advance(10 * time.Minute)
		if ok, err := o.st.DeliverInject(ctx, first.ID, first.DueAt); !ok || err != nil {
			t.Fatalf("deliver: %v %v", ok, err)
		}
		if ok, _ := o.st.DeliverInject(ctx, first.ID, first.DueAt); ok {
			t.Fatal("delivered twice")
		}
		msgs, err := ds.Messages(ctx, o.users[authz.Liaison].UserID, 10)
		if err != nil || len(msgs) != 2 || msgs[0].Kind != "inject" || !strings.Contains(msgs[0].Text, "Water is over the quay") {
			t.Fatalf("liaison's messages %+v %v", msgs, err)
		}
		if !timelineHas(t, o, d.CrisisID, "INJECT #1 (EXERCISE)") {
			t.Error("the inject is not on the exercise crisis's timeline")
		}

		// Paused, the second inject waits; resumed 15 minutes later, it
		// falls 15 minutes later, and the job from before does nothing.
		if d, err = ds.Pause(ctx, cmd, d.ID); err != nil {
			t.Fatal(err)
		}
		old := injects[1]
		o.clk.Advance(10 * time.Minute)
		if ok, _ := o.st.DeliverInject(ctx, old.ID, old.DueAt); ok {
			t.Fatal("delivered while paused")
		}
		o.clk.Advance(5 * time.Minute)
		if d, err = ds.Resume(ctx, cmd, d.ID); err != nil {
			t.Fatal(err)
		}
		injects, _ = ds.Injects(ctx, d.ID)
		if !injects[1].DueAt.Equal(old.DueAt.Add(15 * time.Minute)) {
			t.Fatalf("after the pause the inject is due %s, want %s", injects[1].DueAt, old.DueAt.Add(15*time.Minute))
		}
		if ok, _ := o.st.DeliverInject(ctx, old.ID, old.DueAt); ok {
			t.Fatal("the job from before the pause delivered")
		}
		// Added live, fired early and skipped.
		live, err := ds.AddInject(ctx, cmd, d.ID, drill.Inject{Relative: true, Offset: time.Hour, From: "Media", To: "commander", Message: "TV crew at the gate"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ds.FireInject(ctx, ed, live.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor fires: %v", err)
		}
		if live, err = ds.FireInject(ctx, cmd, live.ID); err != nil || live.State != drill.InjectDelivered {
			t.Fatalf("fired %+v %v", live, err)
		}
		if _, err := ds.FireInject(ctx, cmd, live.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("fired twice: %v", err)
		}
		if sk, err := ds.SkipInject(ctx, cmd, injects[1].ID); err != nil || sk.State != drill.InjectSkipped {
			t.Fatalf("skipped %+v %v", sk, err)
		}
		if ok, _ := o.st.DeliverInject(ctx, injects[1].ID, injects[1].DueAt); ok {
			t.Fatal("a skipped inject delivered")
		}
		if msgs, _ := ds.Messages(ctx, o.users[authz.Editor].UserID, 10); len(msgs) != 0 {
			t.Fatalf("the skipped inject reached its person: %+v", msgs)
		}
	})
}

func timelineHas(t *testing.T, o *office, crisisID int64, text string) bool {
	t.Helper()
	entries, err := o.st.Crises().Timeline(context.Background(), crisisID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(rendered(t, "en", e), text) {
			return true
		}
	}
	return false
}
