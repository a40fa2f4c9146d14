package resource

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// ReviewKind is the deadline kind of the weekly resource review.
const ReviewKind = "resource_review"

// ReviewSubject names the office's weekly review as a deadline's subject.
const ReviewSubject = "resource_review"

// ReviewEvery is how often the resources are reviewed.
const ReviewEvery = 7 * 24 * time.Hour

// ExpiringWithin is how far ahead the review looks for leases and
// supplies that end.
const ExpiringWithin = 30 * 24 * time.Hour

// Shortfalls is what the weekly review looks at.
type Shortfalls struct {
	Low       []Item // below their minimum
	Expiring  []Item // a lease or an expiry within ExpiringWithin (or past)
	Overspent []Line // more than WarnShare spent
	Uncovered []Gap  // team roles without cover on the rota
}

// Count is the number of shortfalls.
func (s Shortfalls) Count() int {
	return len(s.Low) + len(s.Expiring) + len(s.Overspent) + len(s.Uncovered)
}

// FindShortfalls picks the shortfalls out of the inventory and the budget
// as seen at now.
func FindShortfalls(items []Item, lines []Line, now time.Time) Shortfalls {
	var s Shortfalls
	for _, it := range items {
		if it.Low() {
			s.Low = append(s.Low, it)
		}
		if e := it.Ends(); !e.IsZero() && e.Before(now.Add(ExpiringWithin)) {
			s.Expiring = append(s.Expiring, it)
		}
	}
	for _, l := range lines {
		if l.Share() > WarnShare {
			s.Overspent = append(s.Overspent, l)
		}
	}
	return s
}

// Gap is a team role without anyone on duty for a stretch of time.
type Gap struct {
	Role     string
	From, To time.Time
}

// Cover tells the review which team roles have nobody on the rota. The
// team package satisfies it; until then NoCover stands in.
type Cover interface {
	Uncovered(ctx context.Context, from, to time.Time) ([]Gap, error)
}

// People tells the resources page who of the team is available, with
// their skills. The team package satisfies it; until then NoCover stands
// in.
type People interface {
	Available(ctx context.Context, at time.Time) ([]Person, error)
}

// Person is someone of the team as the resources page lists them.
type Person struct {
	Name   string
	Roles  []string
	Skills []string
	OnDuty bool
}

// NoCover is the stand-in for the team: no rota, so no gaps and nobody
// listed.
type NoCover struct{}

// Uncovered returns no gaps.
func (NoCover) Uncovered(context.Context, time.Time, time.Time) ([]Gap, error) { return nil, nil }

// Available returns nobody.
func (NoCover) Available(context.Context, time.Time) ([]Person, error) { return nil, nil }

// Review is one completed weekly review: who reviewed, when, what was
// decided, and how many shortfalls they saw.
type Review struct {
	ID         int64
	ReviewerID int64
	Reviewer   string
	At         time.Time
	Decisions  string
	Shortfalls int
	NextDue    time.Time
}

// ValidateDecisions checks what the reviewer wrote.
func ValidateDecisions(s string) error {
	s = strings.TrimSpace(s)
	var f fault.Fields
	if s == "" || utf8.RuneCountInString(s) > 4000 {
		f.Add("decisions", "write what was decided (1–4000 characters)")
	}
	plaintext.Check(&f, "decisions", s)
	return f.Err()
}
