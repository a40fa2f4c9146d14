package kit

import (
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
)

// FormatTime shows a time to the minute in loc (nil: UTC), followed by the
// zone, so that a time is never ambiguous: "2026-11-26 16:04 HKT"; the zero
// time is blank.
func FormatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return t.Format("2006-01-02 15:04 ") + i18n.ZoneLabel(t)
}

// DateText writes a date as a date input wants it, in UTC; the zero time
// is blank.
func DateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// durationWords writes a plan's deadline or cadence in words in tr's
// language ("2 小時"); none is blank.
func durationWords(tr i18n.Translator, d plan.Duration) string {
	if d <= 0 {
		return ""
	}
	return tr.Duration(time.Duration(d))
}

// formatSize writes a file size in KiB or MiB.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// DatetimeLocal is the layout of a datetime-local input.
const DatetimeLocal = "2006-01-02T15:04"

// ZoneOption is an offset from UTC a form offers for the times typed into
// it.
type ZoneOption struct {
	Minutes int // east of UTC
	Label   string
}

// Zones are the offsets the forms offer: UTC, which the exports keep, and
// the offices' own UTC+8.
var Zones = []ZoneOption{{0, "UTC"}, {480, "UTC+08:00"}}

// FormTime reads a time typed into a datetime-local input (seconds and a
// space instead of the T are taken too) at offset minutes east of UTC;
// ok is false when s is no such time.
func FormTime(s string, offset int) (t time.Time, ok bool) {
	zone := time.FixedZone("form", offset*60)
	for _, layout := range []string{DatetimeLocal, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ClockView is a clock as the pages show it, for the partial "clock". Due
// carries the due time for the countdown script; Left is the same
// countdown as it stood when the page was made, so that the page reads
// right without the script.
type ClockView struct {
	ID    int64
	Label string
	DueAt time.Time
	MetAt time.Time
	Due   string // RFC 3339, for data-due
	State crisis.ClockState
	Left  string
}

// NewClockView shows clock c, called label, as it stands at now.
func NewClockView(label string, c crisis.Clock, now time.Time) ClockView {
	v := ClockView{ID: c.ID, Label: label, DueAt: c.DueAt, MetAt: c.MetAt, Due: c.DueAt.UTC().Format(time.RFC3339), State: c.State(now)}
	if c.MetAt.IsZero() {
		v.Left = formatLeft(c.Left(now))
	}
	return v
}

// formatLeft writes a countdown as static/live.js does: "1d 02:03:04",
// "02:03:04", and with a minus sign once overdue.
func formatLeft(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	s := int64(d / time.Second)
	days, h, m, sec := s/86400, s%86400/3600, s%3600/60, s%60
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, sec)
	if days > 0 {
		out = strconv.FormatInt(days, 10) + "d " + out
	}
	return sign + out
}
