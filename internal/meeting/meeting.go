// Package meeting is the programme's weekly meeting of the project team
// and the heads of the departments concerned: a recurring series with an
// iCalendar invitation, an agenda generated from what changed since the
// last meeting, the minutes kept during it (attendance, decisions,
// actions on the one action list), approved and then sent to the
// attendees.
package meeting

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Series is a recurring meeting: every week on the weekday and at the time
// of its first meeting, in the office's zone.
type Series struct {
	ID          int64
	Title       string
	Location    string
	FirstStart  time.Time
	Duration    time.Duration
	IntervalWks int     // 1: every week, 2: every other week
	Invitees    []int64 // the project team and the heads of departments
	OrganiserID int64
	CreatedAt   time.Time
}

// RRule is the series' recurrence as an RFC 5545 RRULE value, in the zone
// of loc (the weekday of the first meeting there).
func (s Series) RRule(loc *time.Location) string {
	days := []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
	r := "FREQ=WEEKLY"
	if s.IntervalWks > 1 {
		r += ";INTERVAL=" + itoa(int64(s.IntervalWks))
	}
	if loc == nil {
		loc = time.UTC
	}
	return r + ";BYDAY=" + days[s.FirstStart.In(loc).Weekday()]
}

// Next is the first meeting of the series that starts after t.
func (s Series) Next(t time.Time) time.Time {
	step := time.Duration(max(s.IntervalWks, 1)) * 7 * 24 * time.Hour
	at := s.FirstStart
	for !at.After(t) {
		at = at.Add(step)
	}
	return at
}

// CheckSeries checks a new series: a title, a first meeting in the future,
// a duration between 15 minutes and 8 hours, at least one invitee.
func CheckSeries(in Series, a authz.Actor, now time.Time) (Series, error) {
	if err := authz.Require(a, authz.RunMeetings); err != nil {
		return in, err
	}
	in.Title, in.Location = clean(in.Title), clean(in.Location)
	var f fault.Fields
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 {
		f.Add("title", "give the meeting a title of at most 200 characters")
	}
	if in.FirstStart.IsZero() || !in.FirstStart.After(now) {
		f.Add("first_start", "give the first meeting's date and time, in the future")
	}
	if in.Duration < 15*time.Minute || in.Duration > 8*time.Hour {
		f.Add("duration", "a meeting lasts between 15 minutes and 8 hours")
	}
	if in.IntervalWks == 0 {
		in.IntervalWks = 1
	}
	if in.IntervalWks < 1 || in.IntervalWks > 4 {
		f.Add("interval", "meet every 1 to 4 weeks")
	}
	in.Invitees = uniq(in.Invitees)
	if len(in.Invitees) == 0 {
		f.Add("invitees", "invite at least one person")
	}
	plaintext.CheckLine(&f, "title", in.Title)
	plaintext.CheckLine(&f, "location", in.Location)
	if err := f.Err(); err != nil {
		return in, err
	}
	in.OrganiserID, in.CreatedAt = a.UserID, now
	return in, nil
}

// State is where a meeting stands.
type State string

// A meeting is scheduled, then its minutes are kept (held), then
// approved; approving sends them to the attendees.
const (
	Scheduled State = "scheduled"
	Held      State = "held"
	Approved  State = "approved"
)

// Meeting is one meeting of a series.
type Meeting struct {
	ID         int64
	SeriesID   int64
	StartsAt   time.Time
	Agenda     Agenda
	Attendees  []int64
	Decisions  []string
	Notes      string
	State      State
	AuthorID   int64 // who kept the minutes
	ApprovedBy int64
	ApprovedAt time.Time
	SentAt     time.Time // the minutes were queued to the attendees
	UpdatedAt  time.Time
	Lock       int64
}

// Minutes is what is written during the meeting.
type Minutes struct {
	Attendees []int64
	Decisions []string
	Notes     string
	Lock      int64
}

// KeepMinutes records the minutes of a scheduled or held meeting: the
// attendance (at least one person), the decisions and notes.
func KeepMinutes(m Meeting, a authz.Actor, now time.Time, in Minutes) (Meeting, error) {
	if err := authz.Require(a, authz.RunMeetings); err != nil {
		return m, err
	}
	if m.State == Approved {
		return m, fault.New(fault.Conflict, "the minutes are approved: they are not changed any more")
	}
	var f fault.Fields
	in.Attendees = uniq(in.Attendees)
	if len(in.Attendees) == 0 {
		f.Add("attendees", "tick who attended")
	}
	var ds []string
	for _, d := range in.Decisions {
		if d = strings.TrimSpace(plaintext.Normalize(d)); d != "" {
			ds = append(ds, d)
			plaintext.Check(&f, "decisions", d)
		}
	}
	in.Notes = strings.TrimSpace(plaintext.Normalize(in.Notes))
	if utf8.RuneCountInString(in.Notes) > 20000 {
		f.Add("notes", "at most 20000 characters")
	}
	plaintext.Check(&f, "notes", in.Notes)
	if err := f.Err(); err != nil {
		return m, err
	}
	if ds == nil {
		ds = []string{}
	}
	m.Attendees, m.Decisions, m.Notes, m.State, m.AuthorID, m.UpdatedAt = in.Attendees, ds, in.Notes, Held, a.UserID, now
	return m, nil
}

// CheckAction checks an action decided at the meeting: the meeting's
// minutes are still open and the action has an owner and a due date.
func CheckAction(m Meeting, a authz.Actor, in action.Action) (action.Action, error) {
	if err := authz.Require(a, authz.RunMeetings); err != nil {
		return in, err
	}
	if m.State == Approved {
		return in, fault.New(fault.Conflict, "the minutes are approved: add the action to the next meeting")
	}
	if in.OwnerID <= 0 {
		return in, fault.Field("owner_id", "an action from a meeting needs an owner")
	}
	in.Source = action.Source{Kind: action.FromMeeting, ID: m.ID}
	return in, nil
}

// Approve approves held minutes: someone who may approve and did not keep
// them.
func Approve(m Meeting, a authz.Actor, now time.Time) (Meeting, error) {
	if err := authz.Require(a, authz.ApproveMinutes); err != nil {
		return m, err
	}
	if m.State != Held {
		return m, fault.New(fault.Conflict, "only kept minutes are approved; this meeting is %s", m.State)
	}
	if a.UserID != 0 && a.UserID == m.AuthorID {
		return m, fault.New(fault.Forbidden, "who kept the minutes does not approve them: ask someone else")
	}
	m.State, m.ApprovedBy, m.ApprovedAt, m.SentAt, m.UpdatedAt = Approved, a.UserID, now, now, now
	return m, nil
}

// Service keeps the meetings.
//
// CreateSeries checks with CheckSeries, makes the first meeting and
// e-mails each invitee the iCalendar invitation. GenerateAgenda
// (re)builds a scheduled or held meeting's agenda from the sources since
// the last approved meeting. SaveMinutes follows KeepMinutes (conflict on
// a stale Lock). AddAction adds an action to the one action list
// (invalid on owner_id without an owner). Approve follows Approve,
// queues the minutes to the attendees and schedules the next meeting.
// Errors: invalid naming the field, forbidden, not_found, conflict.
type Service interface {
	CreateSeries(ctx context.Context, a authz.Actor, in Series) (Series, Meeting, error)
	ListSeries(ctx context.Context) ([]Series, error)
	Series(ctx context.Context, id int64) (Series, error)
	Meetings(ctx context.Context, seriesID int64) ([]Meeting, error)
	Get(ctx context.Context, id int64) (Meeting, error)
	GenerateAgenda(ctx context.Context, a authz.Actor, id int64) (Meeting, error)
	SaveMinutes(ctx context.Context, a authz.Actor, id int64, in Minutes) (Meeting, error)
	AddAction(ctx context.Context, a authz.Actor, id int64, in action.Action) (action.Action, error)
	Approve(ctx context.Context, a authz.Actor, id int64) (Meeting, error)
}

// MailArgs is the River job that e-mails one person a meeting's
// invitation (with its iCalendar file) or its approved minutes.
type MailArgs struct {
	MeetingID int64  `json:"meeting_id"`
	UserID    int64  `json:"user_id"`
	What      string `json:"what"` // "invitation" or "minutes"
}

// Kind names the job.
func (MailArgs) Kind() string { return "meeting_mail" }

func clean(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }

func uniq(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
