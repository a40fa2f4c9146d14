package crisis

import (
	"context"
	"io"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
)

// Filter selects crises for a list.
type Filter struct {
	Open     bool // not closed
	Public   bool // on the public site (PublicSince set)
	Exercise *bool
	Offset   int
	Limit    int
}

// Attachment is a file added to a timeline entry.
type Attachment struct {
	Name, Type string
	Body       io.Reader
}

// Service runs crises. Every change is checked against the permission
// matrix, audited, written to the timeline and announced to live viewers
// after commit; clocks are scheduled as River jobs in the same
// transaction.
//
// Errors: invalid (field), not_found, conflict (wrong status, stale
// version), forbidden.
type Service interface {
	Declare(ctx context.Context, a authz.Actor, d Declaration) (Crisis, error)
	// Activate activates an approved plan version: tasks for the current
	// level's steps, the communication matrix's cadence clocks.
	Activate(ctx context.Context, a authz.Actor, id, planID int64) (Crisis, error)
	ChangeLevel(ctx context.Context, a authz.Actor, id int64, l catalog.Level, reason string) (Crisis, error)
	Recover(ctx context.Context, a authz.Actor, id int64, note string) (Crisis, error)
	Close(ctx context.Context, a authz.Actor, id int64, summary string) (Crisis, error)
	// ShowPublicly puts the crisis on the public site before its first
	// public notice; a commander's deliberate, audited act. Errors:
	// forbidden, not_found, conflict (closed, or shown already).
	ShowPublicly(ctx context.Context, a authz.Actor, id int64) (Crisis, error)
	Get(ctx context.Context, id int64) (Crisis, error)
	List(ctx context.Context, f Filter) ([]Crisis, int, error)

	Tasks(ctx context.Context, crisisID int64) ([]Task, error)
	Task(ctx context.Context, id int64) (Task, error)
	// SetTaskDone ticks or unticks a task; version must match.
	SetTaskDone(ctx context.Context, a authz.Actor, id int64, done bool, version int64) (Task, error)
	SetCheckItem(ctx context.Context, a authz.Actor, id int64, index int, done bool, version int64) (Task, error)

	Timeline(ctx context.Context, crisisID int64) ([]Entry, error)
	AddNote(ctx context.Context, a authz.Actor, crisisID int64, text string, att *Attachment) (Entry, error)
	Attachment(ctx context.Context, entryID int64) (Entry, []byte, error)

	// MeetClock marks the named clock met (the release issue calls it
	// with first_notice and the cadence clock when a notice is published).
	MeetClock(ctx context.Context, a authz.Actor, crisisID int64, name string) error

	// Alerts returns a user's clock alerts, newest first.
	Alerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]Alert, error)
	MarkAlertsRead(ctx context.Context, a authz.Actor, ids []int64) error

	Review(ctx context.Context, crisisID int64) (Review, error)
	SaveReview(ctx context.Context, a authz.Actor, r Review) (Review, error)
}
