package drills

import (
	"context"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/drill"
)

// ActionInput is a new improvement action.
type ActionInput struct {
	Text     string    `json:"text"`
	OwnerID  int64     `json:"owner_id"`
	Due      time.Time `json:"due"`
	LinkKind string    `json:"link_kind" enum:"plan_step,template,training,resource" doc:"What it changes"`
	LinkRef  string    `json:"link_ref" doc:"Which: typhoon-main#r1, a template, a course, a resource"`
}

// Action is an improvement action.
type Action struct {
	ID      int64 `json:"id"`
	DrillID int64 `json:"drill_id"`
	ActionInput
	State      string     `json:"state" enum:"open,done,verified"`
	DoneBy     int64      `json:"done_by,omitempty"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
	VerifiedBy int64      `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

func toAction(x drill.Action) Action {
	return Action{ID: x.ID, DrillID: x.DrillID, ActionInput: ActionInput{Text: x.Text, OwnerID: x.OwnerID, Due: x.Due,
		LinkKind: x.LinkKind, LinkRef: x.LinkRef}, State: string(x.State), DoneBy: x.DoneBy, DoneAt: kit.TimePtr(x.DoneAt),
		VerifiedBy: x.VerifiedBy, VerifiedAt: kit.TimePtr(x.VerifiedAt)}
}

type actionsOutput struct {
	Body struct {
		Items []Action `json:"items" nullable:"false"`
	}
}

func (r *Room) listActions(ctx context.Context, in *drillIDInput) (*actionsOutput, error) {
	if _, err := r.Drills.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := r.Drills.Actions(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &actionsOutput{}
	out.Body.Items = append([]Action{}, kit.Convert(list, toAction)...)
	return out, nil
}

type addActionInput struct {
	ID   int64 `path:"id"`
	Body ActionInput
}

type actionOutput struct {
	Body Action
}

func shownAction(x drill.Action, err error) (*actionOutput, error) {
	if err != nil {
		return nil, err
	}
	return &actionOutput{Body: toAction(x)}, nil
}

func (r *Room) addAction(ctx context.Context, in *addActionInput) (*actionOutput, error) {
	b := in.Body
	return shownAction(r.Drills.AddAction(ctx, kit.Actor(ctx), in.ID, drill.Action{Text: b.Text, OwnerID: b.OwnerID, Due: b.Due,
		LinkKind: b.LinkKind, LinkRef: b.LinkRef}))
}

func (r *Room) completeAction(ctx context.Context, in *drillIDInput) (*actionOutput, error) {
	return shownAction(r.Drills.CompleteAction(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) verifyAction(ctx context.Context, in *drillIDInput) (*actionOutput, error) {
	return shownAction(r.Drills.VerifyAction(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) closeDrill(ctx context.Context, in *drillIDInput) (*drillOutput, error) {
	return shown(r.Drills.Close(ctx, kit.Actor(ctx), in.ID))
}
