package drill

import (
	"slices"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// InjectState is where an inject of the master scenario events list
// (MSEL) stands.
type InjectState string

// The states of an inject.
const (
	InjectPending   InjectState = "pending"   // waiting for its time
	InjectDelivered InjectState = "delivered" // delivered, at its time or fired early
	InjectSkipped   InjectState = "skipped"   // skipped by the controller
)

// InjectChannels are how an inject reaches its people besides the
// exercise crisis room: always in the app, and by e-mail or SMS if
// chosen.
var InjectChannels = []string{"app", "email", "sms"}

// Inject is one timed scenario event: at an offset from the drill's start
// (Relative) or at an absolute time, from someone (a simulated caller,
// the media, a department) to a role or a person, by a channel, with the
// message and the action expected of the players.
type Inject struct {
	ID       int64
	DrillID  int64
	Seq      int
	Relative bool
	Offset   time.Duration // after the start, when Relative
	At       time.Time     // when not Relative
	DueAt    time.Time     // when it is delivered: from the offset or At, moved on by pauses
	From     string
	To       string // a role name or a user's sign-in name
	Channel  string
	Message  string
	Expected string
	State    InjectState

	DeliveredAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Base is the moment inject offsets count from: the actual start once the
// drill started, else the planned one.
func (d Drill) Base() time.Time {
	if !d.StartedAt.IsZero() {
		return d.StartedAt
	}
	return d.StartsAt
}

// Window is the drill's window as its injects see it: the planned window,
// moved to the actual start once started.
func (d Drill) Window() (from, to time.Time) {
	return d.Base(), d.Base().Add(d.EndsAt.Sub(d.StartsAt))
}

// Due returns when inject i falls in drill d, before any pause.
func Due(d Drill, i Inject) time.Time {
	if i.Relative {
		return d.Base().Add(i.Offset)
	}
	return i.At.UTC()
}

// NormalizeInject trims an inject's texts.
func NormalizeInject(i *Inject) {
	i.From, i.To, i.Channel = text(i.From), text(i.To), text(i.Channel)
	i.Message, i.Expected = text(i.Message), text(i.Expected)
	if i.Channel == "" {
		i.Channel = "app"
	}
}

// ValidateInject checks inject i against drill d: its time within the
// drill's window, naming the cause, and its fields. Field names are the
// API's.
func ValidateInject(d Drill, i Inject) error {
	var f fault.Fields
	switch {
	case i.Relative && i.Offset < 0:
		f.Add("offset", "an offset counts forward from the start")
	case !i.Relative && i.At.IsZero():
		f.Add("at", "give an offset after the start or a time")
	default:
		from, to := d.Window()
		if due := Due(d, i); due.Before(from) || due.After(to) {
			field := "at"
			if i.Relative {
				field = "offset"
			}
			f.Add(field, "the inject falls outside the drill's window (%s to %s)", from.Format(time.RFC3339), to.Format(time.RFC3339))
		}
	}
	if i.From == "" {
		f.Add("from", "say who the inject is from")
	}
	if i.To == "" {
		f.Add("to", "say who receives it: a role or a user")
	}
	if !slices.Contains(InjectChannels, i.Channel) {
		f.Add("channel", "choose app, email or sms")
	}
	switch n := utf8.RuneCountInString(i.Message); {
	case n == 0:
		f.Add("message", "write the message")
	case n > 5000:
		f.Add("message", "at most 5000 characters")
	}
	for _, s := range []struct{ field, v string }{{"from", i.From}, {"to", i.To}} {
		if utf8.RuneCountInString(s.v) > 200 {
			f.Add(s.field, "at most 200 characters")
		}
		plaintext.CheckLine(&f, s.field, s.v)
	}
	plaintext.Check(&f, "message", i.Message)
	plaintext.Check(&f, "expected", i.Expected)
	return f.Err()
}

// CanAddInject says whether a may add an inject to d now: a planner before
// the drill runs, a controller while it runs.
func CanAddInject(d Drill, a authz.Actor) error {
	switch d.State {
	case Planned, Ready:
		return authz.Require(a, authz.PlanDrill)
	case Running:
		return authz.Require(a, authz.ControlDrill)
	}
	return fault.New(fault.Conflict, "a %s drill takes no more injects", d.State)
}

// Control checks that a may control the running drill d's injects.
func Control(d Drill, a authz.Actor) error {
	if err := authz.Require(a, authz.ControlDrill); err != nil {
		return err
	}
	if d.State != Running {
		return fault.New(fault.Conflict, "only a running drill's injects are controlled; this drill is %s", d.State)
	}
	return nil
}

// Pause pauses a running drill's injects: none is delivered until Resume.
func Pause(d Drill, a authz.Actor, now time.Time) (Drill, error) {
	if err := Control(d, a); err != nil {
		return d, err
	}
	if !d.PausedAt.IsZero() {
		return d, fault.New(fault.Conflict, "the drill is paused already")
	}
	d.PausedAt, d.UpdatedAt = now, now
	d.Steps = step(d, "pause", a, now, "")
	return d, nil
}

// Resume resumes a paused drill; held is how long it was paused, by which
// the store moves every pending inject on.
func Resume(d Drill, a authz.Actor, now time.Time) (out Drill, held time.Duration, err error) {
	if err := Control(d, a); err != nil {
		return d, 0, err
	}
	if d.PausedAt.IsZero() {
		return d, 0, fault.New(fault.Conflict, "the drill is not paused")
	}
	held = now.Sub(d.PausedAt)
	d.PausedAt, d.UpdatedAt = time.Time{}, now
	d.Steps = step(d, "resume", a, now, "")
	return d, held, nil
}

// Deliverable reports whether inject i of d is delivered by a job due at
// jobDue: the drill runs and is not paused, the inject is pending, and the
// job is for its current time (a pause or a resume leaves older jobs
// behind, which then do nothing).
func Deliverable(d Drill, i Inject, jobDue time.Time) bool {
	return d.State == Running && d.PausedAt.IsZero() && i.State == InjectPending && i.DueAt.Equal(jobDue)
}

// InjectArgs is the River job that delivers an inject at its time. It is
// scheduled when the drill starts, when a pending inject is added to a
// running drill, and again for every pending inject on resume.
type InjectArgs struct {
	InjectID int64     `json:"inject_id"`
	DueAt    time.Time `json:"due_at"`
}

// Kind names the job.
func (InjectArgs) Kind() string { return "drill_inject" }
