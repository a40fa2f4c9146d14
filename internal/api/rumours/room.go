// Package rumours is the API's room for the rumour register: rumours with
// their sightings and verdict, and the answer that starts a clarification
// notice through the normal approval path.
package rumours

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/rumour"
)

// Room holds what the rumour operations need; every field is required.
type Room struct {
	Rumours rumour.Service
	Catalog *i18n.Catalog // the clarification's words in every language
}

// Register declares the room's operations on k.
func (r *Room) Register(k *kit.Kit) {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	tags := []string{"rumours"}
	kit.Register(k, kit.Can(authz.ViewRumours), op{OperationID: "list-rumours", Method: get, Path: "/rumours", Tags: tags,
		Summary: "List rumours, latest first seen first"}, r.list)
	kit.Register(k, kit.Can(authz.EditRumour), op{OperationID: "create-rumour", Method: post, Path: "/rumours", Tags: tags,
		Summary: "Record a rumour", DefaultStatus: http.StatusCreated}, r.create)
	kit.Register(k, kit.Can(authz.ViewRumours), op{OperationID: "get-rumour", Method: get, Path: "/rumours/{id}", Tags: tags,
		Summary: "Get a rumour with its sightings", Errors: []int{nf}}, r.get)
	kit.Register(k, kit.Can(authz.EditRumour), op{OperationID: "save-rumour", Method: put, Path: "/rumours/{id}", Tags: tags,
		Summary: "Change a rumour: its claim, facts, verdict, spread, owner", Errors: []int{nf, cf}}, r.save)
	kit.Register(k, kit.Can(authz.EditRumour), op{OperationID: "add-rumour-sighting", Method: post, Path: "/rumours/{id}/sightings",
		Tags: tags, Summary: "Record where and when the rumour was seen (screenshots are uploaded on the desk)",
		DefaultStatus: http.StatusCreated, Errors: []int{nf}}, r.addSighting)
	kit.Register(k, kit.Can(authz.EditRumour), op{OperationID: "answer-rumour", Method: post, Path: "/rumours/{id}/answer", Tags: tags,
		Summary: "Start the clarification: a draft public notice prefilled with the claim, the verdict and the facts; publishing it clarifies the rumour",
		Errors:  []int{nf, cf}}, r.answer)
}

type verdict string

// Schema lists the verdicts.
func (verdict) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("What the office found the claim to be", rumour.Verdicts...)
}

type spread string

// Schema lists the estimates.
func (spread) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("How far the rumour has spread, as the office estimates", rumour.Spreads...)
}

// RumourInput is what a person writes about a rumour.
type RumourInput struct {
	CrisisID  int64     `json:"crisis_id,omitempty"`
	Claim     string    `json:"claim" maxLength:"1000"`
	Facts     string    `json:"facts,omitempty" maxLength:"5000"`
	Verdict   verdict   `json:"verdict,omitempty"`
	Spread    spread    `json:"spread,omitempty"`
	OwnerID   int64     `json:"owner_id,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
}

func (in RumourInput) domain() rumour.Input {
	return rumour.Input{CrisisID: in.CrisisID, Claim: in.Claim, Facts: in.Facts, Verdict: rumour.Verdict(in.Verdict),
		Spread: rumour.Spread(in.Spread), OwnerID: in.OwnerID, FirstSeen: in.FirstSeen}
}

// RumourSighting is where and when the rumour was seen.
type RumourSighting struct {
	ID        int64     `json:"id" readOnly:"true"`
	SeenAt    time.Time `json:"seen_at"`
	Place     string    `json:"place,omitempty" maxLength:"1000"`
	URL       string    `json:"url,omitempty" maxLength:"2000"`
	Note      string    `json:"note,omitempty" maxLength:"1000"`
	ImageName string    `json:"image_name,omitempty" readOnly:"true"`
}

// Rumour is a rumour as the API shows it.
type Rumour struct {
	RumourInput
	ID               int64            `json:"id"`
	NoticeID         int64            `json:"notice_id,omitempty" doc:"The clarification notice, once answered"`
	ClarifiedAt      *time.Time       `json:"clarified_at,omitempty" doc:"When the clarification was published"`
	SecondsToClarify int64            `json:"seconds_to_clarify,omitempty" doc:"From first seen to clarified"`
	Lock             int64            `json:"lock"`
	Sightings        []RumourSighting `json:"sightings,omitempty"`
}

func toRumour(x rumour.Rumour) Rumour {
	out := Rumour{RumourInput: RumourInput{CrisisID: x.CrisisID, Claim: x.Claim, Facts: x.Facts, Verdict: verdict(x.Verdict),
		Spread: spread(x.Spread), OwnerID: x.OwnerID, FirstSeen: x.FirstSeen}, ID: x.ID, NoticeID: x.NoticeID, Lock: x.Lock,
		SecondsToClarify: int64(x.TimeToClarify() / time.Second)}
	if x.Clarified() {
		t := x.ClarifiedAt
		out.ClarifiedAt = &t
	}
	for _, s := range x.Sightings {
		out.Sightings = append(out.Sightings, RumourSighting{ID: s.ID, SeenAt: s.SeenAt, Place: s.Place, URL: s.URL, Note: s.Note,
			ImageName: s.ImageName})
	}
	return out
}

type rumourOutput struct{ Body Rumour }

type idInput struct {
	ID int64 `path:"id"`
}

type listInput struct {
	kit.Page
	CrisisID int64   `query:"crisis_id"`
	Verdict  verdict `query:"verdict"`
	Open     bool    `query:"open" doc:"Only those not yet clarified"`
}

func (r *Room) list(ctx context.Context, in *listInput) (*kit.ListOutput[Rumour], error) {
	list, total, err := r.Rumours.List(ctx, rumour.Filter{CrisisID: in.CrisisID, Verdict: rumour.Verdict(in.Verdict), Open: in.Open,
		Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	filters := map[string][]string{"verdict": {string(in.Verdict)}}
	if in.CrisisID != 0 {
		filters["crisis_id"] = []string{strconv.FormatInt(in.CrisisID, 10)}
	}
	if in.Open {
		filters["open"] = []string{"true"}
	}
	return kit.NewList("/rumours", filters, in.Page, list, total, toRumour), nil
}

type createInput struct{ Body RumourInput }

type createOutput struct {
	Location string `header:"Location"`
	Body     Rumour
}

func (r *Room) create(ctx context.Context, in *createInput) (*createOutput, error) {
	x, err := r.Rumours.Create(ctx, kit.Actor(ctx), in.Body.domain())
	if err != nil {
		return nil, err
	}
	return &createOutput{Location: kit.Prefix + "/rumours/" + strconv.FormatInt(x.ID, 10), Body: toRumour(x)}, nil
}

func (r *Room) get(ctx context.Context, in *idInput) (*rumourOutput, error) {
	x, err := r.Rumours.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &rumourOutput{Body: toRumour(x)}, nil
}

// RumourSave is a change with the lock it is based on.
type RumourSave struct {
	RumourInput
	Lock int64 `json:"lock" doc:"The lock of the rumour the change is based on"`
}

type saveInput struct {
	ID   int64 `path:"id"`
	Body RumourSave
}

func (r *Room) save(ctx context.Context, in *saveInput) (*rumourOutput, error) {
	if _, err := r.Rumours.Save(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, in.Body.domain()); err != nil {
		return nil, err
	}
	return r.get(ctx, &idInput{ID: in.ID})
}

type sightingInput struct {
	ID   int64 `path:"id"`
	Body RumourSighting
}

type sightingOutput struct{ Body RumourSighting }

func (r *Room) addSighting(ctx context.Context, in *sightingInput) (*sightingOutput, error) {
	b := in.Body
	s, err := r.Rumours.AddSighting(ctx, kit.Actor(ctx), in.ID, rumour.Sighting{SeenAt: b.SeenAt, Place: b.Place, URL: b.URL, Note: b.Note}, nil)
	if err != nil {
		return nil, err
	}
	return &sightingOutput{Body: RumourSighting{ID: s.ID, SeenAt: s.SeenAt, Place: s.Place, URL: s.URL, Note: s.Note}}, nil
}

func (r *Room) answer(ctx context.Context, in *idInput) (*rumourOutput, error) {
	x, err := r.Rumours.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	t := func(lang, key string, args ...any) string { return r.Catalog.For(lang).T(key, args...) }
	if _, _, err := r.Rumours.Answer(ctx, kit.Actor(ctx), in.ID, rumour.Prefill(x, i18n.Languages, t)); err != nil {
		return nil, err
	}
	return r.get(ctx, in)
}
