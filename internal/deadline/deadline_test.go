package deadline_test

import (
	"testing"
	"time"

	"crisisdesk/internal/deadline"
)

func TestState(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	due := start.Add(10 * time.Hour)
	base := deadline.Deadline{Kind: "test", Subject: deadline.Subject{Kind: "x", ID: 1}, StartedAt: start, DueAt: due}
	met := func(at time.Time) deadline.Deadline { d := base; d.MetAt = at; return d }
	cancelled := base
	cancelled.CancelledAt = start.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		d      deadline.Deadline
		now    time.Time
		want   deadline.State
		onTime bool
		ok     bool
	}{
		{"fresh", base, start, deadline.Running, false, false},
		{"just before 80 %", base, start.Add(8*time.Hour - time.Second), deadline.Running, false, false},
		{"at 80 %", base, start.Add(8 * time.Hour), deadline.Warning, false, false},
		{"at due", base, due, deadline.Overdue, false, false},
		{"met early", met(start.Add(time.Hour)), due.Add(time.Hour), deadline.Met, true, true},
		{"met at due", met(due), due.Add(time.Hour), deadline.Met, true, true},
		{"met late", met(due.Add(time.Minute)), due.Add(time.Hour), deadline.MetLate, false, true},
		{"cancelled", cancelled, due.Add(time.Hour), deadline.Cancelled, false, false},
	} {
		if got := tc.d.State(tc.now); got != tc.want {
			t.Errorf("%s: state %s, want %s", tc.name, got, tc.want)
		}
		if on, ok := tc.d.OnTime(); on != tc.onTime || ok != tc.ok {
			t.Errorf("%s: on time %v %v, want %v %v", tc.name, on, ok, tc.onTime, tc.ok)
		}
	}
	if u := base.Used(start.Add(5 * time.Hour)); u != 0.5 {
		t.Errorf("used %v", u)
	}
	if l := base.Left(due.Add(time.Hour)); l != -time.Hour {
		t.Errorf("left %v", l)
	}
}

func TestValidate(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ok := deadline.Deadline{Kind: "feedback_reply", Subject: deadline.Subject{Kind: "feedback", ID: 1}, StartedAt: start, DueAt: start.Add(time.Hour)}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*deadline.Deadline){
		"kind with a space": func(d *deadline.Deadline) { d.Kind = "feedback reply" },
		"no subject id":     func(d *deadline.Deadline) { d.Subject.ID = 0 },
		"no subject kind":   func(d *deadline.Deadline) { d.Subject.Kind = "" },
		"due at the start":  func(d *deadline.Deadline) { d.DueAt = d.StartedAt },
		"no start":          func(d *deadline.Deadline) { d.StartedAt = time.Time{} },
		"upper-case kind":   func(d *deadline.Deadline) { d.Kind = "Feedback" },
	} {
		d := ok
		mut(&d)
		if d.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
