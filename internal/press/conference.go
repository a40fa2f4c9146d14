package press

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Conference is a press conference: when, where, who speaks, and the
// journalists invited, who are sent an iCalendar invitation.
type Conference struct {
	ID        int64
	Title     string
	CrisisID  int64 // 0 when not about a crisis
	StartsAt  time.Time
	EndsAt    time.Time
	Venue     string
	Speakers  []string // names and roles, e.g. "Director Chan (spokesperson)"
	Invited   []int64  // journalists
	CreatedBy int64
	UpdatedAt time.Time
}

// Normalize trims the conference's text and drops empty and repeated
// speakers and invitations.
func (c *Conference) Normalize() {
	c.Title, c.Venue = strings.TrimSpace(c.Title), strings.TrimSpace(c.Venue)
	c.StartsAt, c.EndsAt = c.StartsAt.UTC(), c.EndsAt.UTC()
	var sp []string
	for _, s := range c.Speakers {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(sp, s) {
			sp = append(sp, s)
		}
	}
	c.Speakers = sp
	var inv []int64
	for _, id := range c.Invited {
		if id > 0 && !slices.Contains(inv, id) {
			inv = append(inv, id)
		}
	}
	c.Invited = inv
}

// Validate checks a conference, naming the field of each problem.
func (c Conference) Validate() error {
	var f fault.Fields
	if c.Title == "" || utf8.RuneCountInString(c.Title) > 200 {
		f.Add("title", "must be 1–200 characters")
	}
	plaintext.CheckLine(&f, "title", c.Title)
	if c.Venue == "" || utf8.RuneCountInString(c.Venue) > 200 {
		f.Add("venue", "must be 1–200 characters")
	}
	plaintext.CheckLine(&f, "venue", c.Venue)
	if c.StartsAt.IsZero() {
		f.Add("starts_at", "is required")
	}
	if !c.EndsAt.After(c.StartsAt) {
		f.Add("ends_at", "must be after the start")
	}
	if len(c.Speakers) == 0 {
		f.Add("speakers", "name at least one speaker")
	}
	for _, s := range c.Speakers {
		if utf8.RuneCountInString(s) > 200 {
			f.Add("speakers", "each speaker must be at most 200 characters")
			break
		}
		plaintext.CheckLine(&f, "speakers", s)
	}
	return f.Err()
}
