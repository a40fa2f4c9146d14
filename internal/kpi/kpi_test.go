package kpi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/kpi"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var q3 = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

func at(days, mins int) time.Time {
	return q3.Add(time.Duration(days)*24*time.Hour + time.Duration(mins)*time.Minute)
}

// fixed is the data set every golden test computes from: four real
// crises and one exercise in 2026-Q3, one real crisis in Q2.
func fixed() kpi.Data {
	return kpi.Data{
		Crises: []kpi.Crisis{
			{ID: 1, TypeID: 7, Level: 2, PlanID: 70, OccurredAt: at(1, 0), ActivatedAt: at(1, 40), FirstNoticeAt: at(1, 25)},
			{ID: 2, TypeID: 7, Level: 1, PlanID: 70, OccurredAt: at(10, 0), ActivatedAt: at(10, 90), FirstNoticeAt: at(10, 50)},
			{ID: 3, TypeID: 8, Level: 3, PlanID: 80, OccurredAt: at(20, 0), ActivatedAt: at(20, 20), FirstNoticeAt: at(20, 12)},
			{ID: 4, TypeID: 8, Level: 3, PlanID: 80, OccurredAt: at(30, 0)}, // never activated, no notice
			{ID: 5, TypeID: 7, Level: 2, PlanID: 70, Exercise: true, OccurredAt: at(40, 0), ActivatedAt: at(40, 5), FirstNoticeAt: at(40, 35)},
			{ID: 6, TypeID: 7, Level: 2, PlanID: 70, OccurredAt: at(-30, 0), ActivatedAt: at(-30, 10), FirstNoticeAt: at(-30, 8)},
		},
		Clocks: []kpi.Clock{
			{CrisisID: 1, PlanID: 70, TypeID: 7, Level: 2, Kind: "first_notice", DueAt: at(1, 30), MetAt: at(1, 25)},
			{CrisisID: 2, PlanID: 70, TypeID: 7, Level: 1, Kind: "first_notice", DueAt: at(10, 30), MetAt: at(10, 50)},
			{CrisisID: 3, PlanID: 80, TypeID: 8, Level: 3, Kind: "first_notice", DueAt: at(20, 30), MetAt: at(20, 12)},
			{CrisisID: 4, PlanID: 80, TypeID: 8, Level: 3, Kind: "first_notice", DueAt: at(30, 30)}, // expired
			{CrisisID: 1, PlanID: 70, TypeID: 7, Level: 2, Kind: "task", DueAt: at(1, 120), MetAt: at(1, 100)},
			{CrisisID: 1, PlanID: 70, TypeID: 7, Level: 2, Kind: "task", DueAt: at(1, 120), Cancelled: true},
			{CrisisID: 2, PlanID: 70, TypeID: 7, Level: 1, Kind: "cadence", DueAt: at(10, 240), MetAt: at(10, 200)},
			{CrisisID: 5, PlanID: 70, TypeID: 7, Level: 2, Kind: "first_notice", Exercise: true, DueAt: at(40, 30), MetAt: at(40, 35)},
			{CrisisID: 2, TypeID: 7, Level: 1, Kind: "feedback_reply", DueAt: at(11, 0), MetAt: at(10, 600)},
		},
		Notices: []kpi.Notice{
			{ID: 11, CrisisID: 1, TypeID: 7, Level: 2, Public: true, PublishedAt: at(1, 25)},
			{ID: 12, CrisisID: 1, TypeID: 7, Level: 2, Public: true, PublishedAt: at(1, 90)},
			{ID: 13, CrisisID: 1, TypeID: 7, Level: 2, Public: true, Correction: true, Factual: true, References: 11, PublishedAt: at(1, 95)},
			{ID: 14, CrisisID: 1, TypeID: 7, Level: 2, Public: true, Correction: true, Factual: true, References: 13, PublishedAt: at(1, 99)},
			{ID: 21, CrisisID: 2, TypeID: 7, Level: 1, Public: true, PublishedAt: at(10, 50)},
			{ID: 22, CrisisID: 2, TypeID: 7, Level: 1, Public: true, Correction: true, References: 21, PublishedAt: at(10, 70)}, // not factual
			{ID: 31, CrisisID: 3, TypeID: 8, Level: 3, Public: true, PublishedAt: at(20, 12)},
			{ID: 51, CrisisID: 5, TypeID: 7, Level: 2, Public: true, Exercise: true, PublishedAt: at(40, 35)},
			{ID: 52, CrisisID: 5, TypeID: 7, Level: 2, Public: true, Exercise: true, Correction: true, Factual: true, References: 51, PublishedAt: at(40, 50)},
		},
		Audits: []kpi.AuditSample{
			{NoticeID: 11, TypeID: 7, Level: 2, Quarter: "2026-Q3", Accurate: false, Finding: "wrong road", At: at(50, 0)},
			{NoticeID: 12, TypeID: 7, Level: 2, Quarter: "2026-Q3", Accurate: true, At: at(50, 0)},
			{NoticeID: 21, TypeID: 7, Level: 1, Quarter: "2026-Q3", Accurate: true, At: at(50, 0)},
			{NoticeID: 31, TypeID: 8, Level: 3, Quarter: "2026-Q3", Accurate: true, At: at(50, 0)},
		},
		Drills: []kpi.Drill{
			{ID: 1, TypeID: 7, Level: 2, PlanID: 70, EndedAt: at(40, 180), Problems: 3, Actions: 4, ClosedOnTime: 3, Rated: 5, Performed: 2},
			{ID: 2, TypeID: 8, Level: 3, PlanID: 80, EndedAt: at(60, 0), Problems: 1, Actions: 1, ClosedOnTime: 0, Rated: 2, Performed: 2},
		},
		Deliveries: []kpi.Delivery{
			{NoticeID: 11, TypeID: 7, Level: 2, PublishedAt: at(1, 25), Recipients: 1000, Reached: 990, To95: 4 * time.Minute},
			{NoticeID: 21, TypeID: 7, Level: 1, PublishedAt: at(10, 50), Recipients: 500, Reached: 450},
			{NoticeID: 31, TypeID: 8, Level: 3, PublishedAt: at(20, 12), Recipients: 200, Reached: 200, To95: 2 * time.Minute},
		},
	}
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), got) {
		t.Fatalf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestGoldenFigures(t *testing.T) {
	t.Parallel()
	defs := kpi.Current(kpi.Defaults(), q3)
	q, err := kpi.ParsePeriod("2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	d := fixed()
	d.Plugged = map[kpi.Key]map[kpi.Series]kpi.Value{kpi.PluggedSatisfaction: {kpi.Real: {Value: 4.2, N: 31}}}
	tests := []struct {
		name  string
		scope kpi.Scope
	}{
		{"quarter.golden", q.Scope()},
		{"quarter_type7.golden", kpi.Scope{From: q.Start, To: q.End(), TypeID: 7}},
		{"quarter_level3.golden", kpi.Scope{From: q.Start, To: q.End(), Level: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, kpi.Compute(defs, d, tc.scope))
		})
	}
	figs := kpi.Compute(defs, d, q.Scope())
	checks := []struct {
		id     string
		series kpi.Series
		want   float64
		noData bool
	}{
		{"response_time.minutes", kpi.Real, 40, false},                     // 20, 40, 90
		{"first_notice.minutes", kpi.Real, 25, false},                      // 12, 25, 50
		{"first_notice.within_target", kpi.Real, 66.7, false},              // 2 of 3
		{"first_notice.minutes", kpi.Exercise, 35, false},                  // kept apart
		{"clock_on_time.first_notice", kpi.Real, 50, false},                // 2 of 4 (one late, one expired)
		{"clock_on_time.task", kpi.Real, 100, false},                       // the cancelled one does not count
		{"clock_on_time.feedback_reply", kpi.Real, 100, false},             // a deadline kind
		{"accuracy.factual_corrections_per_notice", kpi.Real, 0.25, false}, // 11 (corrected through 13 and 14) of 11, 12, 21, 31
		{"accuracy.audit_accurate", kpi.Real, 75, false},
		{"accuracy.confirmed_error_reports", kpi.Real, 0, true},
		{"drill.actions_on_time", kpi.Exercise, 60, false},
		{"drill.objectives_performed", kpi.Exercise, 57.1, false},
		{"delivery_reach.reached", kpi.Real, 96.5, false},
		{"satisfaction.score", kpi.Real, 4.2, false},
		{"rumour_clarify.minutes", kpi.Real, 0, true},
	}
	for _, c := range checks {
		f, ok := kpi.Find(figs, c.id, c.series)
		if !ok || f.NoData != c.noData || (!c.noData && f.Value != c.want) {
			t.Errorf("%s %s = %+v, want %v (no data %v)", c.id, c.series, f, c.want, c.noData)
		}
	}
}

// TestNewVersionKeepsOldReports: a definition change is a new dated
// version; a report generated before keeps its figures and version.
func TestNewVersionKeepsOldReports(t *testing.T) {
	t.Parallel()
	all := kpi.Defaults()
	q, _ := kpi.ParsePeriod("2026-Q3")
	old := kpi.NewReport(q, 0, 0, kpi.Current(all, q3), fixed(), 1, q3)
	stored, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	v2 := kpi.Definition{Key: kpi.FirstNotice, Version: 2, ValidFrom: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Formula: "mean minutes from occurrence to first public notice; share within 20 minutes", Statistic: kpi.Mean, Target: 20}
	if err := v2.Validate(); err != nil {
		t.Fatal(err)
	}
	all = append(all, v2)
	if got := kpi.Current(all, time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC))[kpi.FirstNotice].Version; got != 1 {
		t.Fatalf("before its date the old version applies, got %d", got)
	}
	now := time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)
	fresh := kpi.NewReport(q, 0, 0, kpi.Current(all, now), fixed(), 1, now)
	if fresh.Versions[kpi.FirstNotice] != 2 || old.Versions[kpi.FirstNotice] != 1 {
		t.Fatalf("versions: old %d new %d", old.Versions[kpi.FirstNotice], fresh.Versions[kpi.FirstNotice])
	}
	f, _ := kpi.Find(fresh.Figures, "first_notice.minutes", kpi.Real)
	if f.Value != 29 || f.Version != 2 { // mean of 12, 25, 50
		t.Fatalf("new version: %+v", f)
	}
	var back kpi.Report
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	g, _ := kpi.Find(back.Figures, "first_notice.minutes", kpi.Real)
	if g.Value != 25 || g.Version != 1 {
		t.Fatalf("the old report changed: %+v", g)
	}
	golden(t, "report_v1.golden", old.Figures)
	golden(t, "report_v2.golden", fresh.Figures)
}

func TestDefinitionRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		def   kpi.Definition
		field string
	}{
		{"no formula", kpi.Definition{Key: kpi.FirstNotice, ValidFrom: q3, Formula: "  "}, "formula"},
		{"no version date", kpi.Definition{Key: kpi.FirstNotice, Formula: "median"}, "valid_from"},
		{"unknown figure", kpi.Definition{Key: "speed", ValidFrom: q3, Formula: "x"}, "key"},
		{"bad statistic", kpi.Definition{Key: kpi.FirstNotice, ValidFrom: q3, Formula: "x", Statistic: "mode"}, "statistic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.def.Validate()
			found := false
			for _, f := range fault.FieldsOf(err) {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Fatalf("want a refusal on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestSignNeverByAuthor(t *testing.T) {
	t.Parallel()
	r := kpi.Report{ID: 1, AuthorID: 5}
	if _, err := kpi.Sign(r, authz.Actor{UserID: 5, Role: authz.Approver}, q3); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author signing: %v", err)
	}
	if _, err := kpi.Sign(r, authz.Actor{UserID: 6, Role: authz.Editor}, q3); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("editor signing: %v", err)
	}
	s, err := kpi.Sign(r, authz.Actor{UserID: 6, Role: authz.Approver}, q3)
	if err != nil || !s.Signed() || s.SignedBy != 6 {
		t.Fatalf("approver signing: %+v %v", s, err)
	}
	if _, err := kpi.Sign(s, authz.Actor{UserID: 7, Role: authz.Approver}, q3); !fault.Is(err, fault.Conflict) {
		t.Fatalf("signing twice: %v", err)
	}
}

func TestAuditRefusesNonPublic(t *testing.T) {
	t.Parallel()
	rev := authz.Actor{UserID: 3, Role: authz.Reviewer}
	tests := []struct {
		name              string
		published, public bool
		sample            kpi.AuditSample
		field             string
	}{
		{"internal notice", true, false, kpi.AuditSample{NoticeID: 1, Quarter: "2026-Q3", Accurate: true}, "notice_id"},
		{"draft", false, true, kpi.AuditSample{NoticeID: 1, Quarter: "2026-Q3", Accurate: true}, "notice_id"},
		{"inaccurate without finding", true, true, kpi.AuditSample{NoticeID: 1, Quarter: "2026-Q3"}, "finding"},
		{"bad quarter", true, true, kpi.AuditSample{NoticeID: 1, Quarter: "2026-07", Accurate: true}, "quarter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.CheckAudit(rev, tc.sample, tc.published, tc.public)
			found := false
			for _, f := range fault.FieldsOf(err) {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Fatalf("want a refusal on %s, got %v", tc.field, err)
			}
		})
	}
	if _, err := kpi.CheckAudit(rev, kpi.AuditSample{NoticeID: 1, Quarter: "2026-Q3", Accurate: true}, true, true); err != nil {
		t.Fatal(err)
	}
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, end string }{{"2026-Q4", "2027-Q1"}, {"2026-02", "2026-03"}, {"2026", "2027"}} {
		p, err := kpi.ParsePeriod(tc.in)
		if err != nil || p.String() != tc.in || p.Shift(1).String() != tc.end {
			t.Errorf("%s: %v %v %v", tc.in, p, p.Shift(1), err)
		}
	}
	for _, bad := range []string{"", "26-Q1", "2026-Q5", "2026-13", "x"} {
		if _, err := kpi.ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDistributionAndHeatMap(t *testing.T) {
	t.Parallel()
	q, _ := kpi.ParsePeriod("2026-Q3")
	d := fixed()
	golden(t, "distribution.golden", map[string][]int{
		"real": kpi.Distribution(d.Crises, q.Scope(), kpi.Real), "exercise": kpi.Distribution(d.Crises, q.Scope(), kpi.Exercise)})
	golden(t, "heatmap.golden", kpi.HeatMap(d.Clocks, q.Scope()))
}
