package team

import (
	"context"
	"io"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
)

// DutyLookup answers who holds a team role at a moment. Other areas call
// it to send a role's tasks and alerts to the person on duty.
type DutyLookup interface {
	// OnDuty returns who holds role at at: the person on a shift, else
	// the first active deputy. Errors: not_found (unknown role, or
	// nobody on duty and no deputy).
	OnDuty(ctx context.Context, role string, at time.Time) (Member, error)
}

// ShiftFilter selects shifts: those that overlap [From, To), of a role
// and/or a member when given.
type ShiftFilter struct {
	From, To time.Time
	RoleKey  string
	MemberID int64
}

// Service stores the team. Every change is checked against the
// permission matrix and audited in the same transaction, with outside
// people's contact details redacted.
//
// Errors: invalid (field), not_found, conflict (stale version),
// forbidden (role).
type Service interface {
	DutyLookup

	// Members lists the team, by name; deleted (anonymised) members only
	// with all set.
	Members(ctx context.Context, all bool) ([]Member, error)
	Member(ctx context.Context, id int64) (Member, error)
	// MemberByUser returns the member whose account is userID.
	MemberByUser(ctx context.Context, userID int64) (Member, error)
	AddMember(ctx context.Context, a authz.Actor, in Input) (Member, error)
	SaveMember(ctx context.Context, a authz.Actor, id int64, in Input) (Member, error)
	// DeleteMember anonymises a member: their history stays, their
	// personal data goes; their future shifts are removed.
	DeleteMember(ctx context.Context, a authz.Actor, id int64) error
	// ImportMembers adds or changes (by e-mail, else by name) the rows of
	// an export, all or none; a refusal names the row (rows[i].field).
	ImportMembers(ctx context.Context, a authz.Actor, rows []Input) (added, changed int, err error)

	// Roles lists the built-in roles, then the office's.
	Roles(ctx context.Context) ([]Role, error)
	Role(ctx context.Context, key string) (Role, error)
	RoleByID(ctx context.Context, id int64) (Role, error)
	AddRole(ctx context.Context, a authz.Actor, in RoleInput) (Role, error)
	SaveRole(ctx context.Context, a authz.Actor, key string, in RoleInput) (Role, error)

	// Shifts lists the shifts the filter selects, by start.
	Shifts(ctx context.Context, f ShiftFilter) ([]Shift, error)
	// AddShift puts a member on duty; a shift overlapping another of the
	// same person is refused naming starts_at.
	AddShift(ctx context.Context, a authz.Actor, s Shift) (Shift, error)
	DeleteShift(ctx context.Context, a authz.Actor, id int64) error
	// SwapShift hands a shift to another member and records the swap.
	SwapShift(ctx context.Context, a authz.Actor, shiftID, toMember int64, reason string) (Shift, error)
	Swaps(ctx context.Context, limit int) ([]Swap, error)
	// Board is every role's duty at at, with the next shift and the
	// certificates the person on duty lacks.
	Board(ctx context.Context, at time.Time) ([]Duty, error)

	// Courses, sessions, attendance and certificates.
	Courses(ctx context.Context) ([]Course, error)
	AddCourse(ctx context.Context, a authz.Actor, c Course) (Course, error)
	Sessions(ctx context.Context, courseID int64) ([]Session, error)
	AddSession(ctx context.Context, a authz.Actor, s Session) (Session, error)
	// SetAttendance records who attended a session; each attendee of a
	// course whose certificate is issued on attendance gets one.
	SetAttendance(ctx context.Context, a authz.Actor, sessionID int64, members []int64, certify bool) (Session, error)
	Certificates(ctx context.Context, memberID int64) ([]Certificate, error)
	AddCertificate(ctx context.Context, a authz.Actor, c Certificate) (Certificate, error)
	// Lapsing lists certificates that lapse within d of at.
	Lapsing(ctx context.Context, at time.Time, d time.Duration) ([]Certificate, error)
	// RenewalClocks are the certificates' renewal clocks (deadline kind
	// ExpiryKind), by certificate id.
	RenewalClocks(ctx context.Context) (map[int64]deadline.Deadline, error)
	// Training is a member's record: sessions attended and drills taken
	// part in, newest first (memberID 0: everyone's).
	Training(ctx context.Context, memberID int64) ([]Record, error)

	// The shared library of training materials.
	Materials(ctx context.Context) ([]Material, error)
	Material(ctx context.Context, id int64) (Material, error)
	// Upload adds a material (id 0) or a new version of one.
	Upload(ctx context.Context, a authz.Actor, id int64, title, description, fileName, contentType string, body io.Reader, size int64) (Material, error)
	// MaterialFile returns one version's file.
	MaterialFile(ctx context.Context, id int64, number int) (MaterialVersion, []byte, error)

	// Recruitment.
	Openings(ctx context.Context) ([]Opening, error)
	Opening(ctx context.Context, id int64) (Opening, error)
	AddOpening(ctx context.Context, a authz.Actor, o Opening) (Opening, error)
	Candidates(ctx context.Context, openingID int64) ([]Candidate, error)
	AddCandidate(ctx context.Context, a authz.Actor, c Candidate) (Candidate, error)
	Interviews(ctx context.Context, candidateID int64) ([]Interview, error)
	AddInterview(ctx context.Context, a authz.Actor, iv Interview) (Interview, error)
	// Decide records the decision on a candidate; a hired one becomes an
	// outside member holding the opening's role.
	Decide(ctx context.Context, a authz.Actor, candidateID int64, decision, note string) (Candidate, error)
}
