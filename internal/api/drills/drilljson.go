package drills

import (
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

// kind is the type of exercise.
type kind string

// Schema lists the kinds.
func (kind) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("The HSEEP exercise type", drill.Kinds...)
}

// state is where a drill stands.
type state string

// Schema lists the states.
func (state) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("planned → ready (safety gate signed) → running → ended → evaluated → closed", drill.States...)
}

// Objective is one thing the drill tests.
type Objective struct {
	Text   string   `json:"text"`
	Steps  []string `json:"steps,omitempty" doc:"Keys of the plan's steps it tests"`
	Clocks []string `json:"clocks,omitempty" doc:"Names of the clocks it tests: activation, first_notice, cadence:KEY"`
}

// Participant is a user or an outside person taking part.
type Participant struct {
	UserID       int64  `json:"user_id,omitempty" doc:"A user; else name the outside person"`
	Name         string `json:"name,omitempty"`
	Organisation string `json:"organisation,omitempty"`
	Email        string `json:"email,omitempty" doc:"For invitations"`
	Role         string `json:"role,omitempty" doc:"What they play, e.g. caller"`
}

// DrillInput is what a planner writes.
type DrillInput struct {
	Title        string        `json:"title" maxLength:"200"`
	PlanID       int64         `json:"plan_id" doc:"The plan version under test"`
	Kind         kind          `json:"kind"`
	Level        kit.Level     `json:"level" doc:"The level the scenario plays at"`
	Objectives   []Objective   `json:"objectives"`
	Scenario     string        `json:"scenario"`
	StartsAt     time.Time     `json:"starts_at"`
	EndsAt       time.Time     `json:"ends_at"`
	Venue        string        `json:"venue"`
	Equipment    []string      `json:"equipment,omitempty"`
	Participants []Participant `json:"participants,omitempty"`
	ControllerID int64         `json:"controller_id"`
	Observers    []int64       `json:"observers,omitempty" doc:"User ids of the observers"`
	Evaluators   []int64       `json:"evaluators,omitempty" doc:"User ids of the evaluators"`
}

func (in DrillInput) domain() (drill.Details, error) {
	lv, err := in.Level.Parse("level")
	d := drill.Details{Title: in.Title, PlanID: in.PlanID, Kind: drill.Kind(in.Kind), Level: lv, Scenario: in.Scenario,
		StartsAt: in.StartsAt, EndsAt: in.EndsAt, Venue: in.Venue, Equipment: in.Equipment, ControllerID: in.ControllerID,
		Observers: in.Observers, Evaluators: in.Evaluators}
	for _, o := range in.Objectives {
		d.Objectives = append(d.Objectives, drill.Objective(o))
	}
	for _, p := range in.Participants {
		d.Participants = append(d.Participants, drill.Participant(p))
	}
	if err != nil {
		// Report the level with every other problem at once.
		var f fault.Fields
		f = append(f, fault.As(err))
		if verr := d.Validate(); verr != nil {
			for _, e := range fault.FieldsOf(verr) {
				if e.Field != "level" {
					f = append(f, e)
				}
			}
		}
		return d, f.Err()
	}
	return d, nil
}

// Safety is the safety assessment signed before the drill starts.
type Safety struct {
	Hazards   []string   `json:"hazards" nullable:"false"`
	Measures  []string   `json:"measures" nullable:"false"`
	OfficerID int64      `json:"officer_id,omitempty" doc:"The user in charge of safety"`
	StopWord  string     `json:"stop_word" doc:"The word that stops the drill at once"`
	SignedBy  int64      `json:"signed_by,omitempty" readOnly:"true"`
	SignedAt  *time.Time `json:"signed_at,omitempty" readOnly:"true"`
}

// Step is one change of state.
type Step struct {
	Action string    `json:"action"`
	UserID int64     `json:"user_id"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// Drill is a drill as the API shows it.
type Drill struct {
	ID int64 `json:"id"`
	DrillInput
	TypeID      int64      `json:"type_id" doc:"The plan's crisis type"`
	State       state      `json:"state"`
	Safety      Safety     `json:"safety"`
	AuthorID    int64      `json:"author_id"`
	CrisisID    int64      `json:"crisis_id,omitempty" doc:"The exercise crisis, once started"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	EndedAt     *time.Time `json:"ended_at,omitempty"`
	Stopped     bool       `json:"stopped" doc:"Stopped for safety"`
	StopReason  string     `json:"stop_reason,omitempty"`
	ReportDue   *time.Time `json:"report_due,omitempty" doc:"Seven days after the end"`
	EvaluatedAt *time.Time `json:"evaluated_at,omitempty"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	Steps       []Step     `json:"steps" nullable:"false"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Lock        int64      `json:"lock" doc:"Send it back with a change"`
}

func toSafety(s drill.Safety) Safety {
	return Safety{Hazards: kit.OrEmpty(s.Hazards), Measures: kit.OrEmpty(s.Measures), OfficerID: s.OfficerID,
		StopWord: s.StopWord, SignedBy: s.SignedBy, SignedAt: kit.TimePtr(s.SignedAt)}
}

func toDrill(d drill.Drill) Drill {
	out := Drill{ID: d.ID, DrillInput: DrillInput{Title: d.Title, PlanID: d.PlanID, Kind: kind(d.Kind), Level: kit.ToLevel(d.Level),
		Objectives: []Objective{}, Scenario: d.Scenario, StartsAt: d.StartsAt, EndsAt: d.EndsAt, Venue: d.Venue,
		Equipment: kit.OrEmpty(d.Equipment), Participants: []Participant{}, ControllerID: d.ControllerID,
		Observers: kit.OrEmpty(d.Observers), Evaluators: kit.OrEmpty(d.Evaluators)},
		TypeID: d.TypeID, State: state(d.State), Safety: toSafety(d.Safety), AuthorID: d.AuthorID, CrisisID: d.CrisisID,
		StartedAt: kit.TimePtr(d.StartedAt), EndedAt: kit.TimePtr(d.EndedAt), Stopped: d.Stopped, StopReason: d.StopReason,
		ReportDue: kit.TimePtr(d.ReportDue), EvaluatedAt: kit.TimePtr(d.EvaluatedAt), ClosedAt: kit.TimePtr(d.ClosedAt),
		Steps: []Step{}, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Lock: d.Lock}
	for _, o := range d.Objectives {
		out.Objectives = append(out.Objectives, Objective(o))
	}
	for _, p := range d.Participants {
		out.Participants = append(out.Participants, Participant(p))
	}
	for _, s := range d.Steps {
		out.Steps = append(out.Steps, Step{Action: s.Action, UserID: s.ActorID, Name: s.Actor, At: s.At, Note: s.Note})
	}
	return out
}
