// Package review completes the post-crisis review: closing a crisis starts
// its clock (Within); the review is drafted from what the crisis recorded
// (its clocks, notices and corrections, the timeline, delivery reach; the
// feedback, rumours and survey once those areas are plugged in); and an
// approver who did not write it signs it, which freezes the facts.
package review

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// Within is how long after closing the review is due.
const Within = 30 * 24 * time.Hour

// ClockKind names the review's clock among the deadlines; signing the
// review meets it.
const ClockKind = "crisis_review"

// Link is the desk page the review clock's alerts point to.
func Link(crisisID int64) string {
	return "/desk/crises/" + strconv.FormatInt(crisisID, 10) + "/review"
}

// ClockLine is one of the crisis's clocks as the review shows it.
type ClockLine struct {
	Name  string    `json:"name"`
	Kind  string    `json:"kind"`
	Due   time.Time `json:"due"`
	Met   time.Time `json:"met,omitzero"`
	State string    `json:"state"` // met, late, missed, cancelled
}

// NoticeLine is one published notice of the crisis.
type NoticeLine struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Audience   string    `json:"audience"`
	Headline   string    `json:"headline"`
	Published  time.Time `json:"published"`
	Correction string    `json:"correction,omitempty"` // the reason of a correction
	Recipients int       `json:"recipients"`
	Reached    int       `json:"reached"`
}

// Facts is the review's draft: what crisisdesk recorded of the crisis.
type Facts struct {
	OccurredAt         time.Time    `json:"occurred_at"`
	ActivatedAt        time.Time    `json:"activated_at,omitzero"`
	FirstNoticeAt      time.Time    `json:"first_notice_at,omitzero"`
	ClosedAt           time.Time    `json:"closed_at,omitzero"`
	MinutesToActivate  float64      `json:"minutes_to_activate,omitempty"`
	MinutesToNotice    float64      `json:"minutes_to_first_notice,omitempty"`
	TimelineEntries    int          `json:"timeline_entries"`
	Clocks             []ClockLine  `json:"clocks"`
	Notices            []NoticeLine `json:"notices"`
	FactualCorrections int          `json:"factual_corrections"`
	// Pending names the sources not plugged in yet (feedback, rumours,
	// survey): the review says it has no data from them.
	Pending []string `json:"pending,omitempty"`
}

// Signoff is the review's clock and signature.
type Signoff struct {
	CrisisID int64
	DueAt    time.Time
	AuthorID int64 // who last saved the lessons
	SignedBy int64
	SignedAt time.Time
	Facts    Facts // frozen at signing; drafted live before
}

// Signed reports whether the review is signed.
func (s Signoff) Signed() bool { return !s.SignedAt.IsZero() }

// Sign is a's signature on the review at now: an approver or commander
// who is not its author, once, after lessons were written.
func Sign(s Signoff, a authz.Actor, now time.Time, facts Facts) (Signoff, error) {
	if err := authz.Require(a, authz.SignReview); err != nil {
		return s, err
	}
	switch {
	case s.Signed():
		return s, fault.New(fault.Conflict, "the review is already signed")
	case s.AuthorID == 0:
		return s, fault.New(fault.Conflict, "write the review's lessons before it is signed")
	case s.AuthorID == a.UserID:
		return s, fault.New(fault.Forbidden, "a review is never signed by its own author")
	}
	s.SignedBy, s.SignedAt, s.Facts = a.UserID, now, facts
	return s, nil
}

// Service is the review's clock, draft and signature. Errors: not_found
// before the crisis is closed; forbidden; conflict when signed.
type Service interface {
	Signoff(ctx context.Context, crisisID int64) (Signoff, error)
	Draft(ctx context.Context, crisisID int64) (Facts, error)
	Sign(ctx context.Context, a authz.Actor, crisisID int64) (Signoff, error)
}
