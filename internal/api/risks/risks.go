package risks

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/risk"
)

// RiskLink is what a risk concerns.
type RiskLink struct {
	Kind     string `json:"kind" enum:"crisis_type,plan,drill,crisis"`
	TargetID int64  `json:"target_id"`
}

// RiskInput is what a person writes about a risk.
type RiskInput struct {
	Description  string     `json:"description"`
	Category     string     `json:"category" enum:"communication,operational,organisational,safety,evaluation,external"`
	Cause        string     `json:"cause,omitempty"`
	Consequence  string     `json:"consequence,omitempty"`
	Likelihood   int        `json:"likelihood,omitempty" doc:"1 (very low) to 5 (very high); 0 or absent: not rated"`
	Impact       int        `json:"impact" doc:"1 (very low) to 5 (very high)"`
	OwnerID      int64      `json:"owner_id,omitempty"`
	ReviewMonths int        `json:"review_months,omitempty" doc:"Reviews recur every so many months; default 1"`
	Links        []RiskLink `json:"links,omitempty"`
}

func (in RiskInput) domain() risk.Input {
	out := risk.Input{Description: in.Description, Category: risk.Category(in.Category), Cause: in.Cause, Consequence: in.Consequence,
		Likelihood: in.Likelihood, Impact: in.Impact, OwnerID: in.OwnerID, ReviewMonths: in.ReviewMonths}
	for _, l := range in.Links {
		out.Links = append(out.Links, risk.Link{Kind: l.Kind, TargetID: l.TargetID})
	}
	return out
}

// Risk is a risk of the register.
type Risk struct {
	ID  int64  `json:"id"`
	Ref string `json:"ref" doc:"R-001"`
	Key string `json:"key,omitempty" doc:"A risk of the default register; its texts are then in the catalogues until written"`
	RiskInput
	Score      int        `json:"score" doc:"likelihood × impact; 0 while the likelihood is not rated"`
	Band       string     `json:"band" enum:"low,medium,high,extreme"`
	Status     string     `json:"status" enum:"open,closed"`
	ReviewDue  time.Time  `json:"review_due"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	RatedAt    time.Time  `json:"rated_at"`
	Lock       int64      `json:"lock"`
}

func toRisk(k risk.Risk) Risk {
	out := Risk{ID: k.ID, Ref: risk.Ref(k.ID), Key: k.Key, RiskInput: RiskInput{Description: k.Description, Category: string(k.Category),
		Cause: k.Cause, Consequence: k.Consequence, Likelihood: k.Likelihood, Impact: k.Impact, OwnerID: k.OwnerID,
		ReviewMonths: k.ReviewMonths}, Score: k.Score(), Band: string(k.Band()), Status: string(k.Status), ReviewDue: k.ReviewDue,
		ReviewedAt: kit.TimePtr(k.ReviewedAt), RatedAt: k.RatedAt, Lock: k.Lock}
	for _, l := range k.Links {
		out.Links = append(out.Links, RiskLink{Kind: l.Kind, TargetID: l.TargetID})
	}
	return out
}

type riskOutput struct {
	Body Risk
}

func shown(k risk.Risk, err error) (*riskOutput, error) {
	if err != nil {
		return nil, err
	}
	return &riskOutput{Body: toRisk(k)}, nil
}

type riskIDInput struct {
	ID int64 `path:"id"`
}

type listRisksInput struct {
	kit.Page
	Status   string `query:"status" enum:"open,closed,"`
	Category string `query:"category"`
}

func (r *Room) listRisks(ctx context.Context, in *listRisksInput) (*kit.ListOutput[Risk], error) {
	list, total, err := r.Risks.List(ctx, risk.Filter{Status: risk.Status(in.Status), Category: risk.Category(in.Category),
		Offset: in.Offset, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	return kit.NewList("/risks", map[string][]string{"status": {in.Status}, "category": {in.Category}}, in.Page, list, total, toRisk), nil
}

type createRiskInput struct {
	Body RiskInput
}

type createRiskOutput struct {
	Location string `header:"Location"`
	Body     Risk
}

func (r *Room) createRisk(ctx context.Context, in *createRiskInput) (*createRiskOutput, error) {
	k, err := r.Risks.Create(ctx, kit.Actor(ctx), in.Body.domain())
	if err != nil {
		return nil, err
	}
	return &createRiskOutput{Location: kit.Prefix + "/risks/" + strconv.FormatInt(k.ID, 10), Body: toRisk(k)}, nil
}

func (r *Room) getRisk(ctx context.Context, in *riskIDInput) (*riskOutput, error) {
	return shown(r.Risks.Get(ctx, in.ID))
}

type saveRiskInput struct {
	ID   int64 `path:"id"`
	Body struct {
		RiskInput
		Lock int64 `json:"lock" doc:"The lock the change is based on; a stale one is a conflict"`
	}
}

func (r *Room) saveRisk(ctx context.Context, in *saveRiskInput) (*riskOutput, error) {
	return shown(r.Risks.Save(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, in.Body.RiskInput.domain()))
}

type rateInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Likelihood int    `json:"likelihood,omitempty" doc:"1–5; 0 or absent: not rated"`
		Impact     int    `json:"impact" doc:"1–5"`
		Note       string `json:"note,omitempty" doc:"Why"`
	}
}

func (r *Room) rateRisk(ctx context.Context, in *rateInput) (*riskOutput, error) {
	return shown(r.Risks.Rate(ctx, kit.Actor(ctx), in.ID, in.Body.Likelihood, in.Body.Impact, in.Body.Note))
}

func (r *Room) reviewRisk(ctx context.Context, in *riskIDInput) (*riskOutput, error) {
	return shown(r.Risks.Review(ctx, kit.Actor(ctx), in.ID))
}

type linkInput struct {
	ID   int64 `path:"id"`
	Body RiskLink
}

func (r *Room) linkRisk(ctx context.Context, in *linkInput) (*riskOutput, error) {
	return shown(r.Risks.Link(ctx, kit.Actor(ctx), in.ID, risk.Link{Kind: in.Body.Kind, TargetID: in.Body.TargetID}))
}

// RiskRating is one rating of the history.
type RiskRating struct {
	Likelihood int       `json:"likelihood"`
	Impact     int       `json:"impact"`
	Score      int       `json:"score"`
	Band       string    `json:"band" enum:"low,medium,high,extreme"`
	Note       string    `json:"note,omitempty"`
	ActorID    int64     `json:"actor_id,omitempty"`
	Actor      string    `json:"actor"`
	At         time.Time `json:"at"`
}

type ratingsOutput struct {
	Body struct {
		Trend string       `json:"trend" enum:"new,rising,falling,steady"`
		Items []RiskRating `json:"items" nullable:"false"`
	}
}

func (r *Room) listRatings(ctx context.Context, in *riskIDInput) (*ratingsOutput, error) {
	if _, err := r.Risks.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	list, err := r.Risks.Ratings(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &ratingsOutput{}
	out.Body.Trend = string(risk.TrendOf(list))
	out.Body.Items = append([]RiskRating{}, kit.Convert(list, func(g risk.Rating) RiskRating {
		return RiskRating{Likelihood: g.Likelihood, Impact: g.Impact, Score: risk.Score(g.Likelihood, g.Impact),
			Band: string(risk.BandOf(g.Likelihood, g.Impact)), Note: g.Note, ActorID: g.ActorID, Actor: g.Actor, At: g.At}
	})...)
	return out, nil
}
