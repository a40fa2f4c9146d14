// Package drill holds an exercise (演練) of a contingency plan, after the
// US Homeland Security Exercise and Evaluation Program (HSEEP): what is
// tested and how, who takes part, the safety gate that must be signed
// before it starts, and its state from planned to closed. It is plain Go:
// the store keeps drills and the surfaces show them.
package drill

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Kind is the type of exercise.
type Kind string

// The HSEEP exercise types crisisdesk runs.
const (
	Tabletop   Kind = "tabletop"   // a discussion around a table
	Functional Kind = "functional" // the team works the real system against a scenario
	FullScale  Kind = "full_scale" // people and equipment in the field
)

// Kinds lists the kinds in the order forms offer them.
var Kinds = []Kind{Tabletop, Functional, FullScale}

// State is where a drill stands.
type State string

// The lifecycle of a drill.
const (
	Planned   State = "planned"   // being prepared
	Ready     State = "ready"     // the safety gate is signed
	Running   State = "running"   // started: its exercise crisis is live
	Ended     State = "ended"     // over (or stopped for safety); the report is due within a week
	Evaluated State = "evaluated" // the after-action report is approved
	Closed    State = "closed"    // every improvement action is closed
)

// States lists the states in their order.
var States = []State{Planned, Ready, Running, Ended, Evaluated, Closed}

// ReportWithin is how long after a drill ends its evaluation report is due.
const ReportWithin = 7 * 24 * time.Hour

// Objective is one thing the drill tests, linked to what the plan says:
// plan steps by their key and clocks by their name ("activation",
// "first_notice", "cadence:KEY").
type Objective struct {
	Text   string   `json:"text"`
	Steps  []string `json:"steps,omitempty"`
	Clocks []string `json:"clocks,omitempty"`
}

// Participant is a person taking part: a user (UserID) or someone from
// outside the office (Name and Organisation, with an e-mail address for
// invitations when known).
type Participant struct {
	UserID       int64  `json:"user_id,omitempty"`
	Name         string `json:"name,omitempty"`
	Organisation string `json:"organisation,omitempty"`
	Email        string `json:"email,omitempty"`
	Role         string `json:"role,omitempty"` // what they play in the drill, e.g. "caller", "press"
}

// Safety is the safety assessment that must be signed before a drill
// starts: the hazards, the protective measures, the person in charge of
// safety and the word that stops the drill at once.
type Safety struct {
	Hazards   []string `json:"hazards"`
	Measures  []string `json:"measures"`
	OfficerID int64    `json:"officer_id,omitempty"` // the person in charge of safety
	StopWord  string   `json:"stop_word"`
	// SignedBy and SignedAt are the signature; zero until signed. A change
	// to the assessment or to the drill voids it.
	SignedBy int64     `json:"signed_by,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"`
}

// Signed reports whether the assessment is signed.
func (s Safety) Signed() bool { return s.SignedBy != 0 }

// Checklist is the office's default safety checklist, which a new drill's
// assessment starts from; the office edits it.
type Checklist struct {
	Hazards  []string `json:"hazards"`
	Measures []string `json:"measures"`
}

// Step is one change of state with who, when and why, kept on the drill.
type Step struct {
	Action  string    `json:"action"`
	ActorID int64     `json:"actor_id"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// Drill is one exercise of a plan.
type Drill struct {
	ID     int64
	Title  string
	PlanID int64 // the plan version under test
	TypeID int64 // its crisis type
	Kind   Kind
	Level  catalog.Level // the level the scenario plays at: its exercise crisis is declared at it
	State  State

	Objectives []Objective
	Scenario   string
	StartsAt   time.Time // UTC; the form reads and shows it in the office's zone
	EndsAt     time.Time
	Venue      string
	Equipment  []string

	Participants []Participant
	ControllerID int64
	Observers    []int64 // users who record observations
	Evaluators   []int64 // users who see observations and write the report

	Safety Safety

	AuthorID  int64
	CrisisID  int64 // the exercise crisis, once started
	StartedAt time.Time
	PausedAt  time.Time // set while the controller holds the injects
	EndedAt   time.Time
	// Stopped is set when the drill was stopped for safety; StopReason
	// says why.
	Stopped     bool
	StopReason  string
	ReportDue   time.Time // EndedAt + ReportWithin
	EvaluatedAt time.Time
	ClosedAt    time.Time

	Steps     []Step
	CreatedAt time.Time
	UpdatedAt time.Time
	Lock      int64
}

// IsObserver reports whether user id is one of the drill's observers.
func (d Drill) IsObserver(id int64) bool { return id != 0 && slices.Contains(d.Observers, id) }

// IsEvaluator reports whether user id is one of the drill's evaluators.
func (d Drill) IsEvaluator(id int64) bool { return id != 0 && slices.Contains(d.Evaluators, id) }

// People returns every user named on the drill: participants, the
// controller, observers, evaluators and the safety officer, once each.
func (d Drill) People() []int64 {
	var out []int64
	add := func(id int64) {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, p := range d.Participants {
		add(p.UserID)
	}
	add(d.ControllerID)
	for _, id := range d.Observers {
		add(id)
	}
	for _, id := range d.Evaluators {
		add(id)
	}
	add(d.Safety.OfficerID)
	return out
}

// Details is what a planner writes and may change while the drill is
// planned or ready.
type Details struct {
	Title        string
	PlanID       int64
	Kind         Kind
	Level        catalog.Level
	Objectives   []Objective
	Scenario     string
	StartsAt     time.Time
	EndsAt       time.Time
	Venue        string
	Equipment    []string
	Participants []Participant
	ControllerID int64
	Observers    []int64
	Evaluators   []int64
}

// Details returns the drill's planner-written part.
func (d Drill) Details() Details {
	return Details{Title: d.Title, PlanID: d.PlanID, Kind: d.Kind, Level: d.Level, Objectives: d.Objectives, Scenario: d.Scenario,
		StartsAt: d.StartsAt, EndsAt: d.EndsAt, Venue: d.Venue, Equipment: d.Equipment, Participants: d.Participants,
		ControllerID: d.ControllerID, Observers: d.Observers, Evaluators: d.Evaluators}
}

// text is s as a drill keeps it: pasted line breaks as "\n", trimmed.
func text(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }

func texts(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = text(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func ids(in []int64) []int64 {
	out := []int64{}
	for _, id := range in {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Normalize trims the texts and drops blank rows and repeated people.
func (d *Details) Normalize() {
	d.Title, d.Scenario, d.Venue = text(d.Title), text(d.Scenario), text(d.Venue)
	d.Equipment = texts(d.Equipment)
	objs := []Objective{}
	for _, o := range d.Objectives {
		o.Text, o.Steps, o.Clocks = text(o.Text), texts(o.Steps), texts(o.Clocks)
		if o.Text != "" || len(o.Steps)+len(o.Clocks) > 0 {
			objs = append(objs, o)
		}
	}
	d.Objectives = objs
	ps := []Participant{}
	for _, p := range d.Participants {
		p.Name, p.Organisation, p.Email, p.Role = text(p.Name), text(p.Organisation), text(p.Email), text(p.Role)
		if p.UserID != 0 || p.Name != "" || p.Organisation != "" || p.Email != "" {
			ps = append(ps, p)
		}
	}
	d.Participants = ps
	d.Observers, d.Evaluators = ids(d.Observers), ids(d.Evaluators)
	d.StartsAt, d.EndsAt = d.StartsAt.UTC(), d.EndsAt.UTC()
}

// Limits on what a drill holds.
const (
	MaxTitle = 200
	MaxText  = 20000
	MaxRows  = 200
)

// Validate checks the details on their own; the store checks that the
// plan, its steps and the people exist. Field names are the API's.
func (d Details) Validate() error {
	var f fault.Fields
	switch n := utf8.RuneCountInString(d.Title); {
	case n == 0:
		f.Add("title", "give the drill a title")
	case n > MaxTitle:
		f.Add("title", "at most %d characters", MaxTitle)
	}
	if d.PlanID <= 0 {
		f.Add("plan_id", "choose the plan under test")
	}
	if !slices.Contains(Kinds, d.Kind) {
		f.Add("kind", "choose tabletop, functional or full_scale")
	}
	if !d.Level.Valid() {
		f.Add("level", "choose the level the scenario plays at")
	}
	if len(d.Objectives) == 0 {
		f.Add("objectives", "name at least one objective")
	}
	for _, o := range d.Objectives {
		if o.Text == "" {
			f.Add("objectives", "every objective needs its text")
			break
		}
		if len(o.Steps)+len(o.Clocks) == 0 {
			f.Add("objectives", "link every objective to a plan step or a clock")
			break
		}
	}
	if d.Scenario == "" {
		f.Add("scenario", "describe the scenario")
	} else if utf8.RuneCountInString(d.Scenario) > MaxText {
		f.Add("scenario", "at most %d characters", MaxText)
	}
	switch {
	case d.StartsAt.IsZero():
		f.Add("starts_at", "give the start")
	case d.EndsAt.IsZero():
		f.Add("ends_at", "give the end")
	case !d.EndsAt.After(d.StartsAt):
		f.Add("ends_at", "the end comes after the start")
	case d.EndsAt.Sub(d.StartsAt) > 7*24*time.Hour:
		f.Add("ends_at", "a drill lasts at most a week")
	}
	if d.Venue == "" {
		f.Add("venue", "give the venue")
	}
	for _, p := range d.Participants {
		if p.UserID == 0 && p.Name == "" {
			f.Add("participants", "an outside participant needs a name")
			break
		}
		if p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, " ,;<>")) {
			f.Add("participants", "%q is not an e-mail address", p.Email)
			break
		}
	}
	if d.ControllerID <= 0 {
		f.Add("controller_id", "choose the controller")
	}
	if len(d.Observers)+len(d.Evaluators) == 0 {
		f.Add("observers", "name at least one observer or evaluator")
	}
	for _, rows := range []struct {
		field string
		n     int
	}{{"objectives", len(d.Objectives)}, {"equipment", len(d.Equipment)}, {"participants", len(d.Participants)},
		{"observers", len(d.Observers)}, {"evaluators", len(d.Evaluators)}} {
		if rows.n > MaxRows {
			f.Add(rows.field, "at most %d rows", MaxRows)
		}
	}
	plaintext.CheckLine(&f, "title", d.Title)
	plaintext.Check(&f, "scenario", d.Scenario)
	plaintext.CheckLine(&f, "venue", d.Venue)
	for _, e := range d.Equipment {
		plaintext.CheckLine(&f, "equipment", e)
	}
	return f.Err()
}

// Normalize trims the assessment's texts and drops blank rows.
func (s *Safety) Normalize() {
	s.Hazards, s.Measures, s.StopWord = texts(s.Hazards), texts(s.Measures), text(s.StopWord)
}

// Validate checks that the assessment is complete enough to sign.
func (s Safety) Validate() error {
	var f fault.Fields
	if len(s.Hazards) == 0 {
		f.Add("hazards", "list the hazards")
	}
	if len(s.Measures) == 0 {
		f.Add("measures", "list the protective measures")
	}
	if s.OfficerID <= 0 {
		f.Add("officer_id", "name the person in charge of safety")
	}
	if s.StopWord == "" {
		f.Add("stop_word", "choose the word that stops the drill")
	} else if utf8.RuneCountInString(s.StopWord) > 50 {
		f.Add("stop_word", "at most 50 characters")
	}
	if len(s.Hazards) > MaxRows || len(s.Measures) > MaxRows {
		f.Add("hazards", "at most %d rows", MaxRows)
	}
	return f.Err()
}
