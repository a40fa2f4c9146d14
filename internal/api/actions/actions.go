// Package actions is the API's room for the one action list: actions from
// meetings, drills, post-crisis reviews, risks and feedback.
package actions

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/action"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
)

// Room holds what the action operations need; every field is required.
type Room struct {
	Actions action.Service
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"actions"}
	kit.Register(k, kit.Can(authz.ViewActions), op{OperationID: "list-actions", Method: http.MethodGet, Path: "/actions", Tags: tags,
		Summary: "The one action list, due first; post-crisis review items are read-only (id 0)"}, r.list)
	kit.Register(k, kit.Can(authz.ManageActions), op{OperationID: "add-action", Method: http.MethodPost, Path: "/actions", Tags: tags,
		Summary:       "Add an action from a meeting, risk or feedback (drills and reviews add theirs on their own pages)",
		DefaultStatus: http.StatusCreated}, r.add)
	kit.Register(k, kit.Can(authz.ViewActions), op{OperationID: "get-action", Method: http.MethodGet, Path: "/actions/{id}", Tags: tags,
		Summary: "Get an action", Errors: []int{nf}}, r.get)
	kit.Register(k, kit.Can(authz.ViewActions), op{OperationID: "complete-action", Method: http.MethodPost, Path: "/actions/{id}/done", Tags: tags,
		Summary: "Mark an action done (its owner, or a manager of actions)", Errors: []int{nf, cf}}, r.complete)
	kit.Register(k, kit.Can(authz.VerifyActions), op{OperationID: "verify-action", Method: http.MethodPost, Path: "/actions/{id}/verify", Tags: tags,
		Summary: "Verify a done action (not who marked it done)", Errors: []int{nf, cf}}, r.verify)
}

// NewAction is a new action.
type NewAction struct {
	SourceKind   string    `json:"source_kind" enum:"meeting,drill,review,risk,feedback"`
	SourceID     int64     `json:"source_id"`
	CrisisID     int64     `json:"crisis_id,omitempty"`
	Text         string    `json:"text"`
	OwnerID      int64     `json:"owner_id"`
	DepartmentID int64     `json:"department_id,omitempty" doc:"Default: the owner's department"`
	Due          time.Time `json:"due"`
}

// ListedAction is one action of the list.
type ListedAction struct {
	ID int64 `json:"id" doc:"0 for a post-crisis review's item, which is changed on the review"`
	NewAction
	LinkKind   string     `json:"link_kind,omitempty"`
	LinkRef    string     `json:"link_ref,omitempty"`
	State      string     `json:"state" enum:"open,done,verified"`
	DoneBy     int64      `json:"done_by,omitempty"`
	DoneAt     *time.Time `json:"done_at,omitempty"`
	VerifiedBy int64      `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	ReadOnly   bool       `json:"read_only,omitempty"`
	Link       string     `json:"link,omitempty" doc:"The desk page of its source"`
}

func toAction(x action.Action) ListedAction {
	return ListedAction{ID: x.ID, NewAction: NewAction{SourceKind: string(x.Source.Kind), SourceID: x.Source.ID, CrisisID: x.CrisisID, Text: x.Text,
		OwnerID: x.OwnerID, DepartmentID: x.DepartmentID, Due: x.Due}, LinkKind: x.LinkKind, LinkRef: x.LinkRef, State: string(x.State),
		DoneBy: x.DoneBy, DoneAt: kit.TimePtr(x.DoneAt), VerifiedBy: x.VerifiedBy, VerifiedAt: kit.TimePtr(x.VerifiedAt),
		ReadOnly: x.ReadOnly, Link: x.Link}
}

type listInput struct {
	Source       string `query:"source" enum:"meeting,drill,review,risk,feedback" required:"false"`
	SourceID     int64  `query:"source_id"`
	OwnerID      int64  `query:"owner_id"`
	DepartmentID int64  `query:"department_id"`
	State        string `query:"state" enum:"open,done,verified" required:"false"`
	Owed         bool   `query:"owed" doc:"Only actions not yet verified: everything owed"`
}

type listOutput struct {
	Body struct {
		Items []ListedAction `json:"items" nullable:"false"`
	}
}

func (r *Room) list(ctx context.Context, in *listInput) (*listOutput, error) {
	list, err := r.Actions.List(ctx, action.Filter{Source: action.SourceKind(in.Source), SourceID: in.SourceID, OwnerID: in.OwnerID,
		DepartmentID: in.DepartmentID, State: action.State(in.State), OpenOnly: in.Owed})
	if err != nil {
		return nil, err
	}
	out := &listOutput{}
	out.Body.Items = append([]ListedAction{}, kit.Convert(list, toAction)...)
	return out, nil
}

type idInput struct {
	ID int64 `path:"id"`
}

type actionOutput struct {
	Body ListedAction
}

func shown(x action.Action, err error) (*actionOutput, error) {
	if err != nil {
		return nil, err
	}
	return &actionOutput{Body: toAction(x)}, nil
}

func (r *Room) get(ctx context.Context, in *idInput) (*actionOutput, error) {
	return shown(r.Actions.Get(ctx, in.ID))
}

type addInput struct {
	Body NewAction
}

func (r *Room) add(ctx context.Context, in *addInput) (*actionOutput, error) {
	b := in.Body
	return shown(r.Actions.Add(ctx, kit.Actor(ctx), action.Action{Source: action.Source{Kind: action.SourceKind(b.SourceKind), ID: b.SourceID},
		CrisisID: b.CrisisID, Text: b.Text, OwnerID: b.OwnerID, DepartmentID: b.DepartmentID, Due: b.Due}))
}

func (r *Room) complete(ctx context.Context, in *idInput) (*actionOutput, error) {
	return shown(r.Actions.Complete(ctx, kit.Actor(ctx), in.ID))
}

func (r *Room) verify(ctx context.Context, in *idInput) (*actionOutput, error) {
	return shown(r.Actions.Verify(ctx, kit.Actor(ctx), in.ID))
}
