package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestObservationsAndReport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ds := o.st.Drills()
		d := o.readyDrill(t) // observer: u-observer; evaluator: u-reviewer
		obs, ev, cmd, ap := o.users[authz.Observer], o.users[authz.Reviewer], o.users[authz.Commander], o.users[authz.Approver]
		if _, err := ds.Observe(ctx, obs, d.ID, drill.Observation{Rating: drill.Performed}); !fault.Is(err, fault.Conflict) {
			t.Fatalf("observe before the start: %v", err)
		}
		d, err := ds.Start(ctx, cmd, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ds.Observe(ctx, o.users[authz.Liaison], d.ID, drill.Observation{Rating: drill.Performed}); !fault.Is(err, fault.Forbidden) ||
			!strings.Contains(err.Error(), "not an observer") {
			t.Fatalf("an observer not on the drill: %v", err)
		}
		if _, err := ds.Observe(ctx, obs, d.ID, drill.Observation{Objective: 5, Rating: "great"}); !hasField(fault.FieldsOf(err), "objective") ||
			!hasField(fault.FieldsOf(err), "rating") {
			t.Fatalf("bad observation: %v", err)
		}
		o.clk.Advance(20 * time.Minute)
		if _, err := ds.Observe(ctx, obs, d.ID, drill.Observation{Rating: drill.SomeChallenges, Notes: "The notice waited for the approver"}); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.Observe(ctx, ev, d.ID, drill.Observation{Rating: drill.Performed, Notes: "Template ready at once"}); err != nil {
			t.Fatal(err)
		}
		// Private to the evaluators while it runs.
		for _, c := range []struct {
			who  authz.Actor
			want int
		}{{ev, 2}, {obs, 1}, {cmd, 0}} {
			if got, err := ds.Observations(ctx, c.who, d.ID); err != nil || len(got) != c.want {
				t.Errorf("%s sees %d observations (%v), want %d", c.who.Name, len(got), err, c.want)
			}
		}
		if _, err := ds.Report(ctx, d.ID); !fault.Is(err, fault.NotFound) {
			t.Fatalf("a report before the end: %v", err)
		}
		if d, err = ds.End(ctx, cmd, d.ID, ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := ds.Observations(ctx, cmd, d.ID); len(got) != 2 {
			t.Errorf("after the end the commander sees %d observations", len(got))
		}
		r, err := ds.Report(ctx, d.ID)
		if err != nil || len(r.Ratings) != 1 || r.Ratings[0].Rating != drill.SomeChallenges || len(r.Strengths) != 1 ||
			len(r.Improvements) == 0 || len(r.Clocks) == 0 || r.Actions == 0 {
			t.Fatalf("draft %+v %v", r, err)
		}
		c, err := o.st.Crises().Get(ctx, d.CrisisID)
		if err != nil {
			t.Fatal(err)
		}
		var clk crisis.Clock
		for _, k := range c.Clocks {
			if k.Name == drill.ReportClock {
				clk = k
			}
		}
		if !clk.DueAt.Equal(d.EndedAt.Add(7*24*time.Hour)) || !clk.MetAt.IsZero() {
			t.Fatalf("report clock %+v", clk)
		}
		if _, err := ds.SaveReport(ctx, obs, d.ID, r.Lock, "x", nil, nil); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an observer edits the report: %v", err)
		}
		if r, err = ds.SaveReport(ctx, ev, d.ID, r.Lock, "Notices were slow", r.Strengths, append(r.Improvements, "Train approvers")); err != nil {
			t.Fatal(err)
		}
		if _, err := ds.SaveReport(ctx, ev, d.ID, r.Lock-1, "stale", nil, nil); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale report: %v", err)
		}
		// The reviewer wrote it; as an approver the reviewer's role cannot
		// sign, and an approver who wrote it could not either.
		if _, err := ds.ApproveReport(ctx, ev, d.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("author approves: %v", err)
		}
		o.clk.Advance(time.Hour)
		if r, err = ds.ApproveReport(ctx, ap, d.ID); err != nil || r.ApprovedBy != ap.UserID {
			t.Fatalf("approved %+v %v", r, err)
		}
		if got, _ := ds.Get(ctx, d.ID); got.State != drill.Evaluated {
			t.Fatalf("drill is %s after the approval", got.State)
		}
		c, _ = o.st.Crises().Get(ctx, d.CrisisID)
		for _, k := range c.Clocks {
			if k.Name == drill.ReportClock && k.State(o.clk.Now()) != crisis.Met {
				t.Fatalf("report clock after approval %+v", k)
			}
		}
		// Improvements to closure.
		lia := o.users[authz.Liaison]
		fix := drill.Action{Text: "Train a second approver", OwnerID: lia.UserID, Due: o.clk.Now().Add(14 * 24 * time.Hour),
			LinkKind: "training", LinkRef: "Approver course"}
		if _, err := ds.AddAction(ctx, obs, d.ID, fix); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer adds an action: %v", err)
		}
		late := fix
		late.Due, late.LinkKind = o.clk.Now().Add(-time.Hour), "party"
		if _, err := ds.AddAction(ctx, ev, d.ID, late); !hasField(fault.FieldsOf(err), "due") || !hasField(fault.FieldsOf(err), "link_kind") {
			t.Fatalf("bad action: %v", err)
		}
		x, err := ds.AddAction(ctx, ev, d.ID, fix)
		if err != nil || x.State != drill.ActionOpen {
			t.Fatalf("action %+v %v", x, err)
		}
		// The drill's action is on the one action list.
		if got, err := o.st.Actions().List(ctx, action.Filter{Source: action.FromDrill, SourceID: d.ID}); err != nil || len(got) != 1 ||
			got[0].ID != x.ID || got[0].OwnerID != lia.UserID || got[0].CrisisID != d.CrisisID {
			t.Fatalf("drill action on the list: %+v %v", got, err)
		}
		if err := o.st.ActionDue(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := ds.Messages(ctx, lia.UserID, 10); len(msgs) == 0 || msgs[0].Kind != "action_due" {
			t.Fatalf("owner not reminded: %+v", msgs)
		}
		if _, err := ds.Close(ctx, ap, d.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("close with an open action: %v", err)
		}
		if x, err = ds.CompleteAction(ctx, lia, x.ID); err != nil || x.State != drill.ActionDone {
			t.Fatalf("done %+v %v", x, err)
		}
		if _, err := ds.VerifyAction(ctx, lia, x.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("owner verifies: %v", err)
		}
		if x, err = ds.VerifyAction(ctx, ap, x.ID); err != nil || !x.Closed() {
			t.Fatalf("verified %+v %v", x, err)
		}
		if got, _ := ds.Get(ctx, d.ID); got.State != drill.Closed {
			t.Fatalf("drill is %s after its last action closed", got.State)
		}
	})
}
