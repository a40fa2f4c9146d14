// Package plan holds contingency plans (應急預案): per crisis type, the
// steps of each phase with their owners and deadlines, the communication
// matrix, the pre-approved message templates, and the three signatures
// (編制 author, 審核 reviewer, 批準 approver) that put a version in force.
package plan

import (
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Status is where a plan version stands in its sign-off.
type Status string

// The statuses of a plan version.
const (
	Draft      Status = "draft"      // being written; editable
	Submitted  Status = "submitted"  // waiting for review
	Reviewed   Status = "reviewed"   // reviewed, waiting for approval
	Approved   Status = "approved"   // in force
	Superseded Status = "superseded" // replaced by a newer approved version
)

// Phase groups steps.
type Phase string

// The three phases of a response.
const (
	Warning  Phase = "warning"  // 預警
	Response Phase = "response" // 應急響應
	Recovery Phase = "recovery" // 后期處置
)

// Phases lists the phases in order.
var Phases = []Phase{Warning, Response, Recovery}

// Valid reports whether p is known.
func (p Phase) Valid() bool { return p == Warning || p == Response || p == Recovery }

// Step is one thing to do when the plan is activated.
type Step struct {
	Key       string          `json:"key"` // stable within the plan, e.g. "r1"
	Phase     Phase           `json:"phase"`
	Title     string          `json:"title"`
	Levels    []catalog.Level `json:"levels"`                     // the levels that include this step
	OwnerRole authz.Role      `json:"owner_role,omitempty"`       // who does it: a role…
	OwnerDept string          `json:"owner_department,omitempty"` // …or a department code
	Deadline  Duration        `json:"deadline"`                   // after activation; recovery steps: after entering recovery
	Checklist []string        `json:"checklist,omitempty"`
	// CompletesOn is the event that does the step's work, when there is
	// one: its task then completes itself when the event happens.
	CompletesOn Event `json:"completes_on,omitempty"`
}

// Event is something that happens to a crisis and can complete a step.
type Event string

// The events a step may complete on.
const (
	OnActivated   Event = "plan_activated"      // the plan is activated
	OnFirstNotice Event = "first_public_notice" // the first public notice is published
	OnRecovery    Event = "recovery"            // the crisis moves to recovery
	// OnPublished + an audience ("notice_published:media"): a notice for
	// that audience is published.
	OnPublished Event = "notice_published:"
)

// NoticePublished is the event of a notice for audience a being published.
func NoticePublished(a Audience) Event { return OnPublished + Event(a) }

// Events lists every event a step may complete on.
func Events() []Event {
	return []Event{OnActivated, OnFirstNotice, NoticePublished(Public), NoticePublished(Internal), NoticePublished(Media), OnRecovery}
}

// Valid reports whether e is an event a step may complete on.
func (e Event) Valid() bool {
	for _, k := range Events() {
		if e == k {
			return true
		}
	}
	return false
}

// AppliesTo reports whether the step belongs to level l.
func (s Step) AppliesTo(l catalog.Level) bool {
	for _, x := range s.Levels {
		if x == l {
			return true
		}
	}
	return false
}

// Contact is someone to call.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Resource is something the plan needs at hand: free text, and
// optionally the inventory item (package resource) it refers to, whose
// stock the resources pages keep true.
type Resource struct {
	Name     string `json:"name"`
	Quantity string `json:"quantity,omitempty"`
	Location string `json:"location,omitempty"`
	ItemID   int64  `json:"item_id,omitempty"` // an inventory item; 0 for free text only
}

// Audience of a template.
type Audience string

// Template audiences.
const (
	Public   Audience = "public"
	Internal Audience = "internal"
	Media    Audience = "media"
)

// Template is a pre-approved message for a level and audience, with
// placeholders filled from the crisis: one language's text and the CAP
// fields, so that a notice started from a complete template is ready to
// send (TemplateGaps names what one lacks).
type Template struct {
	Level       catalog.Level `json:"level"`
	Audience    Audience      `json:"audience"`
	Language    string        `json:"language"`
	Headline    string        `json:"headline"`
	Body        string        `json:"body"`
	Instruction string        `json:"instruction,omitempty"`
	Contact     string        `json:"contact,omitempty"`
	CAP         TemplateCAP   `json:"cap,omitzero"`
}

// TemplateCAP are the CAP 1.2 fields a template gives its notice: the
// event, category, urgency, severity and certainty codes and the area's
// description (placeholders allowed).
type TemplateCAP struct {
	Event     string `json:"event,omitempty"`
	Category  string `json:"category,omitempty"`
	Urgency   string `json:"urgency,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Certainty string `json:"certainty,omitempty"`
	Area      string `json:"area,omitempty"`
}

// TemplateGaps lists, for each template of b that would not give a
// notice ready to send, the fields it lacks ("templates[0].cap.urgency",
// "templates[0].instruction"): a warning when validating a plan, not an
// error, since a person can still complete the draft. Public templates
// need every CAP field; every template needs its instruction and contact.
func TemplateGaps(b Body) fault.Fields {
	var w fault.Fields
	for i, t := range b.Templates {
		at := "templates[" + itoa(i) + "]"
		for _, x := range []struct{ name, v string }{{"body", t.Body}, {"instruction", t.Instruction}, {"contact", t.Contact}} {
			if strings.TrimSpace(x.v) == "" {
				w.Add(at+"."+x.name, "is empty: the notice starts without it")
			}
		}
		if t.Audience != Public {
			continue
		}
		c := t.CAP
		for _, x := range []struct{ name, v string }{{"event", c.Event}, {"category", c.Category}, {"urgency", c.Urgency},
			{"severity", c.Severity}, {"certainty", c.Certainty}, {"area", c.Area}} {
			if strings.TrimSpace(x.v) == "" {
				w.Add(at+".cap."+x.name, "is empty: a public notice needs it before it is submitted")
			}
		}
	}
	return w
}

// CommRow is one row of the communication matrix (溝通計劃): at a level,
// who is told what, through which channels, how often.
type CommRow struct {
	Key      string        `json:"key"`
	Level    catalog.Level `json:"level"`
	Audience string        `json:"audience"` // team, departments, experts, public, media
	Content  string        `json:"content"`
	Channels []string      `json:"channels"`
	Cadence  Duration      `json:"cadence"` // how often, e.g. 60m
	Phase    Phase         `json:"phase"`   // response (during) or recovery (after)
}

// CommAudiences lists the audiences of the communication matrix.
var CommAudiences = []string{"team", "departments", "experts", "public", "media"}

// Signature is one step of the sign-off.
type Signature struct {
	Action  string    `json:"action"` // submit, review, approve, return
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
}

// Plan is one version of a contingency plan.
type Plan struct {
	ID      int64
	Code    string // the same for every version of one plan
	Version int    // 1, 2, 3…
	TypeID  int64
	Status  Status
	Title   string
	Body    Body

	AuthorID    int64
	ReviewerID  int64
	ApproverID  int64
	SubmittedAt time.Time
	ReviewedAt  time.Time
	ApprovedAt  time.Time
	ReviewDue   time.Time // when an approved plan lapses without a new review
	Signatures  []Signature

	CreatedAt time.Time
	UpdatedAt time.Time
	Lock      int64 // optimistic lock, bumped on every save
}

// Body is the editable content of a plan.
type Body struct {
	Scope              string                   `json:"scope"`
	Activation         map[catalog.Level]string `json:"activation"` // criteria per level
	Steps              []Step                   `json:"steps"`
	Contacts           []Contact                `json:"contacts"`
	Resources          []Resource               `json:"resources"`
	Templates          []Template               `json:"templates"`
	Matrix             []CommRow                `json:"matrix"`
	ActivationDeadline Duration                 `json:"activation_deadline"` // from the crisis occurring (else its detection); default 24h
	FirstNoticeDue     Duration                 `json:"first_notice_due"`    // from the crisis occurring (else its detection); default 30m
	ReviewMonths       int                      `json:"review_months"`       // default 12
	FastPathLevels     []catalog.Level          `json:"fast_path_levels"`    // commander may publish a template at once
}

// Defaults.
const (
	DefaultActivation   = Duration(24 * time.Hour)
	DefaultFirstNotice  = Duration(30 * time.Minute)
	DefaultReviewMonths = 12
)

// Normalize fills defaults, writes pasted line breaks as "\n"
// (plaintext.Normalize) and trims text.
func (b *Body) Normalize() {
	if b.ActivationDeadline == 0 {
		b.ActivationDeadline = DefaultActivation
	}
	if b.FirstNoticeDue == 0 {
		b.FirstNoticeDue = DefaultFirstNotice
	}
	if b.ReviewMonths == 0 {
		b.ReviewMonths = DefaultReviewMonths
	}
	text := func(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }
	b.Scope = text(b.Scope)
	for l, a := range b.Activation {
		b.Activation[l] = text(a)
	}
	for i := range b.Contacts {
		c := &b.Contacts[i]
		c.Name, c.Role, c.Phone, c.Email = text(c.Name), text(c.Role), text(c.Phone), text(c.Email)
	}
	for i := range b.Resources {
		r := &b.Resources[i]
		r.Name, r.Quantity, r.Location = text(r.Name), text(r.Quantity), text(r.Location)
	}
	for i := range b.Templates {
		t := &b.Templates[i]
		t.Headline, t.Body, t.Instruction, t.Contact = text(t.Headline), text(t.Body), text(t.Instruction), text(t.Contact)
		c := &t.CAP
		c.Event, c.Category, c.Urgency, c.Severity, c.Certainty, c.Area = text(c.Event), text(c.Category), text(c.Urgency),
			text(c.Severity), text(c.Certainty), text(c.Area)
	}
	for i := range b.Steps {
		b.Steps[i].Title = text(b.Steps[i].Title)
		for j, c := range b.Steps[i].Checklist {
			b.Steps[i].Checklist[j] = text(c)
		}
		if b.Steps[i].Key == "" {
			b.Steps[i].Key = string(b.Steps[i].Phase[:1]) + itoa(i+1)
		}
	}
	for i := range b.Matrix {
		b.Matrix[i].Content = text(b.Matrix[i].Content)
		if b.Matrix[i].Key == "" {
			b.Matrix[i].Key = "c" + itoa(i+1)
		}
		if b.Matrix[i].Phase == "" {
			b.Matrix[i].Phase = Response
		}
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// Validate checks a plan's title and body, naming each bad field with its
// position, e.g. "steps[2].deadline". Every text must hold only characters
// that can be published (plaintext.Check): templates become notices, and
// the plan is printed and sent.
func Validate(title string, b Body) error {
	var f fault.Fields
	if t := strings.TrimSpace(title); t == "" || utf8.RuneCountInString(t) > 200 {
		f.Add("title", "must be 1–200 characters")
	}
	validateText(&f, title, b)
	for l := range b.Activation {
		if !l.Valid() {
			f.Add("activation", "level must be I, II, III or IV")
		}
	}
	keys := map[string]bool{}
	for i, s := range b.Steps {
		at := "steps[" + itoa(i) + "]"
		if !s.Phase.Valid() {
			f.Add(at+".phase", "must be warning, response or recovery")
		}
		if s.Title == "" {
			f.Add(at+".title", "is required")
		}
		if len(s.Levels) == 0 {
			f.Add(at+".levels", "name at least one level")
		}
		for _, l := range s.Levels {
			if !l.Valid() {
				f.Add(at+".levels", "level must be I, II, III or IV")
			}
		}
		if s.OwnerRole == "" && s.OwnerDept == "" {
			f.Add(at+".owner", "name a role or a department")
		}
		if s.OwnerRole != "" && !s.OwnerRole.Valid() {
			f.Add(at+".owner_role", "is not a role")
		}
		if s.Deadline <= 0 {
			f.Add(at+".deadline", "must be a positive duration such as 30m or 4h")
		}
		if s.CompletesOn != "" && !s.CompletesOn.Valid() {
			f.Add(at+".completes_on", "%q is not an event the plan knows; known: %s", s.CompletesOn, joinEvents())
		}
		if keys[s.Key] {
			f.Add(at+".key", "%q is used twice", s.Key)
		}
		keys[s.Key] = true
	}
	for i, t := range b.Templates {
		at := "templates[" + itoa(i) + "]"
		if !t.Level.Valid() {
			f.Add(at+".level", "must be I, II, III or IV")
		}
		if t.Audience != Public && t.Audience != Internal && t.Audience != Media {
			f.Add(at+".audience", "must be public, internal or media")
		}
		if t.Headline == "" {
			f.Add(at+".headline", "is required")
		}
		for _, field := range []struct{ name, text string }{{"headline", t.Headline}, {"body", t.Body},
			{"instruction", t.Instruction}, {"contact", t.Contact}, {"cap.area", t.CAP.Area}, {"cap.event", t.CAP.Event}} {
			if bad := UnknownPlaceholders(field.text); len(bad) > 0 {
				f.Add(at+"."+field.name, "unknown placeholder {{%s}}; known: %s", bad[0], strings.Join(Placeholders, ", "))
			}
		}
	}
	for i, r := range b.Matrix {
		at := "matrix[" + itoa(i) + "]"
		if !r.Level.Valid() {
			f.Add(at+".level", "must be I, II, III or IV")
		}
		if !contains(CommAudiences, r.Audience) {
			f.Add(at+".audience", "must be one of %s", strings.Join(CommAudiences, ", "))
		}
		if r.Cadence <= 0 {
			f.Add(at+".cadence", "must be a positive duration such as 60m or 7d")
		}
		if r.Phase != Response && r.Phase != Recovery {
			f.Add(at+".phase", "must be response or recovery")
		}
	}
	if b.ActivationDeadline < 0 {
		f.Add("activation_deadline", "must be positive")
	}
	if b.FirstNoticeDue < 0 {
		f.Add("first_notice_due", "must be positive")
	}
	if b.ReviewMonths < 0 || b.ReviewMonths > 60 {
		f.Add("review_months", "must be 1–60")
	}
	return f.Err()
}

// validateText checks every text of a plan against plaintext's rule.
func validateText(f *fault.Fields, title string, b Body) {
	plaintext.CheckLine(f, "title", title)
	plaintext.Check(f, "scope", b.Scope)
	for _, l := range catalog.Levels {
		plaintext.Check(f, "activation", b.Activation[l])
	}
	for i, s := range b.Steps {
		at := "steps[" + itoa(i) + "]"
		plaintext.CheckLine(f, at+".title", s.Title)
		for _, item := range s.Checklist {
			plaintext.CheckLine(f, at+".checklist", item)
		}
	}
	for i, c := range b.Contacts {
		at := "contacts[" + itoa(i) + "]"
		for _, x := range []struct{ name, text string }{{"name", c.Name}, {"role", c.Role}, {"phone", c.Phone}, {"email", c.Email}} {
			plaintext.CheckLine(f, at+"."+x.name, x.text)
		}
	}
	for i, r := range b.Resources {
		at := "resources[" + itoa(i) + "]"
		for _, x := range []struct{ name, text string }{{"name", r.Name}, {"quantity", r.Quantity}, {"location", r.Location}} {
			plaintext.CheckLine(f, at+"."+x.name, x.text)
		}
	}
	for i, t := range b.Templates {
		at := "templates[" + itoa(i) + "]"
		plaintext.CheckLine(f, at+".headline", t.Headline)
		plaintext.Check(f, at+".body", t.Body)
		plaintext.Check(f, at+".instruction", t.Instruction)
		plaintext.CheckLine(f, at+".contact", t.Contact)
		plaintext.CheckLine(f, at+".cap.event", t.CAP.Event)
		plaintext.CheckLine(f, at+".cap.area", t.CAP.Area)
	}
	for i, r := range b.Matrix {
		plaintext.Check(f, "matrix["+itoa(i)+"].content", r.Content)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// StepsFor returns the steps of level l.
func (b Body) StepsFor(l catalog.Level) []Step {
	var out []Step
	for _, s := range b.Steps {
		if s.AppliesTo(l) {
			out = append(out, s)
		}
	}
	return out
}

// MatrixFor returns the communication rows of level l.
func (b Body) MatrixFor(l catalog.Level) []CommRow {
	var out []CommRow
	for _, r := range b.Matrix {
		if r.Level == l {
			out = append(out, r)
		}
	}
	return out
}

func joinEvents() string {
	var names []string
	for _, e := range Events() {
		names = append(names, string(e))
	}
	return strings.Join(names, ", ")
}
