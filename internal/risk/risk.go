// Package risk is the programme's risk register after ISO 31000: each risk
// with its cause and consequence, a likelihood and an impact on a 5-point
// scale placed on a 5×5 heat map, an owner and a recurring review, the
// mitigations that treat it, the full history of its ratings, and what it
// concerns (crisis types, plans, drills, crises). It is plain Go: the store
// keeps risks and the surfaces show them.
package risk

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Category is the kind of risk.
type Category string

// The categories a register sorts its risks by.
const (
	Communication  Category = "communication"  // release of information, rumours, the public's trust
	Operational    Category = "operational"    // carrying out plans and procedures
	Organisational Category = "organisational" // the team, coordination, training
	Safety         Category = "safety"         // harm to people during drills or the response
	Evaluation     Category = "evaluation"     // learning from what happened
	External       Category = "external"       // hazards and events outside the office
)

// Categories lists the categories in the order forms offer them.
var Categories = []Category{Communication, Operational, Organisational, Safety, Evaluation, External}

// Status is whether a risk is still watched.
type Status string

// A risk is open until the office closes it.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// The 5-point scale: 1 very low … 5 very high. A likelihood of 0 is unset:
// the plan rates impact only.
const (
	MinRating = 1
	MaxRating = 5
)

// DefaultReviewMonths is how often a risk is reviewed unless the office
// says otherwise.
const DefaultReviewMonths = 1

// LinkKinds are what a risk may concern.
var LinkKinds = []string{"crisis_type", "plan", "drill", "crisis"}

// Link ties a risk to a crisis type, a plan, a drill or a crisis.
type Link struct {
	Kind     string `json:"kind"`
	TargetID int64  `json:"target_id"`
}

// Risk is one entry of the register.
type Risk struct {
	ID int64
	// Key names a risk of the default register ("release", …); its texts
	// are then the catalogues' ("risk.default.KEY.*") until someone
	// writes their own.
	Key          string
	Description  string
	Category     Category
	Cause        string
	Consequence  string
	Likelihood   int // 0: unset
	Impact       int
	OwnerID      int64 // 0: nobody yet
	ReviewMonths int
	ReviewDue    time.Time
	ReviewedAt   time.Time
	Status       Status
	Links        []Link
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	RatedAt      time.Time
	Lock         int64
}

// Score is likelihood × impact, 0 while the likelihood is unset.
func (r Risk) Score() int { return Score(r.Likelihood, r.Impact) }

// Band is where the risk falls on the heat map.
func (r Risk) Band() Band { return BandOf(r.Likelihood, r.Impact) }

// Linked reports whether the risk concerns the target of that kind.
func (r Risk) Linked(kind string, id int64) bool {
	return slices.Contains(r.Links, Link{Kind: kind, TargetID: id})
}

// Crises returns the crises the risk is linked to.
func (r Risk) Crises() []int64 {
	var out []int64
	for _, l := range r.Links {
		if l.Kind == "crisis" {
			out = append(out, l.TargetID)
		}
	}
	return out
}

// Score is likelihood × impact, 0 while the likelihood is unset.
func Score(likelihood, impact int) int {
	if likelihood == 0 {
		return 0
	}
	return likelihood * impact
}

// Band is a colour of the heat map.
type Band string

// The bands of the 5×5 heat map, lowest first.
const (
	Low     Band = "low"     // green: 1–4
	Medium  Band = "medium"  // yellow: 5–9
	High    Band = "high"    // orange: 10–16
	Extreme Band = "extreme" // red: 20–25
)

// BandOf places a rating on the heat map. With the likelihood unset the
// impact alone decides, as the plan rates it: 5 extreme, 4 high, 3 medium,
// else low.
func BandOf(likelihood, impact int) Band {
	if likelihood == 0 {
		switch {
		case impact >= 5:
			return Extreme
		case impact == 4:
			return High
		case impact == 3:
			return Medium
		}
		return Low
	}
	switch s := likelihood * impact; {
	case s >= 20:
		return Extreme
	case s >= 10:
		return High
	case s >= 5:
		return Medium
	}
	return Low
}

// Rating is one entry of a risk's rating history.
type Rating struct {
	RiskID     int64
	Likelihood int
	Impact     int
	Note       string
	ActorID    int64
	Actor      string
	At         time.Time
}

// Weight orders two ratings: the score, or with the likelihood unset the
// impact on the same scale (as though likely).
func (g Rating) Weight() int {
	if g.Likelihood == 0 {
		return g.Impact * 3
	}
	return g.Likelihood * g.Impact
}

// Trend says where a risk is going.
type Trend string

// Trends, from the last two ratings.
const (
	TrendNew     Trend = "new"
	TrendRising  Trend = "rising"
	TrendFalling Trend = "falling"
	TrendSteady  Trend = "steady"
)

// TrendOf compares the last two ratings of a history in time order.
func TrendOf(history []Rating) Trend {
	if len(history) < 2 {
		return TrendNew
	}
	a, b := history[len(history)-2], history[len(history)-1]
	switch {
	case b.Weight() > a.Weight() || (b.Weight() == a.Weight() && b.Impact > a.Impact):
		return TrendRising
	case b.Weight() < a.Weight() || (b.Weight() == a.Weight() && b.Impact < a.Impact):
		return TrendFalling
	}
	return TrendSteady
}

// Input is what a person writes about a risk.
type Input struct {
	Description  string
	Category     Category
	Cause        string
	Consequence  string
	Likelihood   int
	Impact       int
	OwnerID      int64
	ReviewMonths int
	Links        []Link
}

// Normalize trims the texts and sets the default review period.
func (in *Input) Normalize() {
	in.Description = strings.TrimSpace(plaintext.Normalize(in.Description))
	in.Cause = strings.TrimSpace(plaintext.Normalize(in.Cause))
	in.Consequence = strings.TrimSpace(plaintext.Normalize(in.Consequence))
	if in.ReviewMonths == 0 {
		in.ReviewMonths = DefaultReviewMonths
	}
	var links []Link
	for _, l := range in.Links {
		if !slices.Contains(links, l) {
			links = append(links, l)
		}
	}
	in.Links = links
}

// CheckRating refuses a likelihood or an impact off the scale, naming the
// field. The likelihood may be 0 (unset).
func CheckRating(f *fault.Fields, likelihood, impact int) {
	if likelihood != 0 && (likelihood < MinRating || likelihood > MaxRating) {
		f.Add("likelihood", "rate the likelihood from 1 to 5, or leave it unset")
	}
	if impact < MinRating || impact > MaxRating {
		f.Add("impact", "rate the impact from 1 to 5")
	}
}

// Validate checks the input; keyed is true for a risk of the default
// register, whose description may stay the catalogue's.
func (in Input) Validate(keyed bool) error {
	var f fault.Fields
	if (in.Description == "" && !keyed) || utf8.RuneCountInString(in.Description) > 2000 {
		f.Add("description", "describe the risk in at most 2000 characters")
	}
	if !slices.Contains(Categories, in.Category) {
		f.Add("category", "choose a category")
	}
	if utf8.RuneCountInString(in.Cause) > 2000 {
		f.Add("cause", "say the cause in at most 2000 characters")
	}
	if utf8.RuneCountInString(in.Consequence) > 2000 {
		f.Add("consequence", "say the consequence in at most 2000 characters")
	}
	CheckRating(&f, in.Likelihood, in.Impact)
	if in.OwnerID < 0 {
		f.Add("owner_id", "choose the owner")
	}
	if in.ReviewMonths < 1 || in.ReviewMonths > 12 {
		f.Add("review_months", "review every 1 to 12 months")
	}
	for _, l := range in.Links {
		if !slices.Contains(LinkKinds, l.Kind) || l.TargetID <= 0 {
			f.Add("links", "link a crisis type, plan, drill or crisis")
			break
		}
	}
	plaintext.Check(&f, "description", in.Description)
	plaintext.Check(&f, "cause", in.Cause)
	plaintext.Check(&f, "consequence", in.Consequence)
	return f.Err()
}

// New makes a risk from in, raised by a at now; its first review is due
// a review period from now.
func New(a authz.Actor, now time.Time, in Input) (Risk, error) {
	if err := authz.Require(a, authz.EditRisks); err != nil {
		return Risk{}, err
	}
	in.Normalize()
	if err := in.Validate(false); err != nil {
		return Risk{}, err
	}
	r := Risk{Status: Open, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, RatedAt: now}
	r = apply(r, in)
	r.Likelihood, r.Impact = in.Likelihood, in.Impact
	r.ReviewDue = NextReview(now, r.ReviewMonths)
	return r, nil
}

// apply writes in's details (not the rating) on r.
func apply(r Risk, in Input) Risk {
	r.Description, r.Category, r.Cause, r.Consequence = in.Description, in.Category, in.Cause, in.Consequence
	r.OwnerID, r.ReviewMonths, r.Links = in.OwnerID, in.ReviewMonths, in.Links
	return r
}

// Edit changes r's details. A change of rating goes through Rate, so that
// it is in the history; in's rating must equal r's.
func Edit(r Risk, a authz.Actor, now time.Time, in Input) (Risk, error) {
	if err := authz.Require(a, authz.EditRisks); err != nil {
		return r, err
	}
	in.Normalize()
	in.Likelihood, in.Impact = r.Likelihood, r.Impact
	if err := in.Validate(r.Key != ""); err != nil {
		return r, err
	}
	months := r.ReviewMonths
	out := apply(r, in)
	if out.ReviewMonths != months {
		base := r.ReviewedAt
		if base.IsZero() {
			base = r.CreatedAt
		}
		out.ReviewDue = NextReview(base, out.ReviewMonths)
	}
	out.UpdatedAt = now
	return out, nil
}

// Rate gives r a new likelihood and impact; the rating joins its history.
func Rate(r Risk, a authz.Actor, now time.Time, likelihood, impact int, note string) (Risk, Rating, error) {
	if err := authz.Require(a, authz.RateRisks); err != nil {
		return r, Rating{}, err
	}
	var f fault.Fields
	CheckRating(&f, likelihood, impact)
	note = strings.TrimSpace(plaintext.Normalize(note))
	if utf8.RuneCountInString(note) > 2000 {
		f.Add("note", "say why in at most 2000 characters")
	}
	plaintext.Check(&f, "note", note)
	if err := f.Err(); err != nil {
		return r, Rating{}, err
	}
	if r.Status != Open {
		return r, Rating{}, fault.New(fault.Conflict, "risk %d is closed", r.ID)
	}
	r.Likelihood, r.Impact, r.RatedAt, r.UpdatedAt = likelihood, impact, now, now
	return r, Rating{RiskID: r.ID, Likelihood: likelihood, Impact: impact, Note: note, ActorID: a.UserID, Actor: a.Name, At: now}, nil
}

// Review records that r was reviewed at now; the next review falls a
// review period later.
func Review(r Risk, a authz.Actor, now time.Time) (Risk, error) {
	if err := authz.Require(a, authz.RateRisks); err != nil {
		return r, err
	}
	if r.Status != Open {
		return r, fault.New(fault.Conflict, "risk %d is closed", r.ID)
	}
	r.ReviewedAt, r.UpdatedAt = now, now
	r.ReviewDue = NextReview(now, r.ReviewMonths)
	return r, nil
}

// NextReview is a review period of months after t.
func NextReview(t time.Time, months int) time.Time {
	if months < 1 {
		months = DefaultReviewMonths
	}
	return t.AddDate(0, months, 0)
}

// Default is a risk of the plan's default register: its key (texts in the
// catalogues as "risk.default.KEY.description", ".cause", ".consequence"
// and ".mitigation"), its category and the plan's impact rating.
type Default struct {
	Key      string
	Category Category
	Impact   int
}

// Defaults are the five risks the plan lists, with its impact ratings:
// a slow or unclear release leading to public panic is high (4); the
// others are medium (3). The plan rates no likelihood.
var Defaults = []Default{
	{Key: "release", Category: Communication, Impact: 4},
	{Key: "execution", Category: Operational, Impact: 3},
	{Key: "coordination", Category: Organisational, Impact: 3},
	{Key: "drill_accident", Category: Safety, Impact: 3},
	{Key: "evaluation", Category: Evaluation, Impact: 3},
}

// DefaultMitigationMonths is when the default register's mitigations
// fall due, from the day the register is made.
const DefaultMitigationMonths = 3

// Ref is how people name a risk: "R-007".
func Ref(id int64) string { return fmt.Sprintf("R-%03d", id) }
