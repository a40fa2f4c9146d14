// Package evaluation is the API's room for evaluation and learning: the
// post-crisis review (read, write, sign), the period figures of the KPIs
// with the definition version of each, and the lessons library search.
package evaluation

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/review"
)

// Room holds what the operations need; every field is required.
type Room struct {
	Crises     crisis.Service
	Reviews    review.Service
	Evaluation kpi.Service
	Lessons    lessons.Service
	Now        func() time.Time
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	kit.Register(k, kit.Can(authz.ViewCrises), op{OperationID: "get-crisis-review", Method: get, Path: "/crises/{id}/review",
		Tags: []string{"crises"}, Summary: "The post-crisis review: lessons, actions with owners, its clock, signature and the facts drafted from the record",
		Errors: []int{nf}}, r.getReview)
	kit.Register(k, kit.Can(authz.EditReview), op{OperationID: "save-crisis-review", Method: put, Path: "/crises/{id}/review",
		Tags: []string{"crises"}, Summary: "Write the review's lessons and actions (each with an owner) before it is signed",
		Errors: []int{nf, cf}}, r.saveReview)
	kit.Register(k, kit.Can(authz.SignReview), op{OperationID: "sign-crisis-review", Method: post, Path: "/crises/{id}/review/sign",
		Tags: []string{"crises"}, Summary: "Sign the review (not its author): the facts are frozen and its clock is met",
		Errors: []int{nf, cf}}, r.signReview)
	kit.Register(k, kit.Can(authz.ViewEvaluation), op{OperationID: "get-evaluation-figures", Method: get, Path: "/evaluation/figures",
		Tags: []string{"evaluation"}, Summary: "The KPIs of a period (quarter, month or year), per series, with each definition's version"}, r.figures)
	kit.Register(k, kit.Can(authz.SearchLessons), op{OperationID: "search-lessons", Method: get, Path: "/lessons",
		Tags: []string{"evaluation"}, Summary: "Search the lessons library in any language: closed crises, reviews, drill reports, notices"}, r.search)
}

type idInput struct {
	ID int64 `path:"id"`
}

// ActionItem is an improvement to make, with its owner.
type ActionItem struct {
	Text    string    `json:"text" maxLength:"2000"`
	OwnerID int64     `json:"owner_id,omitempty" doc:"The user who owns the action"`
	DueAt   time.Time `json:"due_at,omitzero"`
	Done    bool      `json:"done,omitempty"`
}

// Review is a post-crisis review.
type Review struct {
	CrisisID    int64        `json:"crisis_id"`
	Lessons     string       `json:"lessons"`
	ActionItems []ActionItem `json:"action_items"`
	Version     int64        `json:"version" doc:"Give it back when saving"`
	DueAt       time.Time    `json:"due_at,omitzero" doc:"The review clock, started at closing"`
	AuthorID    int64        `json:"author_id,omitempty"`
	SignedBy    int64        `json:"signed_by,omitempty"`
	SignedAt    time.Time    `json:"signed_at,omitzero"`
	Facts       review.Facts `json:"facts" doc:"Drafted from the record; frozen at signing"`
}

type reviewOutput struct{ Body Review }

func (r *Room) shown(ctx context.Context, id int64) (*reviewOutput, error) {
	rv, err := r.Crises.Review(ctx, id)
	if err != nil {
		return nil, err
	}
	so, err := r.Reviews.Signoff(ctx, id)
	if err != nil {
		return nil, err
	}
	facts := so.Facts
	if !so.Signed() {
		if facts, err = r.Reviews.Draft(ctx, id); err != nil {
			return nil, err
		}
	}
	out := Review{CrisisID: id, Lessons: rv.Lessons, ActionItems: []ActionItem{}, Version: rv.Version, DueAt: so.DueAt,
		AuthorID: so.AuthorID, SignedBy: so.SignedBy, SignedAt: so.SignedAt, Facts: facts}
	for _, it := range rv.ActionItems {
		out.ActionItems = append(out.ActionItems, ActionItem(it))
	}
	return &reviewOutput{Body: out}, nil
}

func (r *Room) getReview(ctx context.Context, in *idInput) (*reviewOutput, error) {
	return r.shown(ctx, in.ID)
}

type reviewSave struct {
	Lessons     string       `json:"lessons" maxLength:"20000"`
	ActionItems []ActionItem `json:"action_items" maxItems:"200"`
	Version     int64        `json:"version"`
}

type saveInput struct {
	ID   int64 `path:"id"`
	Body reviewSave
}

func (r *Room) saveReview(ctx context.Context, in *saveInput) (*reviewOutput, error) {
	so, err := r.Reviews.Signoff(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if so.Signed() {
		return nil, fault.New(fault.Conflict, "the review is signed: it no longer changes")
	}
	rv := crisis.Review{CrisisID: in.ID, Lessons: in.Body.Lessons, Version: in.Body.Version}
	for _, it := range in.Body.ActionItems {
		rv.ActionItems = append(rv.ActionItems, crisis.ActionItem(it))
	}
	if _, err := r.Crises.SaveReview(ctx, kit.Actor(ctx), rv); err != nil {
		return nil, err
	}
	return r.shown(ctx, in.ID)
}

func (r *Room) signReview(ctx context.Context, in *idInput) (*reviewOutput, error) {
	if _, err := r.Reviews.Sign(ctx, kit.Actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return r.shown(ctx, in.ID)
}

type figuresInput struct {
	Period string `query:"period" doc:"2026-Q3, 2026-07 or 2026; default the current quarter"`
	TypeID int64  `query:"type_id" doc:"0: every type"`
	Level  int    `query:"level" minimum:"0" maximum:"4" doc:"0: every level"`
}

// PeriodFigures are a period's computed KPIs.
type PeriodFigures struct {
	Period   string         `json:"period"`
	Versions map[string]int `json:"versions" doc:"The definition version of each figure"`
	Figures  []kpi.Figure   `json:"figures"`
}

type figuresOutput struct{ Body PeriodFigures }

func (r *Room) figures(ctx context.Context, in *figuresInput) (*figuresOutput, error) {
	p := kpi.QuarterOf(r.Now())
	if in.Period != "" {
		var err error
		if p, err = kpi.ParsePeriod(in.Period); err != nil {
			return nil, err
		}
	}
	all, err := r.Evaluation.Definitions(ctx)
	if err != nil {
		return nil, err
	}
	data, err := r.Evaluation.Data(ctx, p.Start, p.End())
	if err != nil {
		return nil, err
	}
	defs := kpi.Current(all, r.Now())
	out := PeriodFigures{Period: p.String(), Versions: map[string]int{},
		Figures: kpi.Compute(defs, data, kpi.Scope{From: p.Start, To: p.End(), TypeID: in.TypeID, Level: in.Level})}
	for k, d := range defs {
		out.Versions[string(k)] = d.Version
	}
	return &figuresOutput{Body: out}, nil
}

type searchInput struct {
	Q      string `query:"q" maxLength:"800" doc:"Terms that must all appear, in any language"`
	TypeID int64  `query:"type_id"`
	Kind   string `query:"kind" enum:"crisis,review,drill,notice,clarification,"`
}

// Hit is a document the library found.
type Hit struct {
	Kind     string    `json:"kind"`
	RefID    int64     `json:"ref_id"`
	CrisisID int64     `json:"crisis_id,omitempty"`
	TypeID   int64     `json:"type_id,omitempty"`
	Exercise bool      `json:"exercise"`
	Title    string    `json:"title"`
	Snippet  string    `json:"snippet"`
	At       time.Time `json:"at,omitzero"`
}

type searchOutput struct {
	Body struct {
		Hits []Hit `json:"hits"`
	}
}

func (r *Room) search(ctx context.Context, in *searchInput) (*searchOutput, error) {
	_ = lessons.Freshen(ctx, r.Lessons) // a busy writer leaves the library as it stands
	hits, err := r.Lessons.Search(ctx, lessons.Query{Text: in.Q, TypeID: in.TypeID, Kind: lessons.Kind(in.Kind)})
	if err != nil {
		return nil, err
	}
	out := &searchOutput{}
	out.Body.Hits = []Hit{}
	for _, h := range hits {
		d := h.Doc
		out.Body.Hits = append(out.Body.Hits, Hit{Kind: string(d.Kind), RefID: d.RefID, CrisisID: d.CrisisID, TypeID: d.TypeID,
			Exercise: d.Exercise, Title: d.Title, Snippet: h.Snippet, At: d.At})
	}
	return out, nil
}
