// Package deadline is a clock on anything that is not a crisis: a reply
// owed to a question or a journalist, a risk's review, a certificate's
// expiry, a report's submission. Crisis clocks stay in package crisis;
// a deadline may name the crisis it serves.
//
// A deadline runs from StartedAt to DueAt. At 80 % of the way and at
// expiry its owner and watchers are alerted, in the app and by e-mail;
// meeting it stops the alerts. One deadline per kind and subject is open
// at a time: starting it again replaces the open one. The KPIs read the
// on-time share of each kind from the stored deadlines.
package deadline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"crisisdesk/internal/i18n"
)

// Subject is what a deadline is about: a domain's kind of thing and its id.
type Subject struct {
	Kind string // "feedback", "inquiry", "risk", …
	ID   int64
}

func (s Subject) String() string { return fmt.Sprintf("%s/%d", s.Kind, s.ID) }

// Deadline is one clock.
type Deadline struct {
	ID       int64
	Kind     string // "feedback_reply", "risk_review", …: names the clock in every language as "deadline.kind.<Kind>"
	Subject  Subject
	CrisisID int64   // the crisis it serves; 0 when none
	OwnerID  int64   // the user alerted; 0 when nobody in particular
	Watchers []int64 // others alerted too: coordinators, managers
	// Link is the staff path the alert points to, such as "/desk/feedback/42".
	Link string
	// Args are the arguments of the kind's message key (and of the alert
	// texts): plain values such as {"ref": "FB-0042"}.
	Args map[string]string

	StartedAt   time.Time
	DueAt       time.Time
	WarnedAt    time.Time // when the 80 % alert went out
	ExpiredAt   time.Time // when the expiry alert went out
	MetAt       time.Time
	CancelledAt time.Time
}

// State of a deadline at a moment.
type State string

// The states, in the order a deadline passes through them.
const (
	Running   State = "running"   // less than 80 % of the time used
	Warning   State = "warning"   // 80 % or more used, not yet due
	Overdue   State = "overdue"   // due and not met
	Met       State = "met"       // met in time
	MetLate   State = "met_late"  // met after it was due
	Cancelled State = "cancelled" // no longer owed
)

// WarnFraction is the share of the time after which the first alert goes.
const WarnFraction = 0.8

// WarnAt is the moment 80 % of the time has run.
func (d Deadline) WarnAt() time.Time {
	span := d.DueAt.Sub(d.StartedAt)
	return d.StartedAt.Add(time.Duration(float64(span) * WarnFraction))
}

// State tells where d stands at now.
func (d Deadline) State(now time.Time) State {
	switch {
	case !d.CancelledAt.IsZero():
		return Cancelled
	case !d.MetAt.IsZero() && d.MetAt.After(d.DueAt):
		return MetLate
	case !d.MetAt.IsZero():
		return Met
	case !now.Before(d.DueAt):
		return Overdue
	case !now.Before(d.WarnAt()):
		return Warning
	}
	return Running
}

// Open reports whether d is still owed: neither met nor cancelled.
func (d Deadline) Open() bool { return d.MetAt.IsZero() && d.CancelledAt.IsZero() }

// OnTime reports whether a settled deadline was met in time; ok is false
// while it is open or when it was cancelled.
func (d Deadline) OnTime() (onTime, ok bool) {
	if d.MetAt.IsZero() {
		return false, false
	}
	return !d.MetAt.After(d.DueAt), true
}

// Left is the time left at now: negative once overdue.
func (d Deadline) Left(now time.Time) time.Duration { return d.DueAt.Sub(now) }

// Used is the share of the time used at now, 0 to 1 (capped).
func (d Deadline) Used(now time.Time) float64 {
	span := d.DueAt.Sub(d.StartedAt)
	if span <= 0 {
		return 1
	}
	f := float64(now.Sub(d.StartedAt)) / float64(span)
	return min(max(f, 0), 1)
}

var kindRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Errors of Validate.
var (
	ErrKind    = errors.New("deadline kind must be lower-case letters, digits and underscores")
	ErrSubject = errors.New("deadline subject needs a kind and an id")
	ErrDue     = errors.New("deadline is due before it starts")
)

// Validate checks what the store needs; a programming error, not input.
func (d Deadline) Validate() error {
	switch {
	case !kindRE.MatchString(d.Kind):
		return fmt.Errorf("%w: %q", ErrKind, d.Kind)
	case !kindRE.MatchString(d.Subject.Kind) || d.Subject.ID <= 0:
		return fmt.Errorf("%w: %s", ErrSubject, d.Subject)
	case d.StartedAt.IsZero() || !d.DueAt.After(d.StartedAt):
		return ErrDue
	}
	return nil
}

// Filter selects deadlines. Zero fields select everything.
type Filter struct {
	Kind        string
	SubjectKind string
	OwnerID     int64
	CrisisID    int64
	OpenOnly    bool
	From, To    time.Time // due in [From, To)
	Limit       int       // default 500
}

// Stage of an alert.
type Stage string

// Alert stages.
const (
	WarnStage    Stage = "warn"    // 80 % used
	ExpiredStage Stage = "expired" // due and not met
)

// Alert is an in-app message to one person about a deadline; the same is
// e-mailed when a mail server is configured. Its text is the message key
// "deadline.alert.<Stage>" with the deadline's Args, "KindKey" naming the
// clock and "Due" its due time, rendered in the reader's language.
type Alert struct {
	ID         int64
	DeadlineID int64
	UserID     int64
	Stage      Stage
	Deadline   Deadline
	CreatedAt  time.Time
	ReadAt     time.Time
}

// AlertArgs is the background job that alerts a deadline's people when
// it reaches 80 % and when it runs out. It is scheduled when the deadline
// starts, and does nothing if the deadline was met or replaced meanwhile.
type AlertArgs struct {
	DeadlineID int64 `json:"deadline_id"`
	Stage      Stage `json:"stage"`
}

// Kind names the job.
func (AlertArgs) Kind() string { return "deadline_alert" }

// MailArgs is the job that e-mails one recorded alert. It names the
// alert, not its content: address and text are read when it runs.
type MailArgs struct {
	AlertID int64 `json:"alert_id"`
}

// Kind names the job.
func (MailArgs) Kind() string { return "deadline_alert_mail" }

// MailAttempts is how often an alert e-mail is tried.
const MailAttempts = 8

// Alerts are a person's deadline alerts (the store implements it): the
// dashboard lists the unread ones and marks them read.
type Alerts interface {
	// DeadlineAlerts lists userID's alerts, newest first, at most limit.
	DeadlineAlerts(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]Alert, error)
	// MarkDeadlineAlertsRead marks userID's listed alerts read; others'
	// alerts are left alone.
	MarkDeadlineAlertsRead(ctx context.Context, userID int64, ids []int64) error
}

// Msg is the alert's text as a message key and its arguments, for a
// reader whose time zone is loc (nil: UTC): "deadline.alert.<Stage>" with
// the deadline's Args, KindKey naming the clock by "deadline.kind.<Kind>"
// (rendered with the same Args) and Due in loc with its zone named.
func (a Alert) Msg(loc *time.Location) (key string, args map[string]string) {
	if loc == nil {
		loc = time.UTC
	}
	args = make(map[string]string, len(a.Deadline.Args)+2)
	for k, v := range a.Deadline.Args {
		args[k] = v
	}
	due := a.Deadline.DueAt.In(loc)
	args["KindKey"] = "deadline.kind." + a.Deadline.Kind
	args["Due"] = due.Format("2006-01-02 15:04 ") + i18n.ZoneLabel(due)
	return "deadline.alert." + string(a.Stage), args
}
