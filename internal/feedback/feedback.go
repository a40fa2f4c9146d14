// Package feedback holds what the public, the departments and the outside
// experts tell the crisis office: questions, complaints, suggestions and
// reports of an error in a notice. Each has a reference its sender can
// look up, a category with a reply-by deadline, a triage (crisis,
// priority, owner, tags), a reply by the channel it came in on, the
// action taken, and may be merged into another, published as an answer
// in its crisis's FAQ, or linked to the correction notice it caused. It is
// plain Go: the store keeps feedback and the surfaces show it.
package feedback

import (
	"crypto/rand"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
)

// Channel is the way a piece of feedback came in; a reply goes back the
// same way when it can.
type Channel string

// The ways in.
const (
	Web   Channel = "web"   // the form on the public site
	API   Channel = "api"   // the public API
	SMS   Channel = "sms"   // a reply to an SMS notice
	Email Channel = "email" // an e-mail to the office's feedback address
	Staff Channel = "staff" // recorded by staff for a department or an expert
	Link  Channel = "link"  // a department's or an expert's personal link
)

// Channels lists the channels in the order filters offer them.
var Channels = []Channel{Web, API, SMS, Email, Staff, Link}

// Valid reports whether c is known.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Source is who sent it.
type Source string

// The senders.
const (
	Public     Source = "public"     // a member of the public
	Department Source = "department" // one of the office's departments
	Expert     Source = "expert"     // an outside expert
)

// Sources lists the senders.
var Sources = []Source{Public, Department, Expert}

// Category is what kind of feedback it is; it sets the reply-by deadline.
type Category string

// The categories.
const (
	Question   Category = "question"   // asks something
	Error      Category = "error"      // reports an error in a notice
	Complaint  Category = "complaint"  // is unhappy about something
	Suggestion Category = "suggestion" // proposes something
	Other      Category = "other"
)

// Categories lists the categories in the order forms offer them.
var Categories = []Category{Question, Error, Complaint, Suggestion, Other}

// Valid reports whether c is known.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// replyWithin is each category's reply-by deadline: a reported error in
// a notice most urgently, as wrong information spreads.
var replyWithin = map[Category]time.Duration{
	Error:      4 * time.Hour,
	Question:   24 * time.Hour,
	Complaint:  72 * time.Hour,
	Suggestion: 7 * 24 * time.Hour,
	Other:      72 * time.Hour,
}

// ReplyWithin is how long after it came in feedback of category c is to
// be answered.
func ReplyWithin(c Category) time.Duration {
	if d, ok := replyWithin[c]; ok {
		return d
	}
	return replyWithin[Other]
}

// Priority is how urgent the office judges it.
type Priority string

// The priorities.
const (
	Low    Priority = "low"
	Normal Priority = "normal"
	High   Priority = "high"
)

// Priorities lists the priorities, lowest first.
var Priorities = []Priority{Low, Normal, High}

// Valid reports whether p is known.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// State is where feedback stands.
type State string

// The states.
const (
	New     State = "new"     // not triaged yet
	Triaged State = "triaged" // has a category, an owner, a priority
	Replied State = "replied" // answered
	Closed  State = "closed"  // nothing more to do
	Merged  State = "merged"  // a duplicate: see MergedInto
)

// States lists the states in their order.
var States = []State{New, Triaged, Replied, Closed, Merged}

// Open reports whether s still waits for a reply.
func (s State) Open() bool { return s == New || s == Triaged }

// Limits on what people send.
const (
	MaxMessage = 5000 // characters of a message or a reply
	MaxTags    = 10
	MaxTag     = 40
	MaxContact = 254
)

// Step is one change with who, when and what, kept on the feedback.
type Step struct {
	Action  string    `json:"action"`
	ActorID int64     `json:"actor_id,omitempty"`
	Actor   string    `json:"actor,omitempty"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// Feedback is one message to the office.
type Feedback struct {
	ID       int64
	Ref      string // the reference its sender looks it up by, e.g. "FB-7KQ3-M9XD"
	Channel  Channel
	Source   Source
	SourceID int64 // the department's or the expert's id
	Message  string
	Language string // the sender's language; the reply is in it
	// Contact is an e-mail address or an E.164 number to reply to; empty
	// when the sender gave none (they read the reply at /feedback/{ref}).
	Contact  string
	CrisisID int64 // 0: none chosen
	NoticeID int64 // the notice it is about, if any

	Category Category
	Priority Priority
	OwnerID  int64
	Tags     []string
	State    State
	ReplyDue time.Time // CreatedAt + ReplyWithin(Category)

	Reply        string
	ReplyChannel Channel // the channel the reply went by; "" when only shown on the lookup page
	RepliedAt    time.Time
	RepliedBy    int64
	ActionNote   string
	ActionAt     time.Time
	ActionBy     int64
	MergedInto   int64
	CorrectionID int64 // the correction notice a reported error caused
	RumourID     int64 // the rumour it mentions (the rumour register links it)

	FAQ FAQ

	Steps     []Step
	CreatedAt time.Time
	UpdatedAt time.Time
	Lock      int64
}

// FAQ is an answer published in the crisis's FAQ on the public site.
type FAQ struct {
	Question    string
	Answer      string
	PublishedAt time.Time // zero: not published
	PublishedBy int64
}

// Published reports whether the answer is in the FAQ.
func (q FAQ) Published() bool { return !q.PublishedAt.IsZero() }

// Overdue reports whether f waits for a reply past its deadline at now.
func (f Feedback) Overdue(now time.Time) bool {
	return f.State.Open() && !f.ReplyDue.IsZero() && now.After(f.ReplyDue)
}

// ContactKind is "email", "sms" or "" for the contact given.
func (f Feedback) ContactKind() string { return ContactKind(f.Contact) }

// ContactKind tells an e-mail address from a phone number.
func ContactKind(contact string) string {
	switch {
	case contact == "":
		return ""
	case strings.Contains(contact, "@"):
		return "email"
	default:
		return "sms"
	}
}

// Submission is what a sender gives.
type Submission struct {
	Message  string
	Contact  string
	Language string
	CrisisID int64
	NoticeID int64
	Category Category // optional: Question when empty
	Channel  Channel
	Source   Source
	SourceID int64
}

// Normalize trims the text, writes a phone number in E.164 form and the
// language in its canonical form.
func (s *Submission) Normalize() {
	s.Message = strings.TrimSpace(plaintext.Normalize(s.Message))
	s.Contact = strings.TrimSpace(s.Contact)
	if s.Contact != "" && ContactKind(s.Contact) == "sms" {
		if p, err := subscriber.NormalizePhone(s.Contact); err == nil {
			s.Contact = p
		}
	}
	if ContactKind(s.Contact) == "email" {
		s.Contact = strings.ToLower(s.Contact)
	}
	if c, ok := i18n.Canonical(strings.TrimSpace(s.Language)); ok {
		s.Language = c
	}
	if s.Language == "" || !i18n.Supported(s.Language) {
		s.Language = i18n.TraditionalChinese
	}
	if s.Category == "" {
		s.Category = Question
	}
	if s.Source == "" {
		s.Source = Public
	}
}

// Validate checks a normalised submission, naming the field of each
// problem: an empty or too long message, a contact that is neither an
// e-mail address nor a phone number.
func (s Submission) Validate() error {
	var f fault.Fields
	n := utf8.RuneCountInString(s.Message)
	switch {
	case n == 0:
		f.Add("message", "write your question or feedback")
	case n > MaxMessage:
		f.Add("message", "is %d characters long; at most %d are taken", n, MaxMessage)
	default:
		plaintext.Check(&f, "message", s.Message)
	}
	if err := checkContact(s.Contact); err != "" {
		f.Add("contact", "%s", err)
	}
	if !s.Category.Valid() {
		f.Add("category", "%q is not a category", s.Category)
	}
	if !s.Channel.Valid() {
		f.Add("channel", "%q is not a channel", s.Channel)
	}
	if !slices.Contains(Sources, s.Source) {
		f.Add("source", "%q is not a source", s.Source)
	}
	if s.Source != Public && s.SourceID == 0 {
		f.Add("source_id", "name the department or the expert")
	}
	if s.CrisisID < 0 || s.NoticeID < 0 {
		f.Add("crisis_id", "is not an id")
	}
	return f.Err()
}

func checkContact(c string) string {
	switch {
	case c == "":
		return ""
	case len(c) > MaxContact:
		return "is too long"
	case ContactKind(c) == "email":
		a, err := mail.ParseAddress(c)
		if err != nil || a.Address != c || a.Name != "" {
			return "is not an e-mail address"
		}
	default:
		if _, err := subscriber.NormalizePhone(c); err != nil {
			return "is neither an e-mail address nor a phone number with its country code, such as +85291234567"
		}
	}
	return ""
}

// refAlphabet is Crockford's base 32: no I, L, O or U to misread.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewRef makes a reference: "FB-" and eight random characters in two
// groups (40 bits), so that nobody finds another's feedback by counting.
func NewRef() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	out := []byte("FB-XXXX-XXXX")
	j := 3
	for i, c := range b {
		if i == 4 {
			j++
		}
		out[j] = refAlphabet[int(c)%len(refAlphabet)]
		j++
	}
	return string(out)
}

// NormalizeRef reads a reference as people type it: any case, spaces
// and dashes anywhere, O for 0 and I or L for 1. It returns "" when it
// cannot be one.
func NormalizeRef(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	t := strings.TrimPrefix(b.String(), "FB")
	if len(t) != 8 {
		return ""
	}
	for _, r := range t {
		if !strings.ContainsRune(refAlphabet, r) {
			return ""
		}
	}
	return "FB-" + t[:4] + "-" + t[4:]
}

// DeadlineKind names the reply-by clock of feedback (deadline.kind.feedback_reply);
// its subject is SubjectKind and the feedback's id.
const (
	DeadlineKind = "feedback_reply"
	SubjectKind  = "feedback"
)
