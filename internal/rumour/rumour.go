// Package rumour is the office's rumour register, after WHO's infodemic
// management: a claim going round, where and when it was seen, how far it
// has spread, the office's verdict on it and who owns it. Answering a
// rumour starts a clarification notice through the normal approval path;
// once that notice is published the rumour is clarified, and the time
// from first seen to clarified is kept for the KPIs. It is plain Go: the
// store keeps rumours and the surfaces show them.
package rumour

import (
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Verdict is what the office found the claim to be.
type Verdict string

// The verdicts.
const (
	Unverified Verdict = "unverified" // not yet established
	False      Verdict = "false"      // the claim is wrong
	Misleading Verdict = "misleading" // true in part, or out of context
	True       Verdict = "true"       // the claim is right
)

// Verdicts lists the verdicts in the order forms offer them.
var Verdicts = []Verdict{Unverified, False, Misleading, True}

// Valid reports whether v is a known verdict.
func (v Verdict) Valid() bool {
	for _, x := range Verdicts {
		if x == v {
			return true
		}
	}
	return false
}

// Spread is the office's estimate of how far a rumour has gone.
type Spread string

// The estimates.
const (
	Low    Spread = "low"    // a few posts or calls
	Medium Spread = "medium" // shared in several places
	High   Spread = "high"   // widely shared; people act on it
)

// Spreads lists the estimates, least first.
var Spreads = []Spread{Low, Medium, High}

// Valid reports whether s is a known estimate.
func (s Spread) Valid() bool { return s == Low || s == Medium || s == High }

// Limits on what the register takes.
const (
	MaxClaim = 1000    // characters of a claim
	MaxFacts = 5000    // characters of the facts
	MaxNote  = 1000    // characters of a sighting's note or place
	MaxURL   = 2000    // characters of a sighting's link
	MaxImage = 5 << 20 // bytes of a screenshot
)

// ImageTypes are the screenshot types the register keeps.
var ImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// Rumour is one claim in the register.
type Rumour struct {
	ID        int64
	CrisisID  int64 // 0 when it belongs to no crisis
	Claim     string
	Facts     string // what the office knows, which the clarification says
	Verdict   Verdict
	Spread    Spread
	OwnerID   int64
	FirstSeen time.Time
	// NoticeID is the clarification notice once the rumour is answered;
	// ClarifiedAt is when that notice was published.
	NoticeID    int64
	ClarifiedAt time.Time
	AuthorID    int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Lock        int64
	Sightings   []Sighting // filled by Get, oldest first
	Questions   int        // feedback items linked to the rumour, when known
}

// Clarified reports whether the clarification is published.
func (r Rumour) Clarified() bool { return !r.ClarifiedAt.IsZero() }

// TimeToClarify is the time from first seen to clarified; 0 until then.
func (r Rumour) TimeToClarify() time.Duration {
	if !r.Clarified() {
		return 0
	}
	return r.ClarifiedAt.Sub(r.FirstSeen)
}

// Answered reports whether a clarification notice has been started.
func (r Rumour) Answered() bool { return r.NoticeID != 0 }

// CanAnswer refuses a second clarification: a rumour gets one notice (a
// correction of that notice says more).
func (r Rumour) CanAnswer() error {
	if r.Answered() {
		return fault.New(fault.Conflict, "rumour %d is already answered by notice %d", r.ID, r.NoticeID)
	}
	if strings.TrimSpace(r.Facts) == "" {
		return fault.Field("facts", "write the facts the clarification will state before answering")
	}
	return nil
}

// Input is what a person writes about a rumour.
type Input struct {
	CrisisID  int64
	Claim     string
	Facts     string
	Verdict   Verdict
	Spread    Spread
	OwnerID   int64
	FirstSeen time.Time
}

// Input returns the rumour's editable part.
func (r Rumour) Input() Input {
	return Input{CrisisID: r.CrisisID, Claim: r.Claim, Facts: r.Facts, Verdict: r.Verdict, Spread: r.Spread,
		OwnerID: r.OwnerID, FirstSeen: r.FirstSeen}
}

// Normalize trims the text and fills the defaults.
func (in *Input) Normalize() {
	in.Claim = plaintext.Normalize(strings.TrimSpace(in.Claim))
	in.Facts = plaintext.Normalize(strings.TrimSpace(in.Facts))
	if in.Verdict == "" {
		in.Verdict = Unverified
	}
	if in.Spread == "" {
		in.Spread = Low
	}
	if !in.FirstSeen.IsZero() {
		in.FirstSeen = in.FirstSeen.UTC()
	}
}

// Validate checks the input; now is when it is written (a rumour cannot
// be first seen in the future).
func (in Input) Validate(now time.Time) error {
	var f fault.Fields
	switch n := utf8.RuneCountInString(in.Claim); {
	case n == 0:
		f.Add("claim", "is required")
	case n > MaxClaim:
		f.Add("claim", "must be at most %d characters", MaxClaim)
	}
	if utf8.RuneCountInString(in.Facts) > MaxFacts {
		f.Add("facts", "must be at most %d characters", MaxFacts)
	}
	plaintext.Check(&f, "claim", in.Claim)
	plaintext.Check(&f, "facts", in.Facts)
	if !in.Verdict.Valid() {
		f.Add("verdict", "must be unverified, false, misleading or true")
	}
	if !in.Spread.Valid() {
		f.Add("spread", "must be low, medium or high")
	}
	switch {
	case in.FirstSeen.IsZero():
		f.Add("first_seen", "is required")
	case in.FirstSeen.After(now.Add(time.Minute)):
		f.Add("first_seen", "cannot be in the future")
	}
	if in.OwnerID < 0 {
		f.Add("owner_id", "must be a person")
	}
	return f.Err()
}

// Sighting is one place the rumour was seen: a link, a screenshot or
// both, and when.
type Sighting struct {
	ID        int64
	RumourID  int64
	SeenAt    time.Time
	Place     string // where: a platform, a group, a street
	URL       string
	Note      string
	ImageName string
	ImageType string
	ImageSize int64
	AddedBy   int64
	CreatedAt time.Time
}

// HasImage reports whether the sighting has a screenshot.
func (s Sighting) HasImage() bool { return s.ImageSize > 0 }

// Image is an uploaded screenshot.
type Image struct {
	Name string
	Type string
	Data []byte
}

// Normalize trims a sighting's text.
func (s *Sighting) Normalize() {
	s.Place = plaintext.Normalize(strings.TrimSpace(s.Place))
	s.URL = strings.TrimSpace(s.URL)
	s.Note = plaintext.Normalize(strings.TrimSpace(s.Note))
	if !s.SeenAt.IsZero() {
		s.SeenAt = s.SeenAt.UTC()
	}
}

// ValidateSighting checks a sighting and its screenshot (img may be nil).
func ValidateSighting(s Sighting, img *Image, now time.Time) error {
	var f fault.Fields
	switch {
	case s.SeenAt.IsZero():
		f.Add("seen_at", "is required")
	case s.SeenAt.After(now.Add(time.Minute)):
		f.Add("seen_at", "cannot be in the future")
	}
	if utf8.RuneCountInString(s.Place) > MaxNote {
		f.Add("place", "must be at most %d characters", MaxNote)
	}
	if utf8.RuneCountInString(s.Note) > MaxNote {
		f.Add("note", "must be at most %d characters", MaxNote)
	}
	plaintext.CheckLine(&f, "place", s.Place)
	plaintext.Check(&f, "note", s.Note)
	if s.URL != "" {
		low := strings.ToLower(s.URL)
		if len(s.URL) > MaxURL || !(strings.HasPrefix(low, "https://") || strings.HasPrefix(low, "http://")) ||
			strings.ContainsAny(s.URL, " \t\r\n<>\"") {
			f.Add("url", "must be an http or https link")
		}
	}
	if img != nil {
		switch {
		case len(img.Data) == 0:
			f.Add("image", "the file is empty")
		case len(img.Data) > MaxImage:
			f.Add("image", "must be at most %d MB", MaxImage>>20)
		case !ImageTypes[img.Type]:
			f.Add("image", "must be a PNG, JPEG, GIF or WebP picture")
		}
	}
	if s.URL == "" && img == nil && s.Place == "" {
		f.Add("url", "give a link, a screenshot or where it was seen")
	}
	return f.Err()
}

// Clarification is a published clarification, as the public site lists
// it: the claim, the verdict and the notice that answered it.
type Clarification struct {
	RumourID    int64
	Claim       string
	Verdict     Verdict
	NoticeID    int64
	CrisisID    int64
	ClarifiedAt time.Time
}

// Filter selects rumours for a list.
type Filter struct {
	CrisisID int64
	Verdict  Verdict
	Open     bool // not yet clarified
	Offset   int
	Limit    int
}
