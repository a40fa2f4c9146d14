package team

import (
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Shift is one person on duty in one role from StartsAt until EndsAt.
type Shift struct {
	ID        int64
	RoleKey   string
	MemberID  int64
	StartsAt  time.Time // UTC
	EndsAt    time.Time
	Note      string
	CreatedBy int64
	CreatedAt time.Time
	Version   int64
	// MemberName is filled on read.
	MemberName string
}

// Covers reports whether the shift runs at t.
func (s Shift) Covers(t time.Time) bool { return !t.Before(s.StartsAt) && t.Before(s.EndsAt) }

// Overlaps reports whether two shifts share a moment.
func (s Shift) Overlaps(o Shift) bool {
	return s.StartsAt.Before(o.EndsAt) && o.StartsAt.Before(s.EndsAt)
}

// MaxShift is the longest shift the rota takes.
const MaxShift = 7 * 24 * time.Hour

// Validate checks a shift on its own; the store refuses one that
// overlaps another shift of the same person ("starts_at").
func (s Shift) Validate() error {
	var f fault.Fields
	if s.RoleKey == "" {
		f.Add("role", "choose the role")
	}
	if s.MemberID <= 0 {
		f.Add("member_id", "choose who is on duty")
	}
	switch {
	case s.StartsAt.IsZero():
		f.Add("starts_at", "give the start")
	case s.EndsAt.IsZero():
		f.Add("ends_at", "give the end")
	case !s.EndsAt.After(s.StartsAt):
		f.Add("ends_at", "the end comes after the start")
	case s.EndsAt.Sub(s.StartsAt) > MaxShift:
		f.Add("ends_at", "a shift lasts at most a week")
	}
	if utf8.RuneCountInString(s.Note) > MaxText {
		f.Add("note", "at most %d characters", MaxText)
	}
	plaintext.CheckLine(&f, "note", s.Note)
	return f.Err()
}

// Swap records that a shift passed from one person to another.
type Swap struct {
	ID           int64
	ShiftID      int64
	FromMemberID int64
	ToMemberID   int64
	Reason       string
	ActorID      int64
	At           time.Time
	// Names are filled on read.
	FromName, ToName, RoleKey string
	StartsAt                  time.Time
}

// Duty is who holds a role at a moment: the person on the shift, or,
// with no shift, the first active deputy (Deputy set). Next is the next
// shift of the role after the moment, if any.
type Duty struct {
	RoleKey string
	Member  Member // zero when nobody
	Shift   Shift  // zero when a deputy stands in
	Deputy  bool
	Next    Shift
	// Lacks are the required courses the person on duty holds no valid
	// certificate of: the rota's warning.
	Lacks []Course
}

// Covered reports whether someone holds the role.
func (d Duty) Covered() bool { return d.Member.ID != 0 }
