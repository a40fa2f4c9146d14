package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/ical"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/store"
)

// MeetingMailWorker e-mails one person a weekly meeting's invitation,
// with its iCalendar file (METHOD:REQUEST, weekly RRULE), or its approved
// minutes. Like DrillMailWorker, a temporary failure is retried and a
// refusal cancels the job; without a mail server nothing is sent.
type MeetingMailWorker struct {
	river.WorkerDefaults[meeting.MailArgs]
	Store    *store.Store
	Mailer   *email.Sender // nil when no mail server is configured
	BaseURL  string
	Location *time.Location // the office's zone: the meeting recurs in it
	Logger   *slog.Logger
}

// Work sends the e-mail.
func (w *MeetingMailWorker) Work(ctx context.Context, job *river.Job[meeting.MailArgs]) error {
	if w.Mailer == nil {
		w.Logger.Debug("meeting mail not sent: no mail server", "meeting", job.Args.MeetingID)
		return nil
	}
	m, err := w.Store.MeetingMail(ctx, job.Args.MeetingID, job.Args.UserID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.User.Disabled || m.User.Email == "" {
		return nil
	}
	var msg email.Message
	if job.Args.What == "minutes" {
		msg = MinutesMail(m, w.BaseURL, w.Location)
	} else {
		var org string
		if o, err := w.Store.Accounts().User(ctx, m.Series.OrganiserID); err == nil {
			org = o.Email
		}
		if msg, err = InvitationMail(m, org, w.BaseURL, w.Location); err != nil {
			return river.JobCancel(err)
		}
	}
	retry, err := w.Mailer.SendMail(ctx, msg)
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("meeting mail refused", "meeting", job.Args.MeetingID, "err", err)
		return river.JobCancel(err)
	}
	w.Logger.Warn("meeting mail failed, will retry", "meeting", job.Args.MeetingID, "attempt", job.Attempt, "err", err)
	return err
}

// Invitation is the series' iCalendar invitation: one weekly event from
// the first meeting, in the office's zone, with its invitees.
func Invitation(m store.MeetingMail, organiserEmail, baseURL string, loc *time.Location) ical.Calendar {
	if loc == nil {
		loc = time.UTC
	}
	s := m.Series
	ev := ical.Event{UID: fmt.Sprintf("meeting-series-%d@crisisdesk", s.ID), Start: s.FirstStart, End: s.FirstStart.Add(s.Duration),
		Updated: s.CreatedAt, Summary: s.Title, Location: s.Location, RRule: s.RRule(loc), TZID: loc.String(),
		URL: strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/meetings/%d", m.Meeting.ID)}
	if organiserEmail != "" {
		ev.Organizer = &ical.Person{Name: m.Names[s.OrganiserID], Email: organiserEmail}
	}
	ev.Attendees = []ical.Person{{Name: m.Names[m.User.ID], Email: m.User.Email}}
	return ical.Calendar{Method: "REQUEST", Zone: loc, Events: []ical.Event{ev}}
}

// InvitationMail is the invitation e-mail with its .ics attached.
func InvitationMail(m store.MeetingMail, organiserEmail, baseURL string, loc *time.Location) (email.Message, error) {
	var buf bytes.Buffer
	if err := ical.Write(&buf, Invitation(m, organiserEmail, baseURL, loc)); err != nil {
		return email.Message{}, fmt.Errorf("invitation: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	s := m.Series
	body := fmt.Sprintf("You are invited to the meeting %q.\n\nFirst meeting: %s (%s), then every %d week(s).\nVenue: %s\n\nOpen it: %s/desk/meetings/%d\n",
		s.Title, s.FirstStart.In(loc).Format("2006-01-02 15:04"), loc, max(s.IntervalWks, 1), s.Location, strings.TrimRight(baseURL, "/"), m.Meeting.ID)
	return email.Message{To: m.User.Email, Subject: "[crisisdesk] Invitation: " + s.Title, Text: body,
		Headers:     map[string]string{"X-Crisisdesk-Meeting": fmt.Sprint(m.Meeting.ID)},
		Attachments: []email.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: buf.Bytes()}}}, nil
}

// MinutesMail is the approved minutes as plain text.
func MinutesMail(m store.MeetingMail, baseURL string, loc *time.Location) email.Message {
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Minutes of %q, %s (%s)\n\nAttendance:\n", m.Series.Title, m.Meeting.StartsAt.In(loc).Format("2006-01-02 15:04"), loc)
	for _, id := range m.Meeting.Attendees {
		fmt.Fprintf(&b, "- %s\n", m.Names[id])
	}
	b.WriteString("\nDecisions:\n")
	for _, d := range m.Meeting.Decisions {
		fmt.Fprintf(&b, "- %s\n", d)
	}
	b.WriteString("\nActions:\n")
	for _, x := range m.Actions {
		fmt.Fprintf(&b, "- %s — %s, due %s\n", x.Text, m.Names[x.OwnerID], x.Due.In(loc).Format("2006-01-02"))
	}
	if m.Meeting.Notes != "" {
		fmt.Fprintf(&b, "\nNotes:\n%s\n", m.Meeting.Notes)
	}
	fmt.Fprintf(&b, "\nOpen the minutes: %s/desk/meetings/%d\n", strings.TrimRight(baseURL, "/"), m.Meeting.ID)
	return email.Message{To: m.User.Email, Subject: "[crisisdesk] Minutes: " + m.Series.Title, Text: b.String(),
		Headers: map[string]string{"X-Crisisdesk-Meeting": fmt.Sprint(m.Meeting.ID)}}
}
