package team

import (
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Course is a training course. A certificate of it is valid for
// ValidMonths after it is issued (0: it does not lapse).
type Course struct {
	ID          int64
	Title       string
	Description string
	ValidMonths int
	CreatedAt   time.Time
}

// Validate checks a course.
func (c Course) Validate() error {
	var f fault.Fields
	if n := utf8.RuneCountInString(c.Title); n == 0 || n > MaxText {
		f.Add("title", "must be 1–%d characters", MaxText)
	}
	if utf8.RuneCountInString(c.Description) > 5000 {
		f.Add("description", "at most 5000 characters")
	}
	if c.ValidMonths < 0 || c.ValidMonths > 120 {
		f.Add("valid_months", "between 0 and 120 months")
	}
	plaintext.CheckLine(&f, "title", c.Title)
	plaintext.Check(&f, "description", c.Description)
	return f.Err()
}

// Session is one sitting of a course.
type Session struct {
	ID        int64
	CourseID  int64
	StartsAt  time.Time
	EndsAt    time.Time
	Trainer   string
	Venue     string
	Attendees []int64 // member ids who attended
}

// Validate checks a session.
func (s Session) Validate() error {
	var f fault.Fields
	if s.CourseID <= 0 {
		f.Add("course_id", "choose the course")
	}
	switch {
	case s.StartsAt.IsZero():
		f.Add("starts_at", "give the date and time")
	case !s.EndsAt.IsZero() && !s.EndsAt.After(s.StartsAt):
		f.Add("ends_at", "the end comes after the start")
	}
	for _, t := range []struct{ field, v string }{{"trainer", s.Trainer}, {"venue", s.Venue}} {
		if n := utf8.RuneCountInString(t.v); n == 0 || n > MaxText {
			f.Add(t.field, "must be 1–%d characters", MaxText)
		}
		plaintext.CheckLine(&f, t.field, t.v)
	}
	return f.Err()
}

// Certificate is a member's certificate of a course.
type Certificate struct {
	ID        int64
	MemberID  int64
	CourseID  int64
	SessionID int64 // the session it came from, if any
	IssuedAt  time.Time
	ExpiresAt time.Time // zero: does not lapse
	Reference string
	// Filled on read.
	MemberName, CourseTitle string
}

// Validate checks a certificate: it cannot expire before it was issued.
func (c Certificate) Validate() error {
	var f fault.Fields
	if c.MemberID <= 0 {
		f.Add("member_id", "choose the member")
	}
	if c.CourseID <= 0 {
		f.Add("course_id", "choose the course")
	}
	if c.IssuedAt.IsZero() {
		f.Add("issued_at", "give the date of issue")
	} else if !c.ExpiresAt.IsZero() && !c.ExpiresAt.After(c.IssuedAt) {
		f.Add("expires_at", "a certificate cannot expire before it was issued")
	}
	if utf8.RuneCountInString(c.Reference) > MaxText {
		f.Add("reference", "at most %d characters", MaxText)
	}
	plaintext.CheckLine(&f, "reference", c.Reference)
	return f.Err()
}

// ValidAt reports whether the certificate is valid at t.
func (c Certificate) ValidAt(t time.Time) bool {
	return !t.Before(c.IssuedAt) && (c.ExpiresAt.IsZero() || t.Before(c.ExpiresAt))
}

// The expiry alerts: 60 and 30 days before a certificate lapses, the
// person and the coordinator are told.
var ExpiryAlerts = []time.Duration{60 * 24 * time.Hour, 30 * 24 * time.Hour}

// ExpiryKind is the deadline kind of a certificate's expiry.
const ExpiryKind = "certificate_expiry"

// Lapsing reports whether the certificate lapses within d of now.
func (c Certificate) Lapsing(now time.Time, d time.Duration) bool {
	return !c.ExpiresAt.IsZero() && c.ExpiresAt.After(now) && c.ExpiresAt.Sub(now) <= d
}

// Record is one line of a member's training record: a session attended
// or a drill taken part in (drills count as training).
type Record struct {
	MemberID int64
	Kind     string // "session" or "drill"
	Title    string
	At       time.Time
	RefID    int64 // the session or the drill
}

// Material is a file in the shared training library, open to every
// department; each upload of the same material is a new version.
type Material struct {
	ID          int64
	Title       string
	Description string
	Version     int // the latest version's number
	Versions    []MaterialVersion
	UpdatedAt   time.Time
}

// MaterialVersion is one uploaded file of a material.
type MaterialVersion struct {
	MaterialID  int64
	Number      int
	FileName    string
	ContentType string
	Size        int64
	UploadedBy  int64
	UploadedAt  time.Time
}

// MaxMaterial is the largest file the library takes.
const MaxMaterial = 50 << 20

// ValidateUpload checks an upload to the library.
func ValidateUpload(title, fileName string, size int64) error {
	var f fault.Fields
	if n := utf8.RuneCountInString(title); n == 0 || n > MaxText {
		f.Add("title", "must be 1–%d characters", MaxText)
	}
	plaintext.CheckLine(&f, "title", title)
	if fileName == "" || size == 0 {
		f.Add("file", "choose a file")
	} else if size > MaxMaterial {
		f.Add("file", "at most 50 MB")
	}
	return f.Err()
}
