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

	// Injects returns a drill's injects in the order they fall.
	Injects(ctx context.Context, drillID int64) ([]Inject, error)
	// AddInject adds an inject: a planner before the drill runs, a
	// controller while it runs (its job is scheduled at once). An inject
	// outside the drill's window is refused, naming the cause.
	AddInject(ctx context.Context, a authz.Actor, drillID int64, in Inject) (Inject, error)
	// ImportInjects adds a list of injects to a drill that has not
	// started, all or none; a refusal names the row (injects[i].field).
	ImportInjects(ctx context.Context, a authz.Actor, drillID int64, list []Inject) (int, error)
	// FireInject delivers a pending inject of a running drill now.
	FireInject(ctx context.Context, a authz.Actor, injectID int64) (Inject, error)
	// SkipInject skips a pending inject of a running drill.
	SkipInject(ctx context.Context, a authz.Actor, injectID int64) (Inject, error)
	// Pause holds a running drill's injects; Resume moves every pending
	// one on by the pause.
	Pause(ctx context.Context, a authz.Actor, id int64) (Drill, error)
	Resume(ctx context.Context, a authz.Actor, id int64) (Drill, error)

	// Observe records an observation of an observer or evaluator named on
	// the drill. Observations returns those a may see: all for the
	// drill's evaluators, and for everyone once it ended; else a's own.
	Observe(ctx context.Context, a authz.Actor, drillID int64, o Observation) (Observation, error)
	Observations(ctx context.Context, a authz.Actor, drillID int64) ([]Observation, error)
	// ObservationPhoto returns an observation with its photo's bytes, to
	// those who may see the observation (not_found otherwise, or when it
	// has none).
	ObservationPhoto(ctx context.Context, a authz.Actor, drillID, obsID int64) (Observation, []byte, error)

	// Report is the after-action report, drafted when the drill ends.
	Report(ctx context.Context, drillID int64) (Report, error)
	// SaveReport is an evaluator's edit; lock must match.
	SaveReport(ctx context.Context, a authz.Actor, drillID, lock int64, summary string, strengths, improvements []string) (Report, error)
	// Redraft writes the draft again from the record, keeping the summary.
	Redraft(ctx context.Context, a authz.Actor, drillID int64) (Report, error)
	// ApproveReport signs the report (never its author): the drill is
	// evaluated and the report's clock met.
	ApproveReport(ctx context.Context, a authz.Actor, drillID int64) (Report, error)

	// Actions are the improvement actions of a drill. AddAction makes one
	// (an evaluator, after the end), CompleteAction marks it done (its
	// owner or an evaluator), VerifyAction closes it (an approver who did
	// not mark it done); the last one verified closes an evaluated drill.
	Actions(ctx context.Context, drillID int64) ([]Action, error)
	AddAction(ctx context.Context, a authz.Actor, drillID int64, in Action) (Action, error)
	CompleteAction(ctx context.Context, a authz.Actor, id int64) (Action, error)
	VerifyAction(ctx context.Context, a authz.Actor, id int64) (Action, error)
	// Close closes an evaluated drill whose actions are all closed.
	Close(ctx context.Context, a authz.Actor, id int64) (Drill, error)

	// Messages returns a user's drill messages, newest first.
	Messages(ctx context.Context, userID int64, limit int) ([]Message, error)
}
