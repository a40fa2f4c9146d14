package team

import (
	"slices"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
)

// Opening is a place on the team to fill, for a team role.
type Opening struct {
	ID          int64
	RoleKey     string
	Title       string
	Description string
	Internal    bool // internal selection; else outside recruitment
	OpenedAt    time.Time
	ClosedAt    time.Time
}

// Validate checks an opening.
func (o Opening) Validate() error {
	var f fault.Fields
	if o.RoleKey == "" {
		f.Add("role", "choose the role")
	}
	if n := utf8.RuneCountInString(o.Title); n == 0 || n > MaxText {
		f.Add("title", "must be 1–%d characters", MaxText)
	}
	plaintext.CheckLine(&f, "title", o.Title)
	plaintext.Check(&f, "description", o.Description)
	return f.Err()
}

// Channels a candidate comes through.
var Channels = []string{"internal", "referral", "job_board", "agency", "university", "other"}

// Decisions on a candidate.
const (
	Pending  = "pending"
	Hired    = "hired"
	Rejected = "rejected"
)

// Candidate is a person applying to an opening.
type Candidate struct {
	ID         int64
	OpeningID  int64
	Name       string
	Email      string
	Phone      string
	Channel    string
	Decision   string // pending, hired, rejected
	DecisionAt time.Time
	DecisionBy int64
	Note       string
	MemberID   int64 // the team member a hired candidate became
	CreatedAt  time.Time
}

// Validate checks a new candidate.
func (c Candidate) Validate() error {
	var f fault.Fields
	if c.OpeningID <= 0 {
		f.Add("opening_id", "choose the opening")
	}
	if n := utf8.RuneCountInString(c.Name); n == 0 || n > MaxText {
		f.Add("name", "must be 1–%d characters", MaxText)
	}
	plaintext.CheckLine(&f, "name", c.Name)
	if c.Email != "" && !ValidEmail(c.Email) {
		f.Add("email", "is not an e-mail address")
	}
	if c.Phone != "" {
		if _, err := subscriber.NormalizePhone(c.Phone); err != nil {
			f.Add("phone", "is not a phone number in E.164 form, e.g. +85291234567")
		}
	}
	if !slices.Contains(Channels, c.Channel) {
		f.Add("channel", "choose the channel the candidate came through")
	}
	return f.Err()
}

// Interview is one interview of a candidate by a panel, with its score.
type Interview struct {
	ID          int64
	CandidateID int64
	At          time.Time
	Panel       []string // the panel's names
	Score       int      // 1–5
	Notes       string
}

// Validate checks an interview record.
func (iv Interview) Validate() error {
	var f fault.Fields
	if iv.At.IsZero() {
		f.Add("at", "give the date and time")
	}
	if len(lines(iv.Panel)) == 0 {
		f.Add("panel", "name the panel")
	}
	if iv.Score < 1 || iv.Score > 5 {
		f.Add("score", "a score from 1 to 5")
	}
	plaintext.Check(&f, "notes", iv.Notes)
	return f.Err()
}
