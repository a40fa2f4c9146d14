package kit

import (
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/i18n"
)

// DeadlineView is a deadline as the pages show it, for the partial
// "deadline": its name in the reader's words, the countdown of the
// partial "clock", and its own state ("met late", "cancelled").
type DeadlineView struct {
	ClockView
	DState deadline.State
	Link   string
}

// NewDeadlineView shows d as it stands at now, named in tr's language
// by its kind's message key ("deadline.kind.<Kind>") with its arguments.
func NewDeadlineView(tr i18n.Translator, d deadline.Deadline, now time.Time) DeadlineView {
	label := tr.Msg("deadline.kind."+d.Kind, d.Args)
	c := crisis.Clock{ID: d.ID, StartedAt: d.StartedAt, DueAt: d.DueAt, MetAt: d.MetAt}
	if !d.CancelledAt.IsZero() && d.MetAt.IsZero() {
		c.MetAt = d.CancelledAt // stops the countdown; the state says cancelled
	}
	return DeadlineView{ClockView: NewClockView(label, c, now), DState: d.State(now), Link: d.Link}
}

// DeadlineAlertText is a deadline alert in tr's language, the due time
// in loc.
func DeadlineAlertText(tr i18n.Translator, a deadline.Alert, loc *time.Location) string {
	return tr.Msg(a.Msg(loc))
}
