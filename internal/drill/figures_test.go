package drill_test

import (
	"testing"
	"time"

	"crisisdesk/internal/drill"
)

func TestFiguresOf(t *testing.T) {
	t.Parallel()
	end := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	d := drill.Drill{EndedAt: end}
	r := drill.Report{Improvements: []string{"a", "b", "c"}, ApprovedAt: end.Add(3 * 24 * time.Hour),
		Clocks: []drill.ClockResult{{State: "met"}, {State: "overdue"}}}
	due := end.Add(10 * 24 * time.Hour)
	actions := []drill.Action{
		{State: drill.ActionVerified, Due: due, DoneAt: due.Add(-time.Hour)},
		{State: drill.ActionVerified, Due: due, DoneAt: due.Add(time.Hour)},
		{State: drill.ActionOpen, Due: due},
	}
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"problems", drill.FiguresOf(d, r, actions).Problems, 3},
		{"closed on time", drill.FiguresOf(d, r, actions).ClosedOnTime, 1},
		{"share", drill.FiguresOf(d, r, actions).OnTimeShare, 1.0 / 3},
		{"clocks met", drill.FiguresOf(d, r, actions).ClocksMet, 1},
		{"time to report", drill.FiguresOf(d, r, actions).TimeToReport, 72 * time.Hour},
		{"report on time", drill.FiguresOf(d, r, actions).ReportOnTime, true},
		{"no actions", drill.FiguresOf(d, drill.Report{}, nil).OnTimeShare, 0.0},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}
