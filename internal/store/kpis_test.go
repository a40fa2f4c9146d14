package store_test

import (
	"context"
	"crisisdesk/internal/deadline"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/review"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// published drafts, approves and publishes n.
func published(t *testing.T, o *office, n notice.Notice) notice.Notice {
	t.Helper()
	ctx := context.Background()
	ns := o.st.Notices()
	n, err := ns.Create(ctx, o.users[authz.Editor], n)
	if err == nil {
		n, err = ns.Submit(ctx, o.users[authz.Editor], n.ID, "")
	}
	if err == nil {
		n, err = ns.Approve(ctx, o.users[authz.Approver], n.ID, "ok")
	}
	if err == nil {
		n, err = ns.Publish(ctx, o.users[authz.Approver], n.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvaluationReportsKeepTheirVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		c, _ := activeCrisis(t, o, false)
		o.clk.Advance(15 * time.Minute) // first notice 25 minutes after the occurrence
		n := published(t, o, publicNotice(c.ID))
		ev := o.st.Evaluation()
		cmd, ap, rev := o.users[authz.Commander], o.users[authz.Approver], o.users[authz.Reviewer]

		defs, err := ev.Definitions(ctx)
		if err != nil || len(defs) != len(kpi.Keys) {
			t.Fatalf("shipped definitions: %d %v", len(defs), err)
		}
		for _, tc := range []struct {
			def   kpi.Definition
			field string
		}{
			{kpi.Definition{Key: kpi.FirstNotice, ValidFrom: o.clk.Now()}, "formula"},
			{kpi.Definition{Key: kpi.FirstNotice, Formula: "mean"}, "valid_from"},
			{kpi.Definition{Key: kpi.FirstNotice, Formula: "mean", ValidFrom: kpi.Origin.AddDate(-1, 0, 0)}, "valid_from"},
		} {
			if _, err := ev.Define(ctx, cmd, tc.def); !hasField(fault.FieldsOf(err), tc.field) {
				t.Fatalf("definition %+v: want %s refused, got %v", tc.def, tc.field, err)
			}
		}
		if _, err := ev.Define(ctx, o.users[authz.Editor], kpi.Definition{Key: kpi.FirstNotice, Formula: "x", ValidFrom: o.clk.Now()}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor defining: %v", err)
		}

		q := kpi.QuarterOf(o.clk.Now())
		old, err := ev.Generate(ctx, cmd, q, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := kpi.Find(old.Figures, "first_notice.within_target", kpi.Real)
		if f.Value != 100 || f.Version != 1 || old.Versions[kpi.FirstNotice] != 1 {
			t.Fatalf("v1 first notice: %+v %v", f, old.Versions)
		}
		if f, _ := kpi.Find(old.Figures, "first_notice.minutes", kpi.Real); f.Value != 25 {
			t.Fatalf("minutes to first notice: %+v", f)
		}
		v2, err := ev.Define(ctx, cmd, kpi.Definition{Key: kpi.FirstNotice, Formula: "share within 20 minutes", ValidFrom: o.clk.Now(), Target: 20})
		if err != nil || v2.Version != 2 {
			t.Fatalf("v2: %+v %v", v2, err)
		}
		fresh, err := ev.Generate(ctx, cmd, q, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := kpi.Find(fresh.Figures, "first_notice.within_target", kpi.Real); f.Value != 0 || f.Version != 2 {
			t.Fatalf("v2 first notice: %+v", f)
		}
		back, err := ev.Report(ctx, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := kpi.Find(back.Figures, "first_notice.within_target", kpi.Real); f.Value != 100 || f.Version != 1 || back.Versions[kpi.FirstNotice] != 1 {
			t.Fatalf("the old report changed: %+v", f)
		}

		if _, err := ev.Comment(ctx, cmd, old.ID, old.Lock, "A quiet quarter", map[kpi.Key]string{kpi.FirstNotice: "Good"}); err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Sign(ctx, cmd, old.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("author signing: %v", err)
		}
		signed, err := ev.Sign(ctx, ap, old.ID)
		if err != nil || signed.SignedBy != ap.UserID || signed.Summary != "A quiet quarter" {
			t.Fatalf("signed: %+v %v", signed, err)
		}
		if _, err := ev.Comment(ctx, cmd, old.ID, 0, "later", nil); !fault.Is(err, fault.Conflict) {
			t.Fatalf("commenting a signed report: %v", err)
		}

		// The internal audit samples published public notices only.
		draft, err := o.st.Notices().Create(ctx, o.users[authz.Editor], publicNotice(c.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Audit(ctx, rev, kpi.AuditSample{NoticeID: draft.ID, Quarter: q.String(), Accurate: true}); !hasField(fault.FieldsOf(err), "notice_id") {
			t.Fatalf("sampling a draft: %v", err)
		}
		if _, err := ev.Audit(ctx, rev, kpi.AuditSample{NoticeID: n.ID, Quarter: q.String(), Accurate: false, Finding: "wrong district"}); err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Audit(ctx, rev, kpi.AuditSample{NoticeID: n.ID, Quarter: q.String(), Accurate: true}); !hasField(fault.FieldsOf(err), "notice_id") {
			t.Fatalf("sampling twice: %v", err)
		}
		data, err := ev.Data(ctx, q.Start, q.End())
		if err != nil {
			t.Fatal(err)
		}
		figs := kpi.Compute(kpi.Current(defs, o.clk.Now()), data, q.Scope())
		if f, _ := kpi.Find(figs, "accuracy.audit_accurate", kpi.Real); f.N != 1 || f.Value != 0 {
			t.Fatalf("audit figure: %+v", f)
		}
		if f, _ := kpi.Find(figs, "clock_on_time.first_notice", kpi.Real); f.NoData || f.Value != 100 {
			t.Fatalf("first notice clock: %+v", f)
		}
		if f, _ := kpi.Find(figs, "satisfaction.score", kpi.Real); !f.NoData {
			t.Fatalf("satisfaction without a source: %+v", f)
		}
	})
}

func TestReviewClockDraftAndSignature(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		c, _ := activeCrisis(t, o, false)
		published(t, o, publicNotice(c.ID))
		if _, err := o.st.Crises().Close(ctx, o.users[authz.Commander], c.ID, "Signal lowered"); err != nil {
			t.Fatal(err)
		}
		rs := o.st.Reviews()
		so, err := rs.Signoff(ctx, c.ID)
		if err != nil || !so.DueAt.Equal(o.clk.Now().Add(review.Within)) {
			t.Fatalf("review clock: %+v %v", so, err)
		}
		clk, err := o.st.DeadlineOf(ctx, review.ClockKind, deadline.Subject{Kind: "crisis", ID: c.ID})
		if err != nil || !clk.Open() || !clk.DueAt.Equal(so.DueAt) || clk.Link != review.Link(c.ID) {
			t.Fatalf("review deadline: %+v %v", clk, err)
		}
		facts, err := rs.Draft(ctx, c.ID)
		if err != nil || len(facts.Notices) != 1 || len(facts.Clocks) == 0 || facts.TimelineEntries == 0 || len(facts.Pending) != 3 {
			t.Fatalf("draft: %+v %v", facts, err)
		}
		if _, err := rs.Sign(ctx, o.users[authz.Approver], c.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("signing before lessons: %v", err)
		}
		rv, err := o.st.Crises().Review(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rv.Lessons = "台风过后先检查排水。Check the drains after a typhoon."
		rv.ActionItems = []crisis.ActionItem{{Text: "更新排水清單", OwnerID: o.users[authz.Liaison].UserID}}
		if _, err := o.st.Crises().SaveReview(ctx, o.users[authz.Commander], rv); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Sign(ctx, o.users[authz.Commander], c.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("author signing: %v", err)
		}
		so, err = rs.Sign(ctx, o.users[authz.Approver], c.ID)
		if err != nil || !so.Signed() || len(so.Facts.Notices) != 1 {
			t.Fatalf("signed: %+v %v", so, err)
		}
		if clk, err := o.st.DeadlineOf(ctx, review.ClockKind, deadline.Subject{Kind: "crisis", ID: c.ID}); err != nil || clk.MetAt.IsZero() {
			t.Fatalf("signing meets the review deadline: %+v %v", clk, err)
		}
		data, err := o.st.Evaluation().Data(ctx, o.clk.Now().Add(-time.Hour), o.clk.Now().Add(40*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		figs := kpi.Compute(kpi.Current(kpi.Defaults(), o.clk.Now()), data, kpi.Scope{From: o.clk.Now().Add(-time.Hour), To: o.clk.Now().Add(40 * 24 * time.Hour)})
		if f, _ := kpi.Find(figs, "clock_on_time."+review.ClockKind, kpi.Real); f.NoData || f.Value != 100 {
			t.Fatalf("the review clock among the on-time shares: %+v", f)
		}
		if back, _ := rs.Signoff(ctx, c.ID); len(back.Facts.Notices) != 1 || back.SignedBy != o.users[authz.Approver].UserID {
			t.Fatalf("stored signature: %+v", back)
		}

		// The library finds the review, the crisis and the notice in each language.
		lib := o.st.Lessons()
		if n, err := lib.Sync(ctx); err != nil || n < 3 {
			t.Fatalf("sync: %d %v", n, err)
		}
		if n, err := lib.Sync(ctx); err != nil || n != 0 {
			t.Fatalf("second sync copied %d: %v", n, err)
		}
		for _, tc := range []struct {
			name, q string
			want    lessons.Kind
		}{
			{"zh-Hant two characters", "颱風", lessons.Notice},
			{"zh-Hant three characters", "留在室內", lessons.Notice},
			{"zh-Hans", "检查排水", lessons.Review},
			{"zh-Hant action item", "排水清單", lessons.Review},
			{"en any case", "DRAINS typhoon", lessons.Review},
			{"en notice", "stay indoors", lessons.Notice},
			{"closing note", "Signal lowered", lessons.Crisis},
		} {
			hits, err := lib.Search(ctx, lessons.Query{Text: tc.q})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			found := false
			for _, h := range hits {
				found = found || h.Doc.Kind == tc.want && h.Doc.CrisisID == c.ID
			}
			if !found {
				t.Errorf("%s: %q found %+v", tc.name, tc.q, hits)
			}
		}
		if hits, err := lib.Search(ctx, lessons.Query{Text: "地震"}); err != nil || len(hits) != 0 {
			t.Fatalf("nothing about earthquakes: %+v %v", hits, err)
		}
		if _, err := lib.Search(ctx, lessons.Query{Text: " % "}); !hasField(fault.FieldsOf(err), "q") {
			t.Fatalf("empty query: %v", err)
		}
		past, err := lib.ForType(ctx, o.typ.ID, 5)
		if err != nil || len(past) != 1 || past[0].Doc.Kind != lessons.Review {
			t.Fatalf("lessons for the type: %+v %v", past, err)
		}
	})
}
