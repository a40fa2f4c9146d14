package crisis

import (
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

// Task is a plan step made concrete for a crisis.
type Task struct {
	ID          int64
	CrisisID    int64
	StepKey     string
	Phase       plan.Phase
	Title       string
	Level       catalog.Level // the level whose steps created it
	OwnerRole   authz.Role
	OwnerDeptID int64
	AssigneeID  int64 // one person holding the role or in the department, if any
	DueAt       time.Time
	DoneAt      time.Time
	DoneBy      int64
	Checklist   []CheckItem
	// CompletesOn is the event that completes the task by itself (the
	// plan step's); "" for a task people tick.
	CompletesOn  plan.Event
	Version      int64
	AssigneeName string // filled on read
	// AssigneeDeptID is the department of the person it is assigned to,
	// filled on read; 0 when none.
	AssigneeDeptID int64
}

// CheckItem is one line of a task's checklist.
type CheckItem struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Done reports whether the task is done.
func (t Task) Done() bool { return !t.DoneAt.IsZero() }

// DoneBySystem reports whether the task completed itself on its event.
func (t Task) DoneBySystem() bool { return t.Done() && t.DoneBy == 0 }

// TasksFromSteps makes the tasks for steps that start at start (the
// plan's activation; for recovery steps, the move to recovery), skipping
// steps that already have a task (a level change adds only the new ones).
func TasksFromSteps(crisisID int64, l catalog.Level, steps []plan.Step, existing map[string]bool, start time.Time) []Task {
	var out []Task
	for _, s := range steps {
		if existing[s.Key] {
			continue
		}
		t := Task{CrisisID: crisisID, StepKey: s.Key, Phase: s.Phase, Title: s.Title, Level: l,
			OwnerRole: s.OwnerRole, DueAt: start.Add(time.Duration(s.Deadline)), CompletesOn: s.CompletesOn}
		for _, item := range s.Checklist {
			t.Checklist = append(t.Checklist, CheckItem{Text: item})
		}
		out = append(out, t)
	}
	return out
}

// Worker is who wants to tick or untick a task: a user, their role and
// their department (0 for none).
type Worker struct {
	UserID       int64
	Role         authz.Role
	DepartmentID int64
}

// CanWork reports whether w may tick or untick task t or its checklist:
// nil, or a forbidden error. Only roles that work tasks may (the matrix's
// authz.WorkTasks); of them, the commanders (authz.CommandCrisis) may work
// every task, the others only a task they own: one assigned to them, one
// owned by their role, or one owned by their department or assigned to
// someone in it. Everyone else sees the task read-only.
func CanWork(t Task, w Worker) error {
	switch {
	case !authz.Can(w.Role, authz.WorkTasks):
		return fault.New(fault.Forbidden, "your role (%s) may not work on tasks", w.Role)
	case authz.Can(w.Role, authz.CommandCrisis):
		return nil
	case w.UserID != 0 && w.UserID == t.AssigneeID:
		return nil
	case t.OwnerRole != "" && w.Role == t.OwnerRole:
		return nil
	case w.DepartmentID != 0 && (w.DepartmentID == t.OwnerDeptID || w.DepartmentID == t.AssigneeDeptID):
		return nil
	}
	return fault.New(fault.Forbidden, "task %d belongs to its owner, the owner's department and the commanders", t.ID)
}
