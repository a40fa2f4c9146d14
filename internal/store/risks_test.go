package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// The default register is there once, with the plan's impact ratings and
// a mitigation for each risk.
func TestRiskDefaults(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		if n, err := o.st.SeedRisks(ctx); err != nil || n != 5 {
			t.Fatalf("seed risks: %d %v", n, err)
		}
		if n, err := o.st.SeedRisks(ctx); err != nil || n != 0 {
			t.Fatalf("seeding twice loaded %d more: %v", n, err)
		}
		list, total, err := o.st.Risks().List(ctx, risk.Filter{})
		if err != nil || total != 5 {
			t.Fatalf("list: %d %v", total, err)
		}
		if list[0].Key != "release" || list[0].Impact != 4 || list[0].Likelihood != 0 || list[0].Band() != risk.High {
			t.Fatalf("the highest risk first: %+v", list[0])
		}
		for _, k := range list[1:] {
			if k.Impact != 3 || k.Band() != risk.Medium {
				t.Errorf("%s: impact %d band %s, want medium", k.Key, k.Impact, k.Band())
			}
			ms, err := o.st.Risks().Mitigations(ctx, k.ID)
			if err != nil || len(ms) != 1 || ms[0].Key != k.Key || ms[0].Status != risk.Planned {
				t.Errorf("%s mitigations: %+v %v", k.Key, ms, err)
			}
		}
	})
}

func TestRiskRegister(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		rs := o.st.Risks()
		ed, cmd, obs, li := o.users[authz.Editor], o.users[authz.Commander], o.users[authz.Observer], o.users[authz.Liaison]
		c, _ := activeCrisis(t, o, false)

		in := risk.Input{Description: "Shelters full before the peak", Category: risk.External, Cause: "Late evacuation",
			Consequence: "People stranded", Impact: 4, OwnerID: li.UserID, Links: []risk.Link{{Kind: "crisis", TargetID: c.ID}}}
		cases := []struct {
			name  string
			edit  func(*risk.Input)
			field string
		}{
			{"impact above 5", func(i *risk.Input) { i.Impact = 6 }, "impact"},
			{"impact unset", func(i *risk.Input) { i.Impact = 0 }, "impact"},
			{"likelihood above 5", func(i *risk.Input) { i.Likelihood = 9 }, "likelihood"},
			{"no description", func(i *risk.Input) { i.Description = " " }, "description"},
			{"unknown category", func(i *risk.Input) { i.Category = "weather" }, "category"},
			{"missing owner", func(i *risk.Input) { i.OwnerID = 99999 }, "owner_id"},
			{"missing crisis", func(i *risk.Input) { i.Links = []risk.Link{{Kind: "crisis", TargetID: 99999}} }, "links"},
		}
		for _, tc := range cases {
			bad := in
			tc.edit(&bad)
			if _, err := rs.Create(ctx, ed, bad); !hasField(fault.FieldsOf(err), tc.field) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := rs.Create(ctx, obs, in); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer raising a risk: %v", err)
		}
		k, err := rs.Create(ctx, ed, in)
		if err != nil {
			t.Fatal(err)
		}
		if k.ReviewMonths != 1 || !k.ReviewDue.Equal(o.clk.Now().AddDate(0, 1, 0)) || k.Band() != risk.High {
			t.Fatalf("created %+v", k)
		}
		// The owner and the risk manager (the commander) are alerted,
		// not who raised it.
		for _, u := range []authz.Actor{li, cmd} {
			al, err := rs.Alerts(ctx, u.UserID, true, 10)
			if err != nil || len(al) != 1 || al[0].Kind != risk.AlertRaised || al[0].RiskID != k.ID {
				t.Fatalf("alerts of %s: %+v %v", u.Name, al, err)
			}
		}
		if al, _ := rs.Alerts(ctx, ed.UserID, true, 10); len(al) != 0 {
			t.Fatalf("who raised it is alerted: %+v", al)
		}

		if _, err := rs.Rate(ctx, ed, k.ID, 2, 7, ""); !hasField(fault.FieldsOf(err), "impact") {
			t.Fatalf("impact 7: %v", err)
		}
		if _, err := rs.Rate(ctx, obs, k.ID, 2, 4, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer rating: %v", err)
		}
		o.clk.Advance(time.Hour)
		if k, err = rs.Rate(ctx, ed, k.ID, 5, 5, "the river is rising"); err != nil {
			t.Fatal(err)
		}
		if k.Score() != 25 || k.Band() != risk.Extreme {
			t.Fatalf("rated %+v", k)
		}
		al, _ := rs.Alerts(ctx, cmd.UserID, true, 10)
		if len(al) != 2 || al[0].Kind != risk.AlertRated || al[0].Trend != risk.TrendRising || al[0].Score != 25 {
			t.Fatalf("rating alert: %+v", al)
		}
		if err := rs.MarkAlertsRead(ctx, cmd, []int64{al[0].ID, al[1].ID}); err != nil {
			t.Fatal(err)
		}
		if al, _ := rs.Alerts(ctx, cmd.UserID, true, 10); len(al) != 0 {
			t.Fatalf("read alerts still unread: %+v", al)
		}
		o.clk.Advance(time.Hour)
		if k, err = rs.Rate(ctx, cmd, k.ID, 2, 4, "evacuated"); err != nil {
			t.Fatal(err)
		}
		history, err := rs.Ratings(ctx, k.ID)
		if err != nil || len(history) != 3 || risk.TrendOf(history) != risk.TrendFalling || history[1].Note != "the river is rising" {
			t.Fatalf("history: %+v %v", history, err)
		}
		// The linked crisis's timeline has the new risk and both ratings.
		tl, err := o.st.Crises().Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var raised, rated int
		for _, e := range tl {
			switch e.Msg.Key {
			case "systext.risk_raised":
				raised++
			case "systext.risk_rated":
				rated++
				if e.Msg.Args["Ref"] != risk.Ref(k.ID) {
					t.Errorf("timeline entry %+v", e)
				}
			}
		}
		if raised != 1 || rated != 2 {
			t.Fatalf("timeline: %d raised, %d rated", raised, rated)
		}
		// Ratings are audited.
		entries, _, err := o.st.Audit().List(ctx, audit.Filter{Entity: "risk", EntityID: strconv.FormatInt(k.ID, 10), Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var rates int
		for _, e := range entries {
			if e.Action == "risk.rate" {
				rates++
			}
		}
		if rates != 2 {
			t.Fatalf("audited ratings: %d of %d entries", rates, len(entries))
		}
		linked, _, err := rs.List(ctx, risk.Filter{Link: risk.Link{Kind: "crisis", TargetID: c.ID}})
		if err != nil || len(linked) != 1 || linked[0].ID != k.ID {
			t.Fatalf("linked to the crisis: %+v %v", linked, err)
		}
		changed, err := rs.Changed(ctx, o.clk.Now().Add(-time.Minute), 10)
		if err != nil || len(changed) != 1 {
			t.Fatalf("changed: %+v %v", changed, err)
		}

		// Details change under the lock, not the rating.
		in.Description, in.Impact = "Shelters full", 1
		if _, err := rs.Save(ctx, ed, k.ID, k.Lock+1, in); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		if k, err = rs.Save(ctx, ed, k.ID, k.Lock, in); err != nil || k.Description != "Shelters full" || k.Impact != 4 {
			t.Fatalf("saved %+v %v", k, err)
		}

		// Mitigations and their execution.
		if _, err := rs.AddMitigation(ctx, ed, k.ID, risk.Mitigation{Text: "Open two more shelters"}); !hasField(fault.FieldsOf(err), "owner_id") {
			t.Fatalf("mitigation without an owner: %v", err)
		}
		m, err := rs.AddMitigation(ctx, ed, k.ID, risk.Mitigation{Text: "Open two more shelters", OwnerID: li.UserID, Due: o.clk.Now().Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rs.TrackMitigation(ctx, obs, m.ID, risk.InProgress, "x"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer tracking: %v", err)
		}
		if m, err = rs.TrackMitigation(ctx, li, m.ID, risk.InProgress, "one open"); err != nil { // the owner may
			t.Fatal(err)
		}
		if m, err = rs.TrackMitigation(ctx, li, m.ID, risk.Done, "both open"); err != nil {
			t.Fatal(err)
		}
		if m.Status != risk.Done || len(m.Log) != 3 || m.DoneAt.IsZero() || m.Log[2].Note != "both open" {
			t.Fatalf("tracked %+v", m)
		}
	})
}

// A risk's review recurs: due a month after it was raised, and a month
// after each review.
func TestRiskReviewClock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		rs := o.st.Risks()
		ed := o.users[authz.Editor]
		start := o.clk.Now()
		k, err := rs.Create(ctx, ed, risk.Input{Description: "Rumours online", Category: risk.Communication, Impact: 3, ReviewMonths: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !k.ReviewDue.Equal(start.AddDate(0, 2, 0)) {
			t.Fatalf("first review due %s", k.ReviewDue)
		}
		o.clk.Advance(40 * 24 * time.Hour)
		if k, err = rs.Review(ctx, ed, k.ID); err != nil {
			t.Fatal(err)
		}
		if !k.ReviewedAt.Equal(o.clk.Now()) || !k.ReviewDue.Equal(o.clk.Now().AddDate(0, 2, 0)) {
			t.Fatalf("after review: %+v", k)
		}
		if _, err := rs.Review(ctx, o.users[authz.Observer], k.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer review: %v", err)
		}
	})
}

// Each review is a clock: due with the review, met by the review, and the
// next one started at once; overdue once its day passes.
func TestRiskReviewDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		rs := o.st.Risks()
		ed, li := o.users[authz.Editor], o.users[authz.Liaison]
		k, err := rs.Create(ctx, ed, risk.Input{Description: "Rumours online", Category: risk.Communication, Impact: 3, OwnerID: li.UserID})
		if err != nil {
			t.Fatal(err)
		}
		subj := deadline.Subject{Kind: "risk", ID: k.ID}
		d, err := o.st.DeadlineOf(ctx, store.ReviewKind, subj)
		if err != nil {
			t.Fatal(err)
		}
		if !d.DueAt.Equal(k.ReviewDue) || d.OwnerID != li.UserID || len(d.Watchers) != 1 || d.Watchers[0] != o.users[authz.Commander].UserID {
			t.Fatalf("review clock %+v", d)
		}
		if d.State(o.clk.Now()) != deadline.Running {
			t.Fatalf("state %s", d.State(o.clk.Now()))
		}
		o.clk.Advance(32 * 24 * time.Hour)
		if d.State(o.clk.Now()) != deadline.Overdue {
			t.Fatalf("a month on: %s", d.State(o.clk.Now()))
		}
		if k, err = rs.Review(ctx, ed, k.ID); err != nil {
			t.Fatal(err)
		}
		all, err := o.st.Deadlines(ctx, deadline.Filter{Kind: store.ReviewKind, SubjectKind: "risk"})
		if err != nil {
			t.Fatal(err)
		}
		var met, open int
		for _, x := range all {
			if x.Subject != subj {
				continue
			}
			switch x.State(o.clk.Now()) {
			case deadline.MetLate:
				met++
			case deadline.Running:
				open++
				if !x.DueAt.Equal(k.ReviewDue) {
					t.Errorf("next review due %s, want %s", x.DueAt, k.ReviewDue)
				}
			}
		}
		if met != 1 || open != 1 {
			t.Fatalf("after the late review: %d met late, %d running of %+v", met, open, all)
		}
	})
}
