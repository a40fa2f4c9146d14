package plans

import (
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

// The JSON form of a plan. Levels are Roman numerals and durations are
// strings such as "30m", as a crisis office writes them; the handlers parse
// them so that a bad one is refused naming its place in the request.

// duration is a plan.Duration as written: "30m", "4h", "1h30m", "2d", "1w".
type duration string

// Schema describes a duration.
func (duration) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Description: "A duration such as 30m, 4h, 1h30m, 2d or 1w",
		Examples: []any{"30m"}}
}

func toDuration(d plan.Duration) duration {
	if d <= 0 {
		return ""
	}
	return duration(d.String())
}

// audience is whom a message template addresses.
type audience string

// Schema lists the audiences.
func (audience) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Whom the message addresses", plan.Public, plan.Internal, plan.Media)
}

// commAudience is whom a row of the communication matrix tells.
type commAudience string

// Schema lists the audiences.
func (commAudience) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Who is told", plan.CommAudiences...)
}

// planStatus is where a plan version stands in its sign-off.
type planStatus string

// Schema lists the statuses.
func (planStatus) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Where the version stands in its sign-off", plan.Draft, plan.Submitted, plan.Reviewed, plan.Approved, plan.Superseded)
}

// Activation holds the activation criteria of each level.
type Activation struct {
	I   string `json:"I,omitempty"`
	II  string `json:"II,omitempty"`
	III string `json:"III,omitempty"`
	IV  string `json:"IV,omitempty"`
}

func (a *Activation) at(l catalog.Level) *string {
	return map[catalog.Level]*string{catalog.LevelI: &a.I, catalog.LevelII: &a.II, catalog.LevelIII: &a.III, catalog.LevelIV: &a.IV}[l]
}

// PlanStep is one thing to do when the plan is activated.
type PlanStep struct {
	Key             string      `json:"key" required:"false" doc:"Stable within the plan, e.g. r1; made from the phase and position when empty"`
	Phase           kit.Phase   `json:"phase"`
	Title           string      `json:"title"`
	Levels          []kit.Level `json:"levels" nullable:"false" doc:"The levels that include this step"`
	OwnerRole       kit.Role    `json:"owner_role,omitempty" doc:"The role that does it; or name a department"`
	OwnerDepartment string      `json:"owner_department,omitempty" doc:"The code of the department that does it"`
	Deadline        duration    `json:"deadline" doc:"After activation (a recovery step: after the move to recovery), e.g. 30m or 4h"`
	Checklist       []string    `json:"checklist,omitempty"`
	CompletesOn     stepEvent   `json:"completes_on,omitempty" doc:"The event that does the step's work: its task completes itself when it happens"`
}

// stepEvent is an event a step may complete on.
type stepEvent string

// Schema lists the events.
func (stepEvent) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("An event of the crisis", plan.Events()...)
}

// PlanTemplate is a pre-approved message for a level and audience.
type PlanTemplate struct {
	Level    kit.Level `json:"level"`
	Audience audience  `json:"audience"`
	Language string    `json:"language" required:"false" doc:"zh-Hant, zh-Hans or en"`
	Headline string    `json:"headline"`
	Body     string    `json:"body" required:"false" doc:"Placeholders such as {{location}} and {{occurred_at}} are filled from the crisis"`
	// Instruction and Contact are the language's other texts; CAP the
	// fields a public notice needs. A template with all of them gives a
	// notice ready to send.
	Instruction string      `json:"instruction,omitempty" required:"false" doc:"What the public should do; placeholders allowed"`
	Contact     string      `json:"contact,omitempty" required:"false" doc:"Where to ask; placeholders allowed"`
	CAP         TemplateCAP `json:"cap,omitzero" required:"false"`
}

// TemplateCAP are the CAP 1.2 fields a template gives its notice.
type TemplateCAP struct {
	Event     string `json:"event,omitempty" required:"false" doc:"Placeholders allowed"`
	Category  string `json:"category,omitempty" required:"false" doc:"CAP category: Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE or Other"`
	Urgency   string `json:"urgency,omitempty" required:"false"`
	Severity  string `json:"severity,omitempty" required:"false"`
	Certainty string `json:"certainty,omitempty" required:"false"`
	Area      string `json:"area,omitempty" required:"false" doc:"The area's description; placeholders allowed"`
}

// CommRow is one row of the communication matrix (溝通計劃).
type CommRow struct {
	Key      string       `json:"key" required:"false" doc:"Stable within the plan; made from the position when empty"`
	Level    kit.Level    `json:"level"`
	Audience commAudience `json:"audience"`
	Content  string       `json:"content" required:"false"`
	Channels []string     `json:"channels" required:"false" nullable:"false"`
	Cadence  duration     `json:"cadence" doc:"How often, e.g. 60m or 7d"`
	Phase    kit.Phase    `json:"phase" required:"false" doc:"response (during) or recovery (after); default response"`
}

// PlanBody is the editable content of a plan.
type PlanBody struct {
	Scope              string          `json:"scope" required:"false"`
	Activation         Activation      `json:"activation" required:"false" doc:"Activation criteria per level"`
	Steps              []PlanStep      `json:"steps" required:"false" nullable:"false"`
	Templates          []PlanTemplate  `json:"templates" required:"false" nullable:"false"`
	Matrix             []CommRow       `json:"matrix" required:"false" nullable:"false" doc:"The communication matrix"`
	Contacts           []plan.Contact  `json:"contacts" required:"false" nullable:"false"`
	Resources          []plan.Resource `json:"resources" required:"false" nullable:"false"`
	ActivationDeadline duration        `json:"activation_deadline" required:"false" doc:"From the crisis occurring (its detection when that is unknown); default 24h"`
	FirstNoticeDue     duration        `json:"first_notice_due" required:"false" doc:"From the crisis occurring (its detection when that is unknown); default 30m"`
	ReviewMonths       int             `json:"review_months" required:"false" minimum:"0" maximum:"60" doc:"How long an approval lasts; default 12"`
	FastPathLevels     []kit.Level     `json:"fast_path_levels" required:"false" nullable:"false" doc:"Levels at which the commander may publish a template at once"`
}

func toPlanBody(b plan.Body) PlanBody {
	out := PlanBody{Scope: b.Scope, Contacts: kit.OrEmpty(b.Contacts), Resources: kit.OrEmpty(b.Resources),
		ActivationDeadline: toDuration(b.ActivationDeadline), FirstNoticeDue: toDuration(b.FirstNoticeDue),
		ReviewMonths: b.ReviewMonths, FastPathLevels: kit.Convert(b.FastPathLevels, kit.ToLevel)}
	for l, text := range b.Activation {
		if p := out.Activation.at(l); p != nil {
			*p = text
		}
	}
	out.Steps = kit.Convert(b.Steps, func(s plan.Step) PlanStep {
		return PlanStep{Key: s.Key, Phase: kit.Phase(s.Phase), Title: s.Title, Levels: kit.Convert(s.Levels, kit.ToLevel),
			OwnerRole: kit.Role(s.OwnerRole), OwnerDepartment: s.OwnerDept, Deadline: toDuration(s.Deadline), Checklist: s.Checklist,
			CompletesOn: stepEvent(s.CompletesOn)}
	})
	out.Templates = kit.Convert(b.Templates, func(t plan.Template) PlanTemplate {
		return PlanTemplate{Level: kit.ToLevel(t.Level), Audience: audience(t.Audience), Language: t.Language,
			Headline: t.Headline, Body: t.Body, Instruction: t.Instruction, Contact: t.Contact, CAP: TemplateCAP(t.CAP)}
	})
	out.Matrix = kit.Convert(b.Matrix, func(r plan.CommRow) CommRow {
		return CommRow{Key: r.Key, Level: kit.ToLevel(r.Level), Audience: commAudience(r.Audience), Content: r.Content,
			Channels: kit.OrEmpty(r.Channels), Cadence: toDuration(r.Cadence), Phase: kit.Phase(r.Phase)}
	})
	return out
}

// bodyParser collects what does not parse, naming each field as the plan's
// own validation does (steps[2].deadline), so planFields locates both alike.
type bodyParser struct{ errs fault.Fields }

func (p *bodyParser) level(field string, l kit.Level) catalog.Level {
	v, err := l.Parse(field)
	if err != nil {
		p.errs = append(p.errs, fault.As(err))
	}
	return v
}

func (p *bodyParser) levels(field string, ls []kit.Level) []catalog.Level {
	out := make([]catalog.Level, 0, len(ls))
	for i, l := range ls {
		out = append(out, p.level(field+"["+strconv.Itoa(i)+"]", l))
	}
	return out
}

// duration parses d; an empty one is zero when optional.
func (p *bodyParser) duration(field string, d duration, optional bool) plan.Duration {
	if optional && strings.TrimSpace(string(d)) == "" {
		return 0
	}
	v, err := plan.ParseDuration(string(d))
	if err != nil {
		p.errs.Add(field, "%q is not a duration such as 30m, 4h or 2d", string(d))
	}
	return v
}

// domain parses the body; the error locates every field that does not parse.
func (b PlanBody) domain() (plan.Body, error) {
	var p bodyParser
	out := plan.Body{Scope: b.Scope, Activation: map[catalog.Level]string{},
		Contacts: b.Contacts, Resources: b.Resources, ReviewMonths: b.ReviewMonths,
		ActivationDeadline: p.duration("activation_deadline", b.ActivationDeadline, true),
		FirstNoticeDue:     p.duration("first_notice_due", b.FirstNoticeDue, true),
		FastPathLevels:     p.levels("fast_path_levels", b.FastPathLevels)}
	for _, l := range catalog.Levels {
		if text := strings.TrimSpace(*b.Activation.at(l)); text != "" {
			out.Activation[l] = text
		}
	}
	for i, s := range b.Steps {
		at := "steps[" + strconv.Itoa(i) + "]"
		out.Steps = append(out.Steps, plan.Step{Key: s.Key, Phase: plan.Phase(s.Phase), Title: s.Title,
			Levels: p.levels(at+".levels", s.Levels), OwnerRole: authz.Role(s.OwnerRole), OwnerDept: s.OwnerDepartment,
			Deadline: p.duration(at+".deadline", s.Deadline, false), Checklist: s.Checklist, CompletesOn: plan.Event(s.CompletesOn)})
	}
	for i, t := range b.Templates {
		at := "templates[" + strconv.Itoa(i) + "]"
		out.Templates = append(out.Templates, plan.Template{Level: p.level(at+".level", t.Level),
			Audience: plan.Audience(t.Audience), Language: t.Language, Headline: t.Headline, Body: t.Body,
			Instruction: t.Instruction, Contact: t.Contact, CAP: plan.TemplateCAP(t.CAP)})
	}
	for i, r := range b.Matrix {
		at := "matrix[" + strconv.Itoa(i) + "]"
		out.Matrix = append(out.Matrix, plan.CommRow{Key: r.Key, Level: p.level(at+".level", r.Level),
			Audience: string(r.Audience), Content: r.Content, Channels: r.Channels,
			Cadence: p.duration(at+".cadence", r.Cadence, false), Phase: plan.Phase(r.Phase)})
	}
	return out, p.errs.Err()
}

// planTopFields are the invalid fields that sit at the top of a plan
// request; every other field a plan's validation names is inside its body.
var planTopFields = map[string]bool{"code": true, "type_id": true, "title": true, "lock": true, "comment": true}

// planFields locates the invalid fields of a plan request: the plan's title
// at body.title, a step's deadline at body.body.steps[2].deadline.
func planFields(err error) error {
	return kit.MapFields(err, func(field string) string {
		if planTopFields[field] || strings.HasPrefix(field, "body.") {
			return field
		}
		return "body.body." + field
	})
}

// Signature is one step of a plan's sign-off.
type Signature struct {
	Action  string    `json:"action" doc:"submit, review, approve or return"`
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
}

// Plan is one version of a contingency plan.
type Plan struct {
	ID          int64       `json:"id"`
	Code        string      `json:"code" doc:"The same for every version of one plan"`
	Version     int         `json:"version" doc:"1, 2, 3… within the code"`
	TypeID      int64       `json:"type_id"`
	Status      planStatus  `json:"status"`
	Title       string      `json:"title"`
	Body        PlanBody    `json:"body"`
	AuthorID    int64       `json:"author_id" doc:"Who drafted it (編制)"`
	ReviewerID  int64       `json:"reviewer_id" doc:"Who reviewed it (審核); 0 until then"`
	ApproverID  int64       `json:"approver_id" doc:"Who approved it (批準); 0 until then"`
	SubmittedAt *time.Time  `json:"submitted_at"`
	ReviewedAt  *time.Time  `json:"reviewed_at"`
	ApprovedAt  *time.Time  `json:"approved_at"`
	ReviewDue   *time.Time  `json:"review_due" doc:"When an approved version lapses without a new review"`
	Lapsed      bool        `json:"lapsed" doc:"An approved version past its review date"`
	Signatures  []Signature `json:"signatures" nullable:"false"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Lock        int64       `json:"lock" doc:"Send it back with a change; a stale one is refused with 409"`
	// TemplateWarnings are the templates that would not give a notice
	// ready to send (plan.TemplateGaps): warnings, not errors.
	TemplateWarnings []TemplateWarning `json:"template_warnings" nullable:"false" doc:"Templates that would not give a notice ready to send; the plan is valid all the same"`
}

// TemplateWarning names one empty field of a template.
type TemplateWarning struct {
	Location string `json:"location" doc:"As body.templates[0].cap.urgency"`
	Message  string `json:"message"`
}

func templateWarnings(b plan.Body) []TemplateWarning {
	out := []TemplateWarning{}
	for _, g := range plan.TemplateGaps(b) {
		out = append(out, TemplateWarning{Location: "body." + g.Field, Message: g.Message})
	}
	return out
}

func (r *Room) toPlan(p plan.Plan) Plan {
	return Plan{ID: p.ID, Code: p.Code, Version: p.Version, TypeID: p.TypeID, Status: planStatus(p.Status),
		Title: p.Title, Body: toPlanBody(p.Body), AuthorID: p.AuthorID, ReviewerID: p.ReviewerID, ApproverID: p.ApproverID,
		SubmittedAt: kit.TimePtr(p.SubmittedAt), ReviewedAt: kit.TimePtr(p.ReviewedAt), ApprovedAt: kit.TimePtr(p.ApprovedAt),
		ReviewDue: kit.TimePtr(p.ReviewDue), Lapsed: p.Lapsed(r.Clock.Now()),
		Signatures: kit.Convert(p.Signatures, func(s plan.Signature) Signature { return Signature(s) }),
		CreatedAt:  p.CreatedAt, UpdatedAt: p.UpdatedAt, Lock: p.Lock, TemplateWarnings: templateWarnings(p.Body)}
}
