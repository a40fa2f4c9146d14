package crisis

import (
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func TestClockStates(t *testing.T) {
	t.Parallel()
	c := Clock{StartedAt: t0, DueAt: t0.Add(30 * time.Minute)}
	tests := []struct {
		name string
		met  time.Time
		now  time.Time
		want ClockState
	}{
		{"running", time.Time{}, t0.Add(10 * time.Minute), Pending},
		{"run out", time.Time{}, t0.Add(31 * time.Minute), Overdue},
		{"met in time", t0.Add(20 * time.Minute), t0.Add(time.Hour), Met},
		{"met late stays overdue", t0.Add(40 * time.Minute), t0.Add(time.Hour), Overdue},
	}
	for _, tt := range tests {
		c.MetAt = tt.met
		if got := c.State(tt.now); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if w := c.WarnTime(); !w.Equal(t0.Add(24 * time.Minute)) {
		t.Errorf("warn at %v", w)
	}
	if u, ok := MostUrgent([]Clock{{Name: "a", DueAt: t0.Add(time.Hour)}, {Name: "b", DueAt: t0, MetAt: t0}, {Name: "c", DueAt: t0.Add(time.Minute)}}); !ok || u.Name != "c" {
		t.Errorf("most urgent %v", u.Name)
	}
}

func TestCadenceCompliance(t *testing.T) {
	t.Parallel()
	now := t0.Add(5 * time.Hour)
	clocks := []Clock{
		{Kind: CadenceClock, Ref: "c1", Name: "cadence:c1#1", StartedAt: t0, DueAt: t0.Add(time.Hour), MetAt: t0.Add(50 * time.Minute)},
		{Kind: CadenceClock, Ref: "c1", Name: "cadence:c1#2", StartedAt: t0.Add(50 * time.Minute), DueAt: t0.Add(110 * time.Minute), MetAt: t0.Add(3 * time.Hour)},
		{Kind: CadenceClock, Ref: "c1", Name: "cadence:c1#3", StartedAt: t0.Add(3 * time.Hour), DueAt: t0.Add(4 * time.Hour)},
		{Kind: CadenceClock, Ref: "c2", Name: "cadence:c2#1", StartedAt: t0, DueAt: t0.Add(24 * time.Hour)},
		{Kind: TaskClock, Name: "task:1", DueAt: t0},
	}
	got := CadenceCompliance(clocks, now)
	if len(got) != 2 {
		t.Fatalf("%d rows", len(got))
	}
	if c1 := got[0]; c1.Met != 1 || c1.Late != 1 || c1.Missed != 1 || c1.Kept() {
		t.Errorf("c1 %+v", c1)
	}
	if c2 := got[1]; !c2.Running || !c2.Kept() {
		t.Errorf("c2 %+v", c2)
	}
}

func TestDeclarationAndTransitions(t *testing.T) {
	t.Parallel()
	ok := Declaration{Title: "Fire", TypeID: 1, Level: catalog.LevelII, Location: "Depot", OccurredAt: t0.Add(-time.Hour)}
	if err := ok.Validate(t0); err != nil {
		t.Fatal(err)
	}
	bad := ok
	bad.Title, bad.Level, bad.DetectedAt = "", 9, t0.Add(-2*time.Hour)
	err := bad.Validate(t0)
	fs := fault.FieldsOf(err)
	want := map[string]bool{"title": true, "level": true, "detected_at": true}
	for _, f := range fs {
		delete(want, f.Field)
	}
	if len(want) != 0 {
		t.Errorf("fields not named: %v (%v)", want, err)
	}
	pasted := ok
	pasted.Title, pasted.Location, pasted.Summary = "Fire at Depot 3\v", "Depot\x00", "Smoke\r\nseen\u2028at 08:00"
	pasted.Normalize()
	if pasted.Title != "Fire at Depot 3" || pasted.Summary != "Smoke\nseen\nat 08:00" {
		t.Errorf("normalised: %q, %q", pasted.Title, pasted.Summary)
	}
	if fs := fault.FieldsOf(pasted.Validate(t0)); len(fs) != 1 || fs[0].Field != "location" {
		t.Errorf("a NUL in the location: %v, want location refused", fs)
	}
	pasted.Title, pasted.Location = Text("Fire at\vDepot 3"), "Depot"
	if fs := fault.FieldsOf(pasted.Validate(t0)); len(fs) != 1 || fs[0].Field != "title" {
		t.Errorf("a soft line break in the title: %v, want title refused: it is one line", fs)
	}
	c := Crisis{Status: Closed, Level: catalog.LevelII}
	if !fault.Is(c.CanActivate(), fault.Conflict) || !fault.Is(c.CanChangeLevel(catalog.LevelI), fault.Conflict) {
		t.Error("closed crisis accepts commands")
	}
	c.Status = Active
	if !fault.Is(c.CanChangeLevel(catalog.LevelII), fault.Invalid) || !fault.Is(c.CanClose(" "), fault.Invalid) {
		t.Error("same level or empty summary accepted")
	}
	if err := c.CanClose("Fire\x1bout"); fault.As(err).Field != "summary" {
		t.Errorf("a control character in the closing summary: %v", err)
	}
	for _, tc := range []struct {
		name, text string
		required   bool
		ok         bool
	}{
		{"given", "Wind rising", true, true},
		{"missing", "", true, false},
		{"optional", "", false, true},
		{"control", "Wind\x00rising", false, false},
	} {
		if err := ValidateReason("reason", tc.text, tc.required); (err == nil) != tc.ok || (err != nil && fault.As(err).Field != "reason") {
			t.Errorf("ValidateReason %s: %v", tc.name, err)
		}
	}
}

func TestTasksFromStepsSkipsExisting(t *testing.T) {
	t.Parallel()
	steps := []plan.Step{
		{Key: "a", Title: "A", Deadline: plan.Duration(time.Hour), Checklist: []string{"x"}},
		{Key: "b", Title: "B", Deadline: plan.Duration(2 * time.Hour)},
	}
	got := TasksFromSteps(7, catalog.LevelI, steps, map[string]bool{"a": true}, t0)
	if len(got) != 1 || got[0].StepKey != "b" || !got[0].DueAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("tasks %+v", got)
	}
}

func TestCanWork(t *testing.T) {
	t.Parallel()
	const health, works = 7, 8
	byRole := Task{ID: 1, OwnerRole: authz.Liaison, AssigneeID: 10, AssigneeDeptID: health}
	byDept := Task{ID: 2, OwnerDeptID: works, AssigneeID: 20, AssigneeDeptID: works}
	unassigned := Task{ID: 3, OwnerDeptID: works}
	for _, tc := range []struct {
		name string
		task Task
		w    Worker
		ok   bool
	}{
		{"the assignee", byRole, Worker{UserID: 10, Role: authz.Liaison, DepartmentID: health}, true},
		{"another holder of the owning role", byRole, Worker{UserID: 11, Role: authz.Liaison}, true},
		{"the assignee's department", byRole, Worker{UserID: 12, Role: authz.Editor, DepartmentID: health}, true},
		{"another department", byRole, Worker{UserID: 13, Role: authz.Editor, DepartmentID: works}, false},
		{"no department", byRole, Worker{UserID: 14, Role: authz.Approver}, false},
		{"a commander", byRole, Worker{UserID: 15, Role: authz.Commander}, true},
		{"the owning department", byDept, Worker{UserID: 21, Role: authz.Reviewer, DepartmentID: works}, true},
		{"the owning department, unassigned", unassigned, Worker{UserID: 22, Role: authz.Liaison, DepartmentID: works}, true},
		{"a liaison elsewhere", byDept, Worker{UserID: 23, Role: authz.Liaison, DepartmentID: health}, false},
		{"a commander, unassigned", unassigned, Worker{UserID: 24, Role: authz.Commander}, true},
		{"an observer of the department", byDept, Worker{UserID: 25, Role: authz.Observer, DepartmentID: works}, false},
		{"an observer assigned", byDept, Worker{UserID: 20, Role: authz.Observer, DepartmentID: works}, false},
		{"the admin", unassigned, Worker{UserID: 26, Role: authz.Admin, DepartmentID: works}, false},
		{"nobody", unassigned, Worker{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CanWork(tc.task, tc.w)
			if tc.ok != (err == nil) || (err != nil && !fault.Is(err, fault.Forbidden)) {
				t.Errorf("CanWork = %v, want allowed %v", err, tc.ok)
			}
		})
	}
}
