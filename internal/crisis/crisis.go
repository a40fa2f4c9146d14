// Package crisis holds a crisis from declaration to review: its level and
// status, the tasks made from the activated plan, its clocks, and its
// append-only timeline.
package crisis

import (
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Status is where a crisis stands.
type Status string

// The lifecycle of a crisis.
const (
	Declared   Status = "declared"   // declared, no plan activated yet
	Active     Status = "active"     // a plan is activated; tasks under way
	Recovering Status = "recovering" // the emergency is over; recovery steps remain
	Closed     Status = "closed"     // closed with a summary; the review is open
)

// Crisis is one crisis or one exercise.
type Crisis struct {
	ID         int64
	Title      string
	TypeID     int64
	Level      catalog.Level
	Status     Status
	Exercise   bool // a drill: marked as such everywhere
	Location   string
	Area       string
	Summary    string
	Texts      Texts     // versions of title, location and summary per language
	OccurredAt time.Time // zero when the occurrence is unknown
	DetectedAt time.Time
	DeclaredAt time.Time
	DeclaredBy int64

	PlanID        int64 // the plan version activated
	ActivatedAt   time.Time
	FirstNoticeAt time.Time
	RecoveringAt  time.Time
	ClosedAt      time.Time
	ClosingNote   string
	// PublicSince is when the crisis appeared on the public site: its
	// first public notice published, or a commander chose to show it
	// (PublicBy). Zero while the public sees nothing of it.
	PublicSince time.Time
	PublicBy    int64

	Clocks    []Clock // filled by the store on Get
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// ClockStart is the moment the plan's clocks count from, as the plan says:
// the crisis occurring, or its detection when the occurrence is unknown.
func (c Crisis) ClockStart() (time.Time, Basis) {
	if c.OccurredAt.IsZero() {
		return c.DetectedAt, FromDetection
	}
	return c.OccurredAt, FromOccurrence
}

// TimeToActivate is the KPI: the crisis occurring (else its detection) to
// the plan's activation; 0 before activation.
func (c Crisis) TimeToActivate() time.Duration {
	start, _ := c.ClockStart()
	return since(start, c.ActivatedAt)
}

// TimeToFirstNotice is the KPI: the crisis occurring (else its detection)
// to the first public notice; 0 before it.
func (c Crisis) TimeToFirstNotice() time.Duration {
	start, _ := c.ClockStart()
	return since(start, c.FirstNoticeAt)
}

// ActivatedAfterDeclaration is the second figure: declaration to
// activation; 0 before activation.
func (c Crisis) ActivatedAfterDeclaration() time.Duration { return since(c.DeclaredAt, c.ActivatedAt) }

// FirstNoticeAfterDeclaration is the second figure: declaration to the
// first public notice; 0 before it.
func (c Crisis) FirstNoticeAfterDeclaration() time.Duration {
	return since(c.DeclaredAt, c.FirstNoticeAt)
}

// since is end - start, or 0 while end has not happened.
func since(start, end time.Time) time.Duration {
	if end.IsZero() {
		return 0
	}
	return end.Sub(start)
}

// Declaration is what it takes to declare a crisis.
type Declaration struct {
	Title      string
	TypeID     int64
	Level      catalog.Level
	Exercise   bool
	Location   string
	Area       string
	Summary    string
	Texts      Texts     // optional versions per language
	OccurredAt time.Time // zero when unknown: the clocks count from detection
	DetectedAt time.Time // default: now
}

// Normalize writes pasted line breaks as "\n" (plaintext.Normalize) and
// trims the text.
func (d *Declaration) Normalize() {
	d.Title, d.Location = Text(d.Title), Text(d.Location)
	d.Area, d.Summary = Text(d.Area), Text(d.Summary)
	d.Texts = d.Texts.Normalize()
}

// Text is s as a crisis keeps it: pasted line breaks written as "\n",
// trimmed.
func Text(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }

// Validate checks a declaration against the time of declaring. Its texts
// reach the public site and feeds, so each must hold only characters that
// can be published (plaintext.Check).
func (d Declaration) Validate(now time.Time) error {
	var f fault.Fields
	plaintext.CheckLine(&f, "title", d.Title)
	plaintext.CheckLine(&f, "location", d.Location)
	plaintext.Check(&f, "area", d.Area)
	plaintext.Check(&f, "summary", d.Summary)
	if t := strings.TrimSpace(d.Title); t == "" || utf8.RuneCountInString(t) > 200 {
		f.Add("title", "must be 1–200 characters")
	}
	if d.TypeID == 0 {
		f.Add("type_id", "choose a crisis type")
	}
	if !d.Level.Valid() {
		f.Add("level", "must be I, II, III or IV")
	}
	if strings.TrimSpace(d.Location) == "" {
		f.Add("location", "is required")
	}
	if !d.OccurredAt.IsZero() && d.OccurredAt.After(now.Add(5*time.Minute)) {
		f.Add("occurred_at", "is in the future")
	}
	if !d.DetectedAt.IsZero() {
		if d.DetectedAt.After(now.Add(5 * time.Minute)) {
			f.Add("detected_at", "is in the future")
		}
		if !d.OccurredAt.IsZero() && d.DetectedAt.Before(d.OccurredAt) {
			f.Add("detected_at", "is before it occurred")
		}
	}
	if utf8.RuneCountInString(d.Summary) > 5000 {
		f.Add("summary", "must be at most 5000 characters")
	}
	d.Texts.check(&f)
	return f.Err()
}

// CanActivate reports whether a plan may be activated now.
func (c Crisis) CanActivate() error {
	switch c.Status {
	case Declared:
		return nil
	case Active, Recovering:
		return fault.New(fault.Conflict, "a plan is already activated for this crisis")
	}
	return fault.New(fault.Conflict, "the crisis is %s", c.Status)
}

// CanChangeLevel reports whether the level may change to l.
func (c Crisis) CanChangeLevel(l catalog.Level) error {
	if !l.Valid() {
		return fault.Field("level", "must be I, II, III or IV")
	}
	if c.Status == Closed {
		return fault.New(fault.Conflict, "the crisis is closed")
	}
	if l == c.Level {
		return fault.Field("level", "the crisis is already at level %s", l)
	}
	return nil
}

// CanRecover reports whether the crisis may move to recovery.
func (c Crisis) CanRecover() error {
	if c.Status != Active {
		return fault.New(fault.Conflict, "only an active crisis moves to recovery; this one is %s", c.Status)
	}
	return nil
}

// CanShowPublicly reports whether a commander may put the crisis on the
// public site before its first public notice.
func (c Crisis) CanShowPublicly() error {
	switch {
	case c.Status == Closed:
		return fault.New(fault.Conflict, "the crisis is closed")
	case !c.PublicSince.IsZero():
		return fault.New(fault.Conflict, "the crisis is on the public site already")
	}
	return nil
}

// CanClose reports whether the crisis may close with note.
func (c Crisis) CanClose(note string) error {
	if c.Status == Closed {
		return fault.New(fault.Conflict, "the crisis is already closed")
	}
	if strings.TrimSpace(note) == "" {
		return fault.Field("summary", "write a closing summary")
	}
	return plaintext.Problem("summary", note)
}
