package plans

import (
	"context"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/catalog"
)

// category is a catalog.Category with its values in the OpenAPI document.
type category string

// Schema lists the categories.
func (category) Schema(huma.Registry) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: "The group of sudden events the type belongs to"}
	for _, c := range catalog.Categories {
		s.Enum = append(s.Enum, string(c))
	}
	return s
}

// Text is a string in each UI language; at least one is needed.
type Text struct {
	ZhHant string `json:"zh-Hant" required:"false"`
	ZhHans string `json:"zh-Hans" required:"false"`
	En     string `json:"en" required:"false"`
}

func toText(t catalog.Text) Text           { return Text(t) }
func (t Text) domain() catalog.Text        { return catalog.Text(t) }
func toTexts(ts []catalog.Text) []Text     { return kit.Convert(ts, toText) }
func domainTexts(ts []Text) []catalog.Text { return kit.Convert(ts, Text.domain) }

// CrisisType is an entry of the crisis type catalogue.
type CrisisType struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code" doc:"Stable key, e.g. typhoon"`
	Category   category  `json:"category"`
	Name       Text      `json:"name"`
	Indicators []Text    `json:"indicators" nullable:"false" doc:"Warning indicators (預警信號)"`
	Notify     []string  `json:"notify" nullable:"false" doc:"Who must be told: department codes or roles"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func toCrisisType(t catalog.Type) CrisisType {
	return CrisisType{ID: t.ID, Code: t.Code, Category: category(t.Category), Name: toText(t.Name),
		Indicators: toTexts(t.Indicators), Notify: kit.OrEmpty(t.Notify),
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Version: t.Version}
}

type crisisTypeOutput struct {
	Body CrisisType
}

type crisisTypeIDInput struct {
	ID int64 `path:"id"`
}

// The catalogue is short (tens of types): the service returns it whole and
// the API pages it.
type listCrisisTypesInput struct {
	kit.Page
}

func (r *Room) listCrisisTypes(ctx context.Context, in *listCrisisTypesInput) (*kit.ListOutput[CrisisType], error) {
	types, err := r.Plans.Types(ctx)
	if err != nil {
		return nil, err
	}
	return kit.NewList("/crisis-types", nil, in.Page, kit.Window(types, in.Page), len(types), toCrisisType), nil
}

// newCrisisType is the body that adds a type to the catalogue.
type newCrisisType struct {
	Code       string   `json:"code" doc:"1–63 characters without spaces, e.g. landslide"`
	Category   category `json:"category"`
	Name       Text     `json:"name"`
	Indicators []Text   `json:"indicators,omitempty"`
	Notify     []string `json:"notify,omitempty"`
}

type createCrisisTypeInput struct {
	Body newCrisisType
}

type createCrisisTypeOutput struct {
	Location string `header:"Location"`
	Body     CrisisType
}

func (r *Room) createCrisisType(ctx context.Context, in *createCrisisTypeInput) (*createCrisisTypeOutput, error) {
	b := in.Body
	t, err := r.Plans.CreateType(ctx, kit.Actor(ctx), catalog.Type{Code: b.Code, Category: catalog.Category(b.Category),
		Name: b.Name.domain(), Indicators: domainTexts(b.Indicators), Notify: b.Notify})
	if err != nil {
		return nil, err
	}
	return &createCrisisTypeOutput{
		Location: kit.Prefix + "/crisis-types/" + strconv.FormatInt(t.ID, 10),
		Body:     toCrisisType(t),
	}, nil
}

func (r *Room) getCrisisType(ctx context.Context, in *crisisTypeIDInput) (*crisisTypeOutput, error) {
	t, err := r.Plans.Type(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &crisisTypeOutput{Body: toCrisisType(t)}, nil
}

// crisisTypePatch changes the fields it names and leaves the others alone.
type crisisTypePatch struct {
	Code       *string   `json:"code,omitempty"`
	Category   *category `json:"category,omitempty"`
	Name       *Text     `json:"name,omitempty" doc:"Replaces all three languages"`
	Indicators *[]Text   `json:"indicators,omitempty" doc:"Replaces the list"`
	Notify     *[]string `json:"notify,omitempty" doc:"Replaces the list"`
	Version    int64     `json:"version" doc:"The version the change is based on"`
}

type updateCrisisTypeInput struct {
	ID   int64 `path:"id"`
	Body crisisTypePatch
}

func (r *Room) updateCrisisType(ctx context.Context, in *updateCrisisTypeInput) (*crisisTypeOutput, error) {
	t, err := r.Plans.Type(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	b := in.Body
	t.Code = kit.Pick(b.Code, t.Code)
	t.Category = catalog.Category(kit.Pick(b.Category, category(t.Category)))
	t.Name = kit.Pick(b.Name, toText(t.Name)).domain()
	if b.Indicators != nil {
		t.Indicators = domainTexts(*b.Indicators)
	}
	t.Notify = kit.Pick(b.Notify, t.Notify)
	t.Version = b.Version
	if t, err = r.Plans.UpdateType(ctx, kit.Actor(ctx), t); err != nil {
		return nil, err
	}
	return &crisisTypeOutput{Body: toCrisisType(t)}, nil
}
