package plans

import (
	"context"
	"net/url"
	"strconv"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/plan"
)

type planOutput struct {
	Body Plan
}

type planIDInput struct {
	ID int64 `path:"id"`
}

type listPlansInput struct {
	kit.Page
	TypeID  int64      `query:"type_id" minimum:"0" doc:"Only plans for this crisis type"`
	Status  planStatus `query:"status"`
	Current bool       `query:"current" doc:"Only the newest version of each plan"`
}

func (r *Room) listPlans(ctx context.Context, in *listPlansInput) (*kit.ListOutput[Plan], error) {
	plans, total, err := r.Plans.List(ctx, plan.Filter{TypeID: in.TypeID, Status: plan.Status(in.Status),
		Current: in.Current, Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	filters := url.Values{"status": {string(in.Status)}}
	if in.TypeID != 0 {
		filters.Set("type_id", strconv.FormatInt(in.TypeID, 10))
	}
	if in.Current {
		filters.Set("current", "true")
	}
	return kit.NewList("/plans", filters, in.Page, plans, total, r.toPlan), nil
}

// newPlan is the body that starts a plan: version 1, a draft by the caller.
type newPlan struct {
	Code   string   `json:"code" doc:"Names the plan across its versions, e.g. typhoon-main"`
	TypeID int64    `json:"type_id" minimum:"1"`
	Title  string   `json:"title"`
	Body   PlanBody `json:"body"`
}

type createPlanInput struct {
	Body newPlan
}

type createPlanOutput struct {
	Location string `header:"Location"`
	Body     Plan
}

func (r *Room) createPlan(ctx context.Context, in *createPlanInput) (*createPlanOutput, error) {
	body, err := in.Body.Body.domain()
	if err != nil {
		return nil, planFields(err)
	}
	p, err := r.Plans.Create(ctx, kit.Actor(ctx), in.Body.Code, in.Body.TypeID, in.Body.Title, body)
	if err != nil {
		return nil, planFields(err)
	}
	return &createPlanOutput{Location: planPath(p.ID), Body: r.toPlan(p)}, nil
}

func planPath(id int64) string { return kit.Prefix + "/plans/" + strconv.FormatInt(id, 10) }

func (r *Room) getPlan(ctx context.Context, in *planIDInput) (*planOutput, error) {
	p, err := r.Plans.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &planOutput{Body: r.toPlan(p)}, nil
}

// planSave replaces a plan's title and body.
type planSave struct {
	Title string   `json:"title"`
	Body  PlanBody `json:"body"`
	Lock  int64    `json:"lock" doc:"The lock of the version the change is based on"`
}

type savePlanInput struct {
	ID   int64 `path:"id"`
	Body planSave
}

type savePlanOutput struct {
	Location string `header:"Content-Location" doc:"The version saved: a new draft when an approved version was changed"`
	Body     Plan
}

func (r *Room) savePlan(ctx context.Context, in *savePlanInput) (*savePlanOutput, error) {
	body, err := in.Body.Body.domain()
	if err != nil {
		return nil, planFields(err)
	}
	p, err := r.Plans.Save(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, in.Body.Title, body)
	if err != nil {
		return nil, planFields(err)
	}
	return &savePlanOutput{Location: planPath(p.ID), Body: r.toPlan(p)}, nil
}

// signoff is the body of a sign-off step.
type signoff struct {
	Comment string `json:"comment,omitempty" doc:"Recorded with the signature"`
}

// signoffInput is a sign-off step: its body is optional, so that a bare
// POST (no Content-Type, zero length) signs.
type signoffInput struct {
	ID   int64 `path:"id"`
	Body *signoff
}

// planReturn is the body that sends a plan back to draft.
type planReturn struct {
	Comment string `json:"comment" doc:"Why the plan goes back"`
}

// returnPlanInput's body is optional too: without one the comment is
// missing, which the sign-off refuses naming it.
type returnPlanInput struct {
	ID   int64 `path:"id"`
	Body *planReturn
}

// comment is the reason sent, "" without a body.
func (in *returnPlanInput) comment() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Comment
}

// comment is the comment sent, "" without a body.
func (in *signoffInput) comment() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Comment
}

func (r *Room) submitPlan(ctx context.Context, in *signoffInput) (*planOutput, error) {
	return r.signed(r.Plans.Submit(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

func (r *Room) reviewPlan(ctx context.Context, in *signoffInput) (*planOutput, error) {
	return r.signed(r.Plans.Review(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

func (r *Room) approvePlan(ctx context.Context, in *signoffInput) (*planOutput, error) {
	return r.signed(r.Plans.Approve(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

// returnPlan is declared with ReturnPlan, the route table having one
// action per route; the service checks again, by the plan's status.
func (r *Room) returnPlan(ctx context.Context, in *returnPlanInput) (*planOutput, error) {
	return r.signed(r.Plans.Return(ctx, kit.Actor(ctx), in.ID, in.comment()))
}

// signed shows the plan a sign-off step returned.
func (r *Room) signed(p plan.Plan, err error) (*planOutput, error) {
	if err != nil {
		return nil, planFields(err)
	}
	return &planOutput{Body: r.toPlan(p)}, nil
}
