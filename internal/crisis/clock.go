package crisis

import (
	"strings"
	"time"
)

// ClockKind says what a clock measures.
type ClockKind string

// The clocks of a crisis.
const (
	ActivationClock  ClockKind = "activation"   // plan activated within 24 h of the crisis occurring
	FirstNoticeClock ClockKind = "first_notice" // first public notice within 30 min of the crisis occurring
	CadenceClock     ClockKind = "cadence"      // the next update due by the communication matrix
	TaskClock        ClockKind = "task"         // a task's deadline
)

// ClockState is a clock's state at a moment.
type ClockState string

// Clock states.
const (
	Pending ClockState = "pending"
	Met     ClockState = "met"
	Overdue ClockState = "overdue"
)

// Basis is the moment a clock counts from.
type Basis string

// The moments clocks count from.
const (
	FromOccurrence  Basis = "occurred"    // the crisis occurred (the plan's clocks)
	FromDetection   Basis = "detected"    // the crisis was detected: its occurrence is unknown
	FromDeclaration Basis = "declared"    // the crisis was declared (first-notice clocks recorded before they counted from the occurrence)
	FromActivation  Basis = "activated"   // the plan was activated (task deadlines)
	FromRecovery    Basis = "recovery"    // the crisis entered recovery (recovery steps)
	FromLastUpdate  Basis = "last_update" // the previous update of a cadence
)

// WarnAt is the share of a clock's span after which its owner and the
// commander are warned.
const WarnAt = 0.8

// Clock is a deadline the crisis runs against.
type Clock struct {
	ID        int64
	CrisisID  int64
	Kind      ClockKind
	Name      string // e.g. "activation", "first_notice", "cadence:c1", "task:17"
	Ref       string // the task id or matrix row key
	OwnerID   int64  // who is alerted besides the commander; 0 for none
	Basis     Basis  // the moment StartedAt is
	Subject   string // what a task clock is about: the task's title
	StartedAt time.Time
	DueAt     time.Time
	MetAt     time.Time
	WarnedAt  time.Time
	ExpiredAt time.Time
}

// State returns the clock's state at now. A clock met after its due time
// stays overdue: the record shows it was late.
func (c Clock) State(now time.Time) ClockState {
	switch {
	case !c.MetAt.IsZero() && !c.MetAt.After(c.DueAt):
		return Met
	case !c.MetAt.IsZero():
		return Overdue
	case now.After(c.DueAt):
		return Overdue
	}
	return Pending
}

// Left returns the time left at now (negative when overdue).
func (c Clock) Left(now time.Time) time.Duration { return c.DueAt.Sub(now) }

// OverdueAtStart reports whether the clock was already due when it was
// recorded at created: a crisis declared after its first notice was due.
func (c Clock) OverdueAtStart(created time.Time) bool { return !c.DueAt.After(created) }

// WarnTime returns when the 80 % warning is due.
func (c Clock) WarnTime() time.Time {
	span := c.DueAt.Sub(c.StartedAt)
	return c.StartedAt.Add(time.Duration(float64(span) * WarnAt))
}

// MostUrgent returns the pending or overdue-unmet clock due first.
func MostUrgent(clocks []Clock) (Clock, bool) {
	var best Clock
	found := false
	for _, c := range clocks {
		if !c.MetAt.IsZero() {
			continue
		}
		if !found || c.DueAt.Before(best.DueAt) {
			best, found = c, true
		}
	}
	return best, found
}

// Label names a clock in plain English, for logs; the UI and e-mails use
// their own translated words. subject is the clock's Subject: a task is
// named by its title, not its number.
func Label(name, subject string) string {
	switch {
	case name == "activation":
		return "plan activation"
	case name == "first_notice":
		return "first public notice"
	case strings.HasPrefix(name, "cadence:"):
		key, _, _ := strings.Cut(strings.TrimPrefix(name, "cadence:"), "#")
		return "scheduled update " + key
	case strings.HasPrefix(name, "task:") && subject != "":
		return "task “" + subject + "”"
	case strings.HasPrefix(name, "task:"):
		return "task " + strings.TrimPrefix(name, "task:")
	}
	return name
}
