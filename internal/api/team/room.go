// Package team is the API's room for the crisis communication team: the
// members, their roles and deputies, the duty rota with swaps, who is on
// duty, and training courses and certificates.
package team

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/team"
	webkit "crisisdesk/internal/web/kit"
)

// Room holds what the team's operations need; every field is required.
type Room struct {
	Team team.Service
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"team"}
	view := kit.Can(authz.ViewTeam)
	kit.Register(k, view, op{OperationID: "list-team", Method: get, Path: "/team", Tags: tags,
		Summary: "The team's members: outside people's contact details masked unless the caller may see them"}, r.list)
	kit.Register(k, kit.Can(authz.ManageTeam), op{OperationID: "add-team-member", Method: post, Path: "/team", Tags: tags,
		Summary: "Add a member: staff with an account, or an outside member (who may be an outside expert)", DefaultStatus: http.StatusCreated}, r.create)
	kit.Register(k, view, op{OperationID: "get-team-member", Method: get, Path: "/team/{id}", Tags: tags,
		Summary: "Get a member", Errors: []int{nf}}, r.get)
	kit.Register(k, kit.Can(authz.ManageTeam), op{OperationID: "save-team-member", Method: put, Path: "/team/{id}", Tags: tags,
		Summary: "Change a member", Errors: []int{nf, cf}}, r.save)
	kit.Register(k, kit.Can(authz.ManageTeam), op{OperationID: "delete-team-member", Method: del, Path: "/team/{id}", Tags: tags,
		Summary: "Delete a member: their history stays, anonymised", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, r.delete)
	kit.Register(k, view, op{OperationID: "list-team-roles", Method: get, Path: "/team/roles", Tags: tags,
		Summary: "The team roles: the built-in ones, then the office's, with deputies and required courses"}, r.roles)
	kit.Register(k, kit.Can(authz.ManageTeam), op{OperationID: "add-team-role", Method: post, Path: "/team/roles", Tags: tags,
		Summary: "Add a team role of the office's own", DefaultStatus: http.StatusCreated}, r.addRole)
	kit.Register(k, view, op{OperationID: "list-team-rota", Method: get, Path: "/team/rota", Tags: tags,
		Summary: "Shifts overlapping [from, to), of a role and/or a member"}, r.rota)
	kit.Register(k, kit.Can(authz.ManageRota), op{OperationID: "add-team-shift", Method: post, Path: "/team/rota", Tags: tags,
		Summary: "Put a member on duty; a shift overlapping another of the same person is refused", DefaultStatus: http.StatusCreated}, r.addShift)
	kit.Register(k, kit.Can(authz.ManageRota), op{OperationID: "swap-team-shift", Method: post, Path: "/team/rota/{id}/swap", Tags: tags,
		Summary: "Hand a shift to another member; the swap is recorded", Errors: []int{nf}}, r.swap)
	kit.Register(k, kit.Can(authz.ManageRota), op{OperationID: "delete-team-shift", Method: del, Path: "/team/rota/{id}", Tags: tags,
		Summary: "Remove a shift", DefaultStatus: http.StatusNoContent, Errors: []int{nf}}, r.deleteShift)
	kit.Register(k, view, op{OperationID: "team-on-duty", Method: get, Path: "/team/on-duty", Tags: tags,
		Summary: "Every role's duty at a moment: who is on duty (or the deputy standing in), the next shift, and required certificates they lack"}, r.board)
	kit.Register(k, view, op{OperationID: "list-team-courses", Method: get, Path: "/team/courses", Tags: tags,
		Summary: "Training courses"}, r.courses)
	kit.Register(k, kit.Can(authz.ManageTraining), op{OperationID: "add-team-course", Method: post, Path: "/team/courses", Tags: tags,
		Summary: "Add a training course", DefaultStatus: http.StatusCreated}, r.addCourse)
	kit.Register(k, view, op{OperationID: "list-team-certificates", Method: get, Path: "/team/certificates", Tags: tags,
		Summary: "Certificates, of one member or everyone; lapsing_days lists only those lapsing within that many days"}, r.certificates)
	kit.Register(k, kit.Can(authz.ManageTraining), op{OperationID: "add-team-certificate", Method: post, Path: "/team/certificates", Tags: tags,
		Summary: "Record a certificate; one expiring before it was issued is refused", DefaultStatus: http.StatusCreated}, r.addCertificate)
}

// Member is a team member as the API shows them.
type Member struct {
	ID           int64     `json:"id"`
	Kind         string    `json:"kind" enum:"staff,outside"`
	UserID       int64     `json:"user_id,omitempty"`
	ExpertID     int64     `json:"expert_id,omitempty"`
	Name         string    `json:"name"`
	Organisation string    `json:"organisation"`
	Email        string    `json:"email" doc:"Masked for outside members unless the caller may see personal data"`
	Phone        string    `json:"phone" doc:"E.164; masked like email"`
	Languages    []string  `json:"languages" nullable:"false"`
	Skills       []string  `json:"skills" nullable:"false"`
	Roles        []string  `json:"roles" nullable:"false" doc:"Team role keys"`
	Active       bool      `json:"active"`
	Anonymised   bool      `json:"anonymised"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

func toMember(ctx context.Context) func(team.Member) Member {
	personal := authz.Can(kit.Actor(ctx).Role, authz.ViewTeamPersonal)
	return func(m team.Member) Member {
		if m.Kind == team.Outside && !personal {
			m.Email, m.Phone = webkit.MaskAddress(channel.Email, m.Email), webkit.MaskAddress(channel.SMS, m.Phone)
		}
		return Member{ID: m.ID, Kind: string(m.Kind), UserID: m.UserID, ExpertID: m.ExpertID, Name: m.Name, Organisation: m.Organisation,
			Email: m.Email, Phone: m.Phone, Languages: kit.OrEmpty(m.Languages), Skills: kit.OrEmpty(m.Skills), Roles: kit.OrEmpty(m.Roles),
			Active: m.Active, Anonymised: m.Anonymised, UpdatedAt: m.UpdatedAt, Version: m.Version}
	}
}

// Items is a whole list.
type Items[T any] struct {
	Body struct {
		Items []T `json:"items" nullable:"false"`
	}
}

func items[D, T any](in []D, conv func(D) T) *Items[T] {
	out := &Items[T]{}
	out.Body.Items = make([]T, 0, len(in))
	for _, x := range in {
		out.Body.Items = append(out.Body.Items, conv(x))
	}
	return out
}

type listInput struct {
	All bool `query:"all" doc:"Include deleted (anonymised) members"`
}

func (r *Room) list(ctx context.Context, in *listInput) (*Items[Member], error) {
	ms, err := r.Team.Members(ctx, in.All)
	if err != nil {
		return nil, err
	}
	return items(ms, toMember(ctx)), nil
}

// MemberInput is a member as the caller writes them.
type MemberInput struct {
	Kind         string   `json:"kind,omitempty" enum:"staff,outside" doc:"Default: staff when user_id is given, else outside"`
	UserID       int64    `json:"user_id,omitempty"`
	ExpertID     int64    `json:"expert_id,omitempty" doc:"An outside expert this member is; blank fields are taken from them"`
	Name         string   `json:"name,omitempty"`
	Organisation string   `json:"organisation,omitempty"`
	Email        string   `json:"email,omitempty"`
	Phone        string   `json:"phone,omitempty" doc:"E.164, e.g. +85291234567"`
	Languages    []string `json:"languages,omitempty"`
	Skills       []string `json:"skills,omitempty"`
	Roles        []string `json:"roles,omitempty" doc:"Team role keys"`
	Active       *bool    `json:"active,omitempty" doc:"Default true"`
	Version      int64    `json:"version,omitempty" doc:"For a change: the version it is based on"`
}

func (b MemberInput) domain() team.Input {
	return team.Input{Kind: team.Kind(b.Kind), UserID: b.UserID, ExpertID: b.ExpertID, Name: b.Name, Organisation: b.Organisation,
		Email: b.Email, Phone: b.Phone, Languages: b.Languages, Skills: b.Skills, Roles: b.Roles, Active: kit.Pick(b.Active, true), Version: b.Version}
}

type memberOutput struct {
	Body Member
}

type createInput struct {
	Body MemberInput
}

type createOutput struct {
	Location string `header:"Location"`
	Body     Member
}

func (r *Room) create(ctx context.Context, in *createInput) (*createOutput, error) {
	m, err := r.Team.AddMember(ctx, kit.Actor(ctx), in.Body.domain())
	if err != nil {
		return nil, err
	}
	return &createOutput{Location: kit.Prefix + "/team/" + strconv.FormatInt(m.ID, 10), Body: toMember(ctx)(m)}, nil
}

type idInput struct {
	ID int64 `path:"id"`
}

func (r *Room) get(ctx context.Context, in *idInput) (*memberOutput, error) {
	m, err := r.Team.Member(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &memberOutput{Body: toMember(ctx)(m)}, nil
}

type saveInput struct {
	ID   int64 `path:"id"`
	Body MemberInput
}

func (r *Room) save(ctx context.Context, in *saveInput) (*memberOutput, error) {
	m, err := r.Team.SaveMember(ctx, kit.Actor(ctx), in.ID, in.Body.domain())
	if err != nil {
		return nil, err
	}
	return &memberOutput{Body: toMember(ctx)(m)}, nil
}

func (r *Room) delete(ctx context.Context, in *idInput) (*struct{}, error) {
	return &struct{}{}, r.Team.DeleteMember(ctx, kit.Actor(ctx), in.ID)
}
