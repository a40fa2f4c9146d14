package crisis

import (
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/plan"
)

// Task is a plan step made concrete for a crisis.
type Task struct {
	ID           int64
	CrisisID     int64
	StepKey      string
	Phase        plan.Phase
	Title        string
	Level        catalog.Level // the level whose steps created it
	OwnerRole    authz.Role
	OwnerDeptID  int64
	AssigneeID   int64 // one person holding the role or in the department, if any
	DueAt        time.Time
	DoneAt       time.Time
	DoneBy       int64
	Checklist    []CheckItem
	Version      int64
	AssigneeName string // filled on read
}

// CheckItem is one line of a task's checklist.
type CheckItem struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Done reports whether the task is done.
func (t Task) Done() bool { return !t.DoneAt.IsZero() }

// TasksFromSteps makes the tasks for steps activated at start, skipping
// steps that already have a task (a level change adds only the new ones).
func TasksFromSteps(crisisID int64, l catalog.Level, steps []plan.Step, existing map[string]bool, start time.Time) []Task {
	var out []Task
	for _, s := range steps {
		if existing[s.Key] {
			continue
		}
		t := Task{CrisisID: crisisID, StepKey: s.Key, Phase: s.Phase, Title: s.Title, Level: l,
			OwnerRole: s.OwnerRole, DueAt: start.Add(time.Duration(s.Deadline))}
		for _, item := range s.Checklist {
			t.Checklist = append(t.Checklist, CheckItem{Text: item})
		}
		out = append(out, t)
	}
	return out
}
