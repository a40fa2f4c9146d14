package drills

import (
	"context"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

// rating is the HSEEP rating.
type rating string

// Schema lists the scale.
func (rating) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("HSEEP: performed without challenges, with some challenges, with major challenges, unable to be performed", drill.Ratings...)
}

// ObservationInput is an observer's note against an objective.
type ObservationInput struct {
	Objective int    `json:"objective" minimum:"0" doc:"Index of the drill's objective, from 0"`
	Rating    rating `json:"rating"`
	Notes     string `json:"notes,omitempty"`
}

// Observation is a recorded observation.
type Observation struct {
	ID int64 `json:"id"`
	ObservationInput
	ObserverID int64     `json:"observer_id"`
	Observer   string    `json:"observer"`
	At         time.Time `json:"at"`
}

func toObservation(o drill.Observation) Observation {
	return Observation{ID: o.ID, ObservationInput: ObservationInput{Objective: o.Objective, Rating: rating(o.Rating), Notes: o.Notes},
		ObserverID: o.ObserverID, Observer: o.Observer, At: o.At}
}

type observationsOutput struct {
	Body struct {
		Items []Observation `json:"items" nullable:"false"`
	}
}

func (r *Room) listObservations(ctx context.Context, in *drillIDInput) (*observationsOutput, error) {
	list, err := r.Drills.Observations(ctx, kit.Actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	out := &observationsOutput{}
	out.Body.Items = append([]Observation{}, kit.Convert(list, toObservation)...)
	return out, nil
}

type observeInput struct {
	ID   int64 `path:"id"`
	Body ObservationInput
}

type observationOutput struct {
	Body Observation
}

func (r *Room) observe(ctx context.Context, in *observeInput) (*observationOutput, error) {
	o, err := r.Drills.Observe(ctx, kit.Actor(ctx), in.ID, drill.Observation{Objective: in.Body.Objective,
		Rating: drill.Rating(in.Body.Rating), Notes: in.Body.Notes})
	if err != nil {
		return nil, err
	}
	return &observationOutput{Body: toObservation(o)}, nil
}

// ObjectiveRating is an objective's rating in the report.
type ObjectiveRating struct {
	Objective string `json:"objective"`
	Rating    rating `json:"rating,omitempty"`
	Notes     string `json:"notes,omitempty"`
}

// ClockResult is a clock of the exercise crisis as the report shows it.
type ClockResult struct {
	Name  string     `json:"name"`
	Due   time.Time  `json:"due"`
	Met   *time.Time `json:"met,omitempty"`
	State string     `json:"state"`
}

// Report is the after-action report.
type Report struct {
	DrillID      int64             `json:"drill_id"`
	Summary      string            `json:"summary"`
	Strengths    []string          `json:"strengths" nullable:"false"`
	Improvements []string          `json:"improvements" nullable:"false" doc:"Areas for improvement"`
	Ratings      []ObjectiveRating `json:"ratings" nullable:"false"`
	Clocks       []ClockResult     `json:"clocks" nullable:"false"`
	Injects      int               `json:"injects" doc:"Injects delivered"`
	Skipped      int               `json:"skipped" doc:"Injects skipped"`
	Actions      int               `json:"actions" doc:"Entries by people on the exercise crisis's timeline"`
	AuthorID     int64             `json:"author_id,omitempty"`
	ApprovedBy   int64             `json:"approved_by,omitempty"`
	ApprovedAt   *time.Time        `json:"approved_at,omitempty"`
	UpdatedAt    time.Time         `json:"updated_at"`
	Lock         int64             `json:"lock"`
}

func toReport(r drill.Report) Report {
	out := Report{DrillID: r.DrillID, Summary: r.Summary, Strengths: kit.OrEmpty(r.Strengths), Improvements: kit.OrEmpty(r.Improvements),
		Ratings: []ObjectiveRating{}, Clocks: []ClockResult{}, Injects: r.Injects, Skipped: r.Skipped, Actions: r.Actions,
		AuthorID: r.AuthorID, ApprovedBy: r.ApprovedBy, ApprovedAt: kit.TimePtr(r.ApprovedAt), UpdatedAt: r.UpdatedAt, Lock: r.Lock}
	for _, o := range r.Ratings {
		out.Ratings = append(out.Ratings, ObjectiveRating{Objective: o.Objective, Rating: rating(o.Rating), Notes: o.Notes})
	}
	for _, c := range r.Clocks {
		out.Clocks = append(out.Clocks, ClockResult{Name: c.Name, Due: c.Due, Met: kit.TimePtr(c.Met), State: c.State})
	}
	return out
}

type reportOutput struct {
	Body Report
}

func shownReport(r drill.Report, err error) (*reportOutput, error) {
	if err != nil {
		return nil, err
	}
	return &reportOutput{Body: toReport(r)}, nil
}

func (r *Room) getReport(ctx context.Context, in *drillIDInput) (*reportOutput, error) {
	return shownReport(r.Drills.Report(ctx, in.ID))
}

// reportSave is an evaluator's edit of the report.
type reportSave struct {
	Summary      string   `json:"summary"`
	Strengths    []string `json:"strengths,omitempty"`
	Improvements []string `json:"improvements,omitempty"`
	Lock         int64    `json:"lock"`
}

type saveReportInput struct {
	ID   int64 `path:"id"`
	Body reportSave
}

func (r *Room) saveReport(ctx context.Context, in *saveReportInput) (*reportOutput, error) {
	return shownReport(r.Drills.SaveReport(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, in.Body.Summary, in.Body.Strengths, in.Body.Improvements))
}

func (r *Room) redraftReport(ctx context.Context, in *drillIDInput) (*reportOutput, error) {
	return shownReport(r.Drills.Redraft(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) approveReport(ctx context.Context, in *drillIDInput) (*reportOutput, error) {
	return shownReport(r.Drills.ApproveReport(ctx, kit.Actor(ctx), in.ID))
}

// Figures are the drill's numbers for the KPIs, apart from any real
// crisis's.
type Figures struct {
	Problems            int     `json:"problems" doc:"Areas for improvement found"`
	Actions             int     `json:"actions"`
	ClosedOnTime        int     `json:"closed_on_time"`
	OnTimeShare         float64 `json:"on_time_share" doc:"Share of the actions done by their due date and verified"`
	ClocksMet           int     `json:"clocks_met"`
	Clocks              int     `json:"clocks" doc:"The exercise crisis's clocks against the plan"`
	TimeToReportSeconds int64   `json:"time_to_report_seconds" doc:"Drill end to report approved; 0 before"`
	ReportOnTime        bool    `json:"report_on_time" doc:"Approved within seven days"`
}

type figuresOutput struct {
	Body Figures
}

func (r *Room) getFigures(ctx context.Context, in *drillIDInput) (*figuresOutput, error) {
	d, err := r.Drills.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	rp, err := r.Drills.Report(ctx, in.ID)
	if err != nil && !fault.Is(err, fault.NotFound) {
		return nil, err
	}
	actions, err := r.Drills.Actions(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	f := drill.FiguresOf(d, rp, actions)
	return &figuresOutput{Body: Figures{Problems: f.Problems, Actions: f.Actions, ClosedOnTime: f.ClosedOnTime, OnTimeShare: f.OnTimeShare,
		ClocksMet: f.ClocksMet, Clocks: f.Clocks, TimeToReportSeconds: int64(f.TimeToReport / time.Second), ReportOnTime: f.ReportOnTime}}, nil
}
