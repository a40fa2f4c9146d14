package crises

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
)

// crisisStatus is where a crisis stands.
type crisisStatus string

// Schema lists the statuses.
func (crisisStatus) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("Where the crisis stands", crisis.Declared, crisis.Active, crisis.Recovering, crisis.Closed)
}

// clockState is a clock's state when the response was made.
type clockState string

// Schema lists the states.
func (clockState) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("The clock's state now", crisis.Pending, crisis.Met, crisis.Overdue)
}

// clockBasis is the moment a clock counts from.
type clockBasis string

// Schema lists the moments.
func (clockBasis) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("The moment the clock counts from", crisis.FromOccurrence, crisis.FromDetection, crisis.FromDeclaration,
		crisis.FromActivation, crisis.FromRecovery, crisis.FromLastUpdate)
}

// Clock is a deadline the crisis runs against.
type Clock struct {
	Name      string     `json:"name" doc:"activation, first_notice, cadence:KEY or task:ID"`
	Kind      string     `json:"kind" doc:"activation, first_notice, cadence or task"`
	Subject   string     `json:"subject" doc:"What a task clock is about: the task's title; empty for the others"`
	Basis     clockBasis `json:"basis" doc:"occurred: the plan's clocks count from the crisis occurring; detected: from its detection, the occurrence being unknown"`
	StartedAt time.Time  `json:"started_at"`
	DueAt     time.Time  `json:"due_at"`
	MetAt     *time.Time `json:"met_at" doc:"null until met"`
	State     clockState `json:"state" doc:"A clock met late stays overdue"`
}

func toClock(c crisis.Clock, now time.Time) Clock {
	return Clock{Name: c.Name, Kind: string(c.Kind), Subject: c.Subject, Basis: clockBasis(c.Basis), StartedAt: c.StartedAt,
		DueAt: c.DueAt, MetAt: kit.TimePtr(c.MetAt), State: clockState(c.State(now))}
}

// Crisis is a crisis or an exercise.
type Crisis struct {
	ID                                 int64        `json:"id"`
	Title                              string       `json:"title"`
	TypeID                             int64        `json:"type_id"`
	Level                              kit.Level    `json:"level"`
	Colour                             string       `json:"colour" doc:"The level's colour: red, orange, yellow or blue"`
	Status                             crisisStatus `json:"status"`
	Exercise                           bool         `json:"exercise" doc:"A drill, not a real crisis"`
	Location                           string       `json:"location"`
	Area                               string       `json:"area"`
	Summary                            string       `json:"summary"`
	Texts                              Texts        `json:"texts" nullable:"false" doc:"Versions of title, location and summary per language (zh-Hant, zh-Hans, en); a notice's placeholders fill from its language's version, else from the other Chinese script's converted, else from title, location and summary"`
	OccurredAt                         *time.Time   `json:"occurred_at" doc:"null when unknown: the plan's clocks then count from detected_at"`
	DetectedAt                         time.Time    `json:"detected_at"`
	DeclaredAt                         time.Time    `json:"declared_at"`
	DeclaredBy                         int64        `json:"declared_by"`
	PlanID                             int64        `json:"plan_id" doc:"The plan version activated; 0 until then"`
	ActivatedAt                        *time.Time   `json:"activated_at"`
	FirstNoticeAt                      *time.Time   `json:"first_notice_at"`
	RecoveringAt                       *time.Time   `json:"recovering_at"`
	ClosedAt                           *time.Time   `json:"closed_at"`
	ClosingNote                        string       `json:"closing_note"`
	PublicSince                        *time.Time   `json:"public_since" doc:"When the crisis appeared on the public site: its first public notice, or a commander showed it; null until then"`
	Clocks                             []Clock      `json:"clocks" nullable:"false" doc:"Every clock, on a single crisis; empty in lists"`
	Accuracy                           *Accuracy    `json:"accuracy,omitempty" doc:"On a single crisis: how many of its public statements were corrected for a factual error"`
	ClocksFrom                         clockBasis   `json:"clocks_from" doc:"What the plan's clocks and the time_to figures count from: occurred, or detected when the occurrence is unknown"`
	TimeToActivateSeconds              *int64       `json:"time_to_activate_seconds" doc:"The crisis occurring (else its detection) to plan activation; null until activated"`
	TimeToFirstNoticeSeconds           *int64       `json:"time_to_first_notice_seconds" doc:"The crisis occurring (else its detection) to the first public notice; null until published"`
	ActivatedAfterDeclarationSeconds   *int64       `json:"activated_after_declaration_seconds" doc:"Declaration to plan activation; null until activated"`
	FirstNoticeAfterDeclarationSeconds *int64       `json:"first_notice_after_declaration_seconds" doc:"Declaration to the first public notice; null until published"`
	CreatedAt                          time.Time    `json:"created_at"`
	UpdatedAt                          time.Time    `json:"updated_at"`
	Version                            int64        `json:"version"`
}

func (r *Room) toCrisis(c crisis.Crisis) Crisis {
	now := r.Clock.Now()
	_, from := c.ClockStart()
	return Crisis{ID: c.ID, Title: c.Title, TypeID: c.TypeID, Level: kit.ToLevel(c.Level), Colour: c.Level.Colour(),
		Status: crisisStatus(c.Status), Exercise: c.Exercise, Location: c.Location, Area: c.Area, Summary: c.Summary,
		OccurredAt: kit.TimePtr(c.OccurredAt), DetectedAt: c.DetectedAt, DeclaredAt: c.DeclaredAt, DeclaredBy: c.DeclaredBy,
		PlanID: c.PlanID, ActivatedAt: kit.TimePtr(c.ActivatedAt), FirstNoticeAt: kit.TimePtr(c.FirstNoticeAt),
		RecoveringAt: kit.TimePtr(c.RecoveringAt), ClosedAt: kit.TimePtr(c.ClosedAt), ClosingNote: c.ClosingNote,
		PublicSince:                        kit.TimePtr(c.PublicSince),
		Texts:                              toTexts(c.Texts),
		Clocks:                             kit.Convert(c.Clocks, func(k crisis.Clock) Clock { return toClock(k, now) }),
		ClocksFrom:                         clockBasis(from),
		TimeToActivateSeconds:              seconds(c.ActivatedAt, c.TimeToActivate()),
		TimeToFirstNoticeSeconds:           seconds(c.FirstNoticeAt, c.TimeToFirstNotice()),
		ActivatedAfterDeclarationSeconds:   seconds(c.ActivatedAt, c.ActivatedAfterDeclaration()),
		FirstNoticeAfterDeclarationSeconds: seconds(c.FirstNoticeAt, c.FirstNoticeAfterDeclaration()),
		CreatedAt:                          c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

// Accuracy is the information-accuracy figure of one crisis
// (notice.Accuracy): its published public statements, every kind but
// correction, and how many of them were corrected at least once for a
// factual error.
type Accuracy struct {
	PublicStatements   int `json:"public_statements"`
	FactualCorrections int `json:"factual_corrections"`
}

// accuracy reads the crisis's published notices and counts them.
func (r *Room) accuracy(ctx context.Context, crisisID int64) (*Accuracy, error) {
	var all []notice.Notice
	for offset := 0; ; {
		ns, total, err := r.Notices.List(ctx, notice.Filter{CrisisID: crisisID, Status: notice.Published, Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		all = append(all, ns...)
		if offset += len(ns); len(ns) == 0 || offset >= total {
			break
		}
	}
	factual, statements := notice.Accuracy(all)
	return &Accuracy{PublicStatements: statements, FactualCorrections: factual}, nil
}

// seconds is d in whole seconds, or nil when the moment it ends has not come.
func seconds(end time.Time, d time.Duration) *int64 {
	if end.IsZero() {
		return nil
	}
	s := int64(d / time.Second)
	return &s
}

type crisisOutput struct {
	Body Crisis
}

type crisisIDInput struct {
	ID int64 `path:"id"`
}

type listCrisesInput struct {
	kit.Page
	Open bool `query:"open" doc:"Only crises not closed"`
}

func (r *Room) listCrises(ctx context.Context, in *listCrisesInput) (*kit.ListOutput[Crisis], error) {
	crises, total, err := r.Crises.List(ctx, crisis.Filter{Open: in.Open, Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	var filters url.Values
	if in.Open {
		filters = url.Values{"open": {"true"}}
	}
	return kit.NewList("/crises", filters, in.Page, crises, total, r.toCrisis), nil
}

// declaration is the body that declares a crisis.
type declaration struct {
	Title      string    `json:"title"`
	TypeID     int64     `json:"type_id" minimum:"1"`
	Level      kit.Level `json:"level"`
	Exercise   bool      `json:"exercise,omitempty" doc:"Declare a drill"`
	Location   string    `json:"location"`
	Area       string    `json:"area,omitempty"`
	Summary    string    `json:"summary,omitempty"`
	Texts      Texts     `json:"texts,omitempty" required:"false" doc:"Optional versions of title, location and summary per language: zh-Hant, zh-Hans or en"`
	OccurredAt time.Time `json:"occurred_at,omitzero" doc:"RFC 3339; leave out when unknown: the plan's clocks then count from detected_at"`
	DetectedAt time.Time `json:"detected_at,omitzero" doc:"RFC 3339; default now"`
}

type declareInput struct {
	Body declaration
}

type declareOutput struct {
	Location string `header:"Location"`
	Body     Crisis
}

func (r *Room) declareCrisis(ctx context.Context, in *declareInput) (*declareOutput, error) {
	b := in.Body
	l, err := b.Level.Parse("level")
	if err != nil {
		return nil, err
	}
	c, err := r.Crises.Declare(ctx, kit.Actor(ctx), crisis.Declaration{Title: b.Title, TypeID: b.TypeID, Level: l,
		Exercise: b.Exercise, Location: b.Location, Area: b.Area, Summary: b.Summary, Texts: fromTexts(b.Texts),
		OccurredAt: b.OccurredAt.UTC(), DetectedAt: b.DetectedAt.UTC()})
	if err != nil {
		return nil, kit.BodyFields(err, nil)
	}
	out, err := r.shown(ctx, c, nil)
	if err != nil {
		return nil, err
	}
	return &declareOutput{Location: kit.Prefix + "/crises/" + strconv.FormatInt(c.ID, 10), Body: out.Body}, nil
}

func (r *Room) getCrisis(ctx context.Context, in *crisisIDInput) (*crisisOutput, error) {
	c, err := r.Crises.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := crisisOutput{Body: r.toCrisis(c)}
	if out.Body.Accuracy, err = r.accuracy(ctx, c.ID); err != nil {
		return nil, err
	}
	return &out, nil
}

// shown re-reads a crisis a change returned, so that the response carries
// its clocks as a GET would.
func (r *Room) shown(ctx context.Context, c crisis.Crisis, err error) (*crisisOutput, error) {
	if err != nil {
		return nil, err
	}
	return r.getCrisis(ctx, &crisisIDInput{ID: c.ID})
}

// activateBody is the body that activates a plan for a crisis.
type activateBody struct {
	PlanID int64 `json:"plan_id" minimum:"1" doc:"An approved plan version"`
}

type activateInput struct {
	ID   int64 `path:"id"`
	Body activateBody
}

func (r *Room) activateCrisis(ctx context.Context, in *activateInput) (*crisisOutput, error) {
	c, err := r.Crises.Activate(ctx, kit.Actor(ctx), in.ID, in.Body.PlanID)
	return r.shown(ctx, c, err)
}

// levelChange is the body that changes a crisis's level.
type levelChange struct {
	Level  kit.Level `json:"level"`
	Reason string    `json:"reason,omitempty" doc:"Recorded on the timeline"`
}

type changeLevelInput struct {
	ID   int64 `path:"id"`
	Body levelChange
}

func (r *Room) changeLevel(ctx context.Context, in *changeLevelInput) (*crisisOutput, error) {
	l, err := in.Body.Level.Parse("level")
	if err != nil {
		return nil, err
	}
	c, err := r.Crises.ChangeLevel(ctx, kit.Actor(ctx), in.ID, l, in.Body.Reason)
	return r.shown(ctx, c, err)
}

// recovery is the body that moves a crisis to recovery.
type recovery struct {
	Note string `json:"note,omitempty" doc:"Recorded on the timeline"`
}

type recoverInput struct {
	ID   int64 `path:"id"`
	Body recovery
}

func (r *Room) recoverCrisis(ctx context.Context, in *recoverInput) (*crisisOutput, error) {
	c, err := r.Crises.Recover(ctx, kit.Actor(ctx), in.ID, in.Body.Note)
	return r.shown(ctx, c, err)
}

// closing is the body that closes a crisis.
type closing struct {
	Summary string `json:"summary" doc:"The closing summary; the post-crisis review opens"`
}

type closeInput struct {
	ID   int64 `path:"id"`
	Body closing
}

func (r *Room) closeCrisis(ctx context.Context, in *closeInput) (*crisisOutput, error) {
	c, err := r.Crises.Close(ctx, kit.Actor(ctx), in.ID, in.Body.Summary)
	return r.shown(ctx, c, err)
}

func (r *Room) showPublicly(ctx context.Context, in *crisisIDInput) (*crisisOutput, error) {
	c, err := r.Crises.ShowPublicly(ctx, kit.Actor(ctx), in.ID)
	return r.shown(ctx, c, err)
}

// Wording is a crisis's title, location and summary in one language.
type Wording struct {
	Title    string `json:"title,omitempty" required:"false"`
	Location string `json:"location,omitempty" required:"false"`
	Summary  string `json:"summary,omitempty" required:"false"`
}

// Texts are a crisis's wordings keyed by language: zh-Hant, zh-Hans, en.
type Texts map[string]Wording

func toTexts(ts crisis.Texts) Texts {
	out := Texts{}
	for lang, w := range ts {
		out[lang] = Wording(w)
	}
	return out
}

func fromTexts(ts Texts) crisis.Texts {
	if len(ts) == 0 {
		return nil
	}
	out := crisis.Texts{}
	for lang, w := range ts {
		out[lang] = crisis.Wording(w)
	}
	return out
}
