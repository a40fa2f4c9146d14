package plan

import (
	"context"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
)

// Filter selects plans for a list.
type Filter struct {
	TypeID int64
	Status Status
	// Current keeps only the newest version of each plan code.
	Current bool
	Offset  int
	Limit   int
}

// Service stores plans and the catalogue. Every change is checked against
// the permission matrix and audited.
//
// Errors: invalid (field), not_found, conflict (stale Lock, wrong status),
// forbidden (role, or a signature by the wrong person).
type Service interface {
	Types(ctx context.Context) ([]catalog.Type, error)
	Type(ctx context.Context, id int64) (catalog.Type, error)
	CreateType(ctx context.Context, a authz.Actor, t catalog.Type) (catalog.Type, error)
	UpdateType(ctx context.Context, a authz.Actor, t catalog.Type) (catalog.Type, error) // t.Version must match

	// Create starts a new plan (version 1, draft) with the actor as author.
	Create(ctx context.Context, a authz.Actor, code string, typeID int64, title string, body Body) (Plan, error)
	// Save changes a draft; lock must match the stored Lock. Saving an
	// approved version starts a new draft version instead, leaving the
	// approved one in force.
	Save(ctx context.Context, a authz.Actor, id int64, lock int64, title string, body Body) (Plan, error)
	Submit(ctx context.Context, a authz.Actor, id int64, comment string) (Plan, error)
	Review(ctx context.Context, a authz.Actor, id int64, comment string) (Plan, error)
	// Approve also supersedes the version that was in force.
	Approve(ctx context.Context, a authz.Actor, id int64, comment string) (Plan, error)
	Return(ctx context.Context, a authz.Actor, id int64, reason string) (Plan, error)
	Get(ctx context.Context, id int64) (Plan, error)
	// InForce returns the approved version of a plan code.
	InForce(ctx context.Context, code string) (Plan, error)
	Versions(ctx context.Context, code string) ([]Plan, error)
	List(ctx context.Context, f Filter) ([]Plan, int, error)
}
