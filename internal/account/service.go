package account

import (
	"context"

	"crisisdesk/internal/authz"
)

// Service manages users, departments, sessions and tokens. Every change is
// checked against the permission matrix for the actor and written to the
// audit trail in the same transaction.
//
// Errors carry fault codes: invalid (with the field), not_found, conflict
// (duplicate name or stale version), forbidden, unauthenticated (wrong
// password, expired session or token), too_many_requests (throttled).
type Service interface {
	CreateUser(ctx context.Context, actor authz.Actor, in NewUser) (User, error)
	UpdateUser(ctx context.Context, actor authz.Actor, id int64, in UserUpdate) (User, error)
	// SetPassword is an admin's reset; mustChange forces a change at next sign-in.
	SetPassword(ctx context.Context, actor authz.Actor, id int64, password string, mustChange bool) error
	// ChangeOwnPassword checks the current password before setting the new one.
	ChangeOwnPassword(ctx context.Context, actor authz.Actor, current, next string) error
	SetLanguage(ctx context.Context, actor authz.Actor, lang string) error
	SetDisabled(ctx context.Context, actor authz.Actor, id int64, disabled bool) error
	User(ctx context.Context, id int64) (User, error)
	UserByName(ctx context.Context, name string) (User, error)
	ListUsers(ctx context.Context, f UserFilter) (users []User, total int, err error)
	CountUsers(ctx context.Context) (int, error)

	CreateDepartment(ctx context.Context, actor authz.Actor, in DepartmentInput) (Department, error)
	UpdateDepartment(ctx context.Context, actor authz.Actor, id int64, in DepartmentInput) (Department, error)
	// DeleteDepartment refuses with conflict while users belong to it.
	DeleteDepartment(ctx context.Context, actor authz.Actor, id int64) error
	Department(ctx context.Context, id int64) (Department, error)
	ListDepartments(ctx context.Context, offset, limit int) (deps []Department, total int, err error)

	SignIns
	SecondFactors

	// SessionUser returns the user of a live session and extends it.
	SessionUser(ctx context.Context, secret string) (User, Session, error)
	SignOut(ctx context.Context, secret string) error

	// CreateToken returns the token secret, shown once.
	CreateToken(ctx context.Context, actor authz.Actor, userID int64, label string) (secret string, t Token, err error)
	TokenUser(ctx context.Context, secret string) (User, error)
	ListTokens(ctx context.Context, userID int64) ([]Token, error)
	RevokeToken(ctx context.Context, actor authz.Actor, id int64) error

	// NewCalendarLink makes the actor's secret calendar link, for calendar
	// apps that cannot sign in; it replaces (revokes) the one before. The
	// secret is shown once.
	NewCalendarLink(ctx context.Context, actor authz.Actor) (secret string, err error)
	// CalendarLinkUser is the person whose calendar link secret is: an
	// unauthenticated error when it is unknown, revoked or its person
	// disabled.
	CalendarLinkUser(ctx context.Context, secret string) (User, error)
}
