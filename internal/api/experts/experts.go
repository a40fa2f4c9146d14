// Package experts is the API's room for the outside experts: the contacts
// outside the staff whom internal notices addressed to them reach by
// e-mail and SMS.
package experts

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/expert"
)

// Room holds what the experts' operations need; every field is required.
type Room struct {
	Experts expert.Service
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"experts"}
	can := kit.Can(authz.ManageExperts)
	kit.Register(k, can, op{OperationID: "list-experts", Method: http.MethodGet, Path: "/experts", Tags: tags,
		Summary: "List the outside experts"}, r.list)
	kit.Register(k, can, op{OperationID: "create-expert", Method: http.MethodPost, Path: "/experts", Tags: tags,
		Summary: "Add an outside expert", DefaultStatus: http.StatusCreated}, r.create)
	kit.Register(k, can, op{OperationID: "get-expert", Method: http.MethodGet, Path: "/experts/{id}", Tags: tags,
		Summary: "Get an outside expert", Errors: []int{nf}}, r.get)
	kit.Register(k, can, op{OperationID: "update-expert", Method: http.MethodPatch, Path: "/experts/{id}", Tags: tags,
		Summary: "Change an outside expert", Errors: []int{nf, cf}}, r.update)
	kit.Register(k, can, op{OperationID: "delete-expert", Method: http.MethodDelete, Path: "/experts/{id}", Tags: tags,
		Summary: "Remove an outside expert", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, r.delete)
}

// Expert is an outside expert as the API shows it.
type Expert struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Organisation string    `json:"organisation"`
	Field        string    `json:"field" doc:"Field of expertise"`
	Email        string    `json:"email"`
	Phone        string    `json:"phone" doc:"E.164, e.g. +85291234567"`
	Languages    []string  `json:"languages" nullable:"false" doc:"The languages they read, preferred first: notices reach them in the first"`
	Active       bool      `json:"active" doc:"Only active experts are sent notices"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func toExpert(e expert.Expert) Expert {
	return Expert{ID: e.ID, Name: e.Name, Organisation: e.Organisation, Field: e.Field, Email: e.Email, Phone: e.Phone,
		Languages: kit.OrEmpty(e.Languages), Active: e.Active, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version}
}

type expertOutput struct {
	Body Expert
}

type idInput struct {
	ID int64 `path:"id"`
}

type listInput struct {
	kit.Page
}

func (r *Room) list(ctx context.Context, in *listInput) (*kit.ListOutput[Expert], error) {
	xs, total, err := r.Experts.List(ctx, in.Offset, in.Limit)
	if err != nil {
		return nil, err
	}
	return kit.NewList("/experts", nil, in.Page, xs, total, toExpert), nil
}

// newExpert is the body that adds an expert.
type newExpert struct {
	Name         string   `json:"name"`
	Organisation string   `json:"organisation,omitempty"`
	Field        string   `json:"field,omitempty" doc:"Field of expertise"`
	Email        string   `json:"email,omitempty" doc:"An e-mail address, a phone number or both"`
	Phone        string   `json:"phone,omitempty" doc:"E.164, e.g. +85291234567"`
	Languages    []string `json:"languages" doc:"zh-Hant, zh-Hans and/or en, preferred first"`
	Active       *bool    `json:"active,omitempty" doc:"Default true"`
}

type createInput struct {
	Body newExpert
}

type createOutput struct {
	Location string `header:"Location"`
	Body     Expert
}

func (r *Room) create(ctx context.Context, in *createInput) (*createOutput, error) {
	b := in.Body
	e, err := r.Experts.Create(ctx, kit.Actor(ctx), expert.Input{Name: b.Name, Organisation: b.Organisation, Field: b.Field,
		Email: b.Email, Phone: b.Phone, Languages: b.Languages, Active: kit.Pick(b.Active, true)})
	if err != nil {
		return nil, err
	}
	return &createOutput{Location: kit.Prefix + "/experts/" + strconv.FormatInt(e.ID, 10), Body: toExpert(e)}, nil
}

func (r *Room) get(ctx context.Context, in *idInput) (*expertOutput, error) {
	e, err := r.Experts.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &expertOutput{Body: toExpert(e)}, nil
}

// expertPatch changes the fields it names and leaves the others alone.
type expertPatch struct {
	Name         *string   `json:"name,omitempty"`
	Organisation *string   `json:"organisation,omitempty"`
	Field        *string   `json:"field,omitempty"`
	Email        *string   `json:"email,omitempty"`
	Phone        *string   `json:"phone,omitempty"`
	Languages    *[]string `json:"languages,omitempty"`
	Active       *bool     `json:"active,omitempty"`
	Version      int64     `json:"version" doc:"The version the change is based on"`
}

type updateInput struct {
	ID   int64 `path:"id"`
	Body expertPatch
}

func (r *Room) update(ctx context.Context, in *updateInput) (*expertOutput, error) {
	e, err := r.Experts.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	e, err = r.Experts.Update(ctx, kit.Actor(ctx), in.ID, expert.Input{Name: kit.Pick(b.Name, e.Name),
		Organisation: kit.Pick(b.Organisation, e.Organisation), Field: kit.Pick(b.Field, e.Field),
		Email: kit.Pick(b.Email, e.Email), Phone: kit.Pick(b.Phone, e.Phone), Languages: kit.Pick(b.Languages, e.Languages),
		Active: kit.Pick(b.Active, e.Active), Version: b.Version})
	if err != nil {
		return nil, err
	}
	return &expertOutput{Body: toExpert(e)}, nil
}

func (r *Room) delete(ctx context.Context, in *idInput) (*struct{}, error) {
	if err := r.Experts.Delete(ctx, kit.Actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
