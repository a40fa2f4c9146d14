package risk

import (
	"context"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
)

// Filter selects risks for the register.
type Filter struct {
	Status   Status
	Category Category
	// Link selects the risks linked to one target.
	Link   Link
	Offset int
	Limit  int
}

// Service keeps the register. Every change is checked against the
// permission matrix, runs through this package's pure rules, and is
// audited in the same transaction. A new risk and a change of rating
// alert the owner and the risk managers (the roles that may
// authz.ManageRisks), reach the dashboard at once and are noted on the
// timeline of each linked crisis.
//
// Errors: invalid (field), not_found, conflict (stale Lock, closed
// risk), forbidden (role).
type Service interface {
	Create(ctx context.Context, a authz.Actor, in Input) (Risk, error)
	// Save changes a risk's details (not its rating); lock must match.
	Save(ctx context.Context, a authz.Actor, id, lock int64, in Input) (Risk, error)
	// Rate records a new rating in the history.
	Rate(ctx context.Context, a authz.Actor, id int64, likelihood, impact int, note string) (Risk, error)
	// Review records a review; the next falls a review period later.
	Review(ctx context.Context, a authz.Actor, id int64) (Risk, error)
	// Link ties the risk to a crisis type, plan, drill or crisis that exists.
	Link(ctx context.Context, a authz.Actor, id int64, l Link) (Risk, error)
	Get(ctx context.Context, id int64) (Risk, error)
	List(ctx context.Context, f Filter) ([]Risk, int, error)
	// ReviewClock is the deadline of the risk's next review (the last one
	// once reviewed and not restarted); not_found when none was started.
	ReviewClock(ctx context.Context, id int64) (deadline.Deadline, error)
	// Ratings is a risk's rating history, oldest first.
	Ratings(ctx context.Context, id int64) ([]Rating, error)

	Mitigations(ctx context.Context, riskID int64) ([]Mitigation, error)
	AddMitigation(ctx context.Context, a authz.Actor, riskID int64, m Mitigation) (Mitigation, error)
	// TrackMitigation records a mitigation's execution.
	TrackMitigation(ctx context.Context, a authz.Actor, id int64, status MitigationStatus, note string) (Mitigation, error)

	// Alerts are a user's risk alerts, newest first.
	Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]Alert, error)
	MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error
	// Changed lists the risks raised or rated since t, latest first.
	Changed(ctx context.Context, since time.Time, limit int) ([]Risk, error)
}
