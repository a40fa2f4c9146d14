package workplan

import (
	"context"
	"time"

	"crisisdesk/internal/authz"
)

// Service keeps programmes and their tasks. Every change is checked
// against the permission matrix, runs through this package's rules and is
// audited in the same transaction.
//
// Errors: invalid (field: title, start, end, depends_on, percent, …),
// not_found, conflict (stale Lock), forbidden (role).
type Service interface {
	// CreateProgramme starts a programme; from the template, it gets the
	// plan's five tasks and ten sub-tasks placed from its first day.
	CreateProgramme(ctx context.Context, a authz.Actor, title string, startsOn time.Time, fromTemplate bool) (Programme, error)
	Programme(ctx context.Context, id int64) (Programme, error)
	Programmes(ctx context.Context) ([]Programme, error)
	// Tasks are the programme's tasks and sub-tasks in plan order.
	Tasks(ctx context.Context, programmeID int64) ([]Task, error)
	Task(ctx context.Context, id int64) (Task, error)
	AddTask(ctx context.Context, a authz.Actor, programmeID int64, in Input) (Task, error)
	// SaveTask changes a task; lock must match. A dependency that would
	// make a cycle is refused, naming depends_on.
	SaveTask(ctx context.Context, a authz.Actor, id, lock int64, in Input) (Task, error)
}
