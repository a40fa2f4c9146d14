// Package notice holds what crisisdesk says in public and to its own people:
// notices in several languages with CAP 1.2 fields, their review and
// approval (draft → submitted → approved → published, or the commander's
// fast path), and the corrections, cancellations and all-clears that follow
// a published notice, which is never changed in place.
package notice

import (
	"time"

	"crisisdesk/internal/authz"
)

// Kind says what a notice does.
type Kind string

// The kinds of notice.
const (
	Alert        Kind = "alert"        // the first word on a crisis
	Update       Kind = "update"       // more news on the same crisis
	Correction   Kind = "correction"   // replaces a published notice's text
	Cancellation Kind = "cancellation" // withdraws a published notice
	AllClear     Kind = "all_clear"    // the danger is over
)

// Kinds lists every kind.
var Kinds = []Kind{Alert, Update, Correction, Cancellation, AllClear}

// Valid reports whether k is known.
func (k Kind) Valid() bool { return in(Kinds, k) }

// FollowsUp reports whether a notice of kind k must reference another.
func (k Kind) FollowsUp() bool { return k == Correction || k == Cancellation }

// Audience says who a notice is for.
type Audience string

// The audiences.
const (
	Public   Audience = "public"   // the public site, feeds and subscribers
	Internal Audience = "internal" // chosen departments and team roles
	Media    Audience = "media"    // journalists
)

// Audiences lists every audience.
var Audiences = []Audience{Public, Internal, Media}

// Valid reports whether a is known.
func (a Audience) Valid() bool { return in(Audiences, a) }

// Status is where a notice stands in its review.
type Status string

// The statuses of a notice. There is no status after published: a
// published notice is answered by a correction, a cancellation or an
// all-clear, each a notice of its own.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Approved  Status = "approved"
	Published Status = "published"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Draft, Submitted, Approved, Published}

// Valid reports whether s is known.
func (s Status) Valid() bool { return in(Statuses, s) }

// Reason classifies a correction. The share of public notices corrected
// for a factual error is the accuracy KPI.
type Reason string

// The reasons for a correction.
const (
	Factual        Reason = "factual"         // something said was wrong
	Wording        Reason = "wording"         // the facts stand; the words were unclear
	NewInformation Reason = "new_information" // the facts changed
)

// Reasons lists every reason.
var Reasons = []Reason{Factual, Wording, NewInformation}

// Valid reports whether r is known.
func (r Reason) Valid() bool { return in(Reasons, r) }

// Notice is one statement, in one or more languages.
type Notice struct {
	ID          int64
	CrisisID    int64 // 0 for a standalone announcement
	Kind        Kind
	Audience    Audience
	Departments []int64      // internal audience: the departments told
	Roles       []authz.Role // internal audience: the team roles told
	Experts     bool         // internal audience: the active outside experts are told too
	Status      Status
	Exercise    bool // a drill: marked 演練 / EXERCISE everywhere
	Contents    []Content
	CAP         CAPInfo

	References       int64  // the notice this one corrects, cancels or clears
	CorrectionReason Reason // corrections only

	// TemplatePlanID is the approved plan version whose template started
	// the draft; only such drafts may take the fast path.
	TemplatePlanID int64
	FastPath       bool // published by the commander before review

	AuthorID    int64
	ApproverID  int64
	PublisherID int64
	ReviewerID  int64 // the after-the-fact review of a fast-path notice
	SubmittedAt time.Time
	ApprovedAt  time.Time
	PublishedAt time.Time
	ReviewedAt  time.Time
	Steps       []Step // who did what, in order

	CreatedAt time.Time
	UpdatedAt time.Time
	Lock      int64 // optimistic lock, bumped by the store on every save
}

// Step records one move of a notice through its workflow.
type Step struct {
	Action  string    `json:"action"` // submit, approve, return, publish, fast_path, review_after, edit
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
}

// Content is the text of a notice in one language.
type Content struct {
	Language    string `json:"language"` // BCP 47: zh-Hant, zh-Hans, en, …
	Headline    string `json:"headline"`
	Body        string `json:"body"`
	Instruction string `json:"instruction,omitempty"` // what the public should do
	Contact     string `json:"contact,omitempty"`
	// ConvertedFrom is the language this text was converted from when it
	// was shown (hanzi.Fill: Simplified for a reader of a notice written
	// in Traditional, or back), for the surfaces to say so; empty for text
	// a person wrote. It is never stored or sent as data.
	ConvertedFrom string `json:"-"`
}

// CAPInfo holds the CAP 1.2 fields shared by every language of a notice.
type CAPInfo struct {
	Event     string    `json:"event"`
	Category  string    `json:"category"`
	Urgency   string    `json:"urgency"`
	Severity  string    `json:"severity"`
	Certainty string    `json:"certainty"`
	Effective time.Time `json:"effective"`
	Expires   time.Time `json:"expires"`
	Area      Area      `json:"area"`
}

// Area is where a notice applies.
type Area struct {
	Description string    `json:"description"`
	Polygons    []string  `json:"polygons,omitempty"` // "lat,lon lat,lon …", closed
	Circles     []string  `json:"circles,omitempty"`  // "lat,lon radius-km"
	Geocodes    []Geocode `json:"geocodes,omitempty"`
}

// Empty reports whether no area is given.
func (a Area) Empty() bool {
	return a.Description == "" && len(a.Polygons) == 0 && len(a.Circles) == 0 && len(a.Geocodes) == 0
}

// Geocode is a named area code, e.g. {"district", "Wan Chai"}.
type Geocode struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// CAP 1.2 enumerations.
var (
	Urgencies   = []string{"Immediate", "Expected", "Future", "Past", "Unknown"}
	Severities  = []string{"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
	Certainties = []string{"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
	Categories  = []string{"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"}
)

// Content returns the content in lang, or nil when there is none.
func (n Notice) Content(lang string) *Content {
	for i := range n.Contents {
		if n.Contents[i].Language == lang {
			return &n.Contents[i]
		}
	}
	return nil
}

// Headline is the notice's headline in lang, or in its first language
// when it has none in lang; "" when it has no content.
func (n Notice) Headline(lang string) string {
	if c := n.Content(lang); c != nil {
		return c.Headline
	}
	if len(n.Contents) > 0 {
		return n.Contents[0].Headline
	}
	return ""
}

// Languages lists the languages of the notice in order.
func (n Notice) Languages() []string {
	out := make([]string, len(n.Contents))
	for i, c := range n.Contents {
		out[i] = c.Language
	}
	return out
}

// NeedsReview reports whether a fast-path notice still waits for its
// after-the-fact review.
func (n Notice) NeedsReview() bool {
	return n.Status == Published && n.FastPath && n.ReviewedAt.IsZero()
}

func in[T comparable](list []T, x T) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}
