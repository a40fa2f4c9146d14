package resource

import (
	"context"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
)

// MovementFilter selects movements.
type MovementFilter struct {
	ItemID   int64
	CrisisID int64
	Limit    int
}

// Service stores the resources. Every change is checked against the
// permission matrix and audited in the same transaction.
//
// Errors: invalid (field: a quantity below zero, spending over a line
// without an override), not_found, conflict (stale version), forbidden.
type Service interface {
	Items(ctx context.Context) ([]Item, error)
	Item(ctx context.Context, id int64) (Item, error)
	AddItem(ctx context.Context, a authz.Actor, it Item) (Item, error)
	// SaveItem changes an item's details; its quantity changes only by
	// movements. it.Version must match.
	SaveItem(ctx context.Context, a authz.Actor, it Item) (Item, error)
	// ImportItems adds or (by name and location) updates items, all or
	// none; a refusal names the row (items[i].field).
	ImportItems(ctx context.Context, a authz.Actor, list []Item) (int, error)
	// MoveItem records a movement and changes the quantity in one
	// transaction.
	MoveItem(ctx context.Context, a authz.Actor, m Movement) (Movement, error)
	Movements(ctx context.Context, f MovementFilter) ([]Movement, error)

	Lines(ctx context.Context) ([]Line, error)
	Line(ctx context.Context, id int64) (Line, error)
	AddLine(ctx context.Context, a authz.Actor, l Line) (Line, error)
	// Spend records spending against a line.
	Spend(ctx context.Context, a authz.Actor, s Spending) (Spending, error)
	Spendings(ctx context.Context, lineID int64) ([]Spending, error)

	// Shortfalls finds what the weekly review looks at now.
	Shortfalls(ctx context.Context) (Shortfalls, error)
	// CompleteReview records a review and starts the next week's clock.
	CompleteReview(ctx context.Context, a authz.Actor, decisions string) (Review, error)
	Reviews(ctx context.Context, limit int) ([]Review, error)
	// ReviewClock is the weekly review's deadline (kind ReviewKind);
	// not_found before the first review.
	ReviewClock(ctx context.Context) (deadline.Deadline, error)
}
