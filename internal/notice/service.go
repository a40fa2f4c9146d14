package notice

import (
	"context"

	"crisisdesk/internal/authz"
)

// Filter selects notices for a list.
type Filter struct {
	CrisisID   int64 // 0: any
	Standalone bool  // only notices without a crisis
	Kind       Kind
	Audience   Audience
	Status     Status
	Exercise   *bool
	// NeedsReview keeps fast-path notices still waiting for their review.
	NeedsReview bool
	Offset      int
	Limit       int
}

// Service stores notices and runs their workflow with the transitions of
// this package. Every change is checked against the permission matrix,
// audited with who and when, and announced after commit.
//
// Errors: invalid (field, e.g. "contents[0].headline"), not_found,
// conflict (stale lock, wrong status, editing a published notice, a second
// publish, a follow-up of an unpublished or cancelled notice), forbidden
// (role, self-approval, fast path not allowed for this actor).
type Service interface {
	// Create stores a new draft with the actor as author.
	Create(ctx context.Context, a authz.Actor, n Notice) (Notice, error)
	// Save applies changes; lock must match the stored Lock.
	Save(ctx context.Context, a authz.Actor, id, lock int64, c Changes) (Notice, error)
	Submit(ctx context.Context, a authz.Actor, id int64, comment string) (Notice, error)
	Approve(ctx context.Context, a authz.Actor, id int64, comment string) (Notice, error)
	Return(ctx context.Context, a authz.Actor, id int64, reason string) (Notice, error)
	// Publish publishes in one transaction: the notice, the public record,
	// the crisis's first-notice and cadence clocks, and the deliveries.
	// The store decides the fast path from the template's plan and the
	// crisis level (FastPathAllowed). A second publish is a conflict and
	// changes nothing.
	Publish(ctx context.Context, a authz.Actor, id int64) (Notice, error)
	ReviewAfter(ctx context.Context, a authz.Actor, id int64, comment string) (Notice, error)
	// Correct, Cancel and AllClear store a draft follow-up of published
	// notice id (NewCorrection, NewCancellation, NewAllClear).
	Correct(ctx context.Context, a authz.Actor, id int64, reason Reason, contents []Content) (Notice, error)
	Cancel(ctx context.Context, a authz.Actor, id int64, contents []Content) (Notice, error)
	AllClear(ctx context.Context, a authz.Actor, id int64, contents []Content) (Notice, error)
	Get(ctx context.Context, id int64) (Notice, error)
	List(ctx context.Context, f Filter) ([]Notice, int, error)
	// History returns the chain notice id belongs to, oldest first: the
	// original and each published correction, cancellation and all-clear
	// that follows it.
	History(ctx context.Context, id int64) ([]Notice, error)
	// Reach counts, per channel (channel.Email, SMS, Webhook, App), the
	// recipients notice id would be sent to were it published now: the
	// same choice the fan-out makes (audience, exercise, category, area).
	Reach(ctx context.Context, id int64) (Reach, error)
}

// Reach is how many recipients a notice reaches on each channel.
type Reach map[string]int

// Total is the recipients on every channel.
func (r Reach) Total() int {
	t := 0
	for _, n := range r {
		t += n
	}
	return t
}
