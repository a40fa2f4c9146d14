package drill

import (
	"context"
	"time"

	"crisisdesk/internal/authz"
)

// Filter selects drills for a list.
type Filter struct {
	State  State
	Offset int
	Limit  int
}

// Message is an in-app message a drill sent to one of its people: a safety
// stop, or an inject addressed to them.
type Message struct {
	ID        int64
	DrillID   int64
	UserID    int64
	Kind      string // "safety_stop", "inject"
	Ref       string
	Text      string
	CreatedAt time.Time
	ReadAt    time.Time
}

// Service stores drills. Every change is checked against the permission
// matrix, runs through the pure transitions of this package, and is
// audited in the same transaction.
//
// Errors: invalid (field), not_found, conflict (stale Lock, wrong state,
// unsigned safety gate), forbidden (role, the author signing their own
// gate).
type Service interface {
	// Create plans a drill of an approved or draft plan version; its
	// safety assessment starts from the office's checklist.
	Create(ctx context.Context, a authz.Actor, in Details) (Drill, error)
	// Save changes a planned or ready drill; lock must match. A signed
	// safety gate is voided.
	Save(ctx context.Context, a authz.Actor, id, lock int64, in Details) (Drill, error)
	// SaveSafety changes the safety assessment; lock must match.
	SaveSafety(ctx context.Context, a authz.Actor, id, lock int64, s Safety) (Drill, error)
	// SignSafety signs the safety gate (not the author): the drill is ready.
	SignSafety(ctx context.Context, a authz.Actor, id int64) (Drill, error)
	// Start declares the exercise crisis from the plan under test and
	// activates the plan in it, in one transaction with the drill's start.
	Start(ctx context.Context, a authz.Actor, id int64) (Drill, error)
	// End ends a running drill; the report is due in ReportWithin.
	End(ctx context.Context, a authz.Actor, id int64, note string) (Drill, error)
	// Stop stops a running drill for safety and tells every participant.
	Stop(ctx context.Context, a authz.Actor, id int64, reason string) (Drill, error)
	Get(ctx context.Context, id int64) (Drill, error)
	List(ctx context.Context, f Filter) ([]Drill, int, error)
	// ByCrisis returns the drill whose exercise crisis is crisisID.
	ByCrisis(ctx context.Context, crisisID int64) (Drill, error)

	// Checklist is the office's default safety checklist.
	Checklist(ctx context.Context) (Checklist, error)
	SaveChecklist(ctx context.Context, a authz.Actor, c Checklist) (Checklist, error)

	// Messages returns a user's drill messages, newest first.
	Messages(ctx context.Context, userID int64, limit int) ([]Message, error)
}
