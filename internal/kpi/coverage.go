package kpi

import (
	"context"
	"time"
)

// Risk is a risk of the register as the coverage loop reads it; the
// risks area plugs a RiskSource in (none yet: the loop starts at the
// crisis types).
type Risk struct {
	ID      int64
	Title   string
	High    bool
	TypeIDs []int64 // the crisis types it can become
}

// RiskSource lists the risk register.
type RiskSource interface {
	Risks(ctx context.Context) ([]Risk, error)
}

// Gap is something the coverage loop flags.
type Gap string

// The gaps.
const (
	GapNoPlan         Gap = "no_plan"           // no approved plan in force
	GapHighRiskNoPlan Gap = "high_risk_no_plan" // a high risk whose type has no approved plan
	GapPlanReviewDue  Gap = "plan_review_due"   // the plan is due for review within 30 days, or lapsed
	GapNotDrilled     Gap = "not_drilled"       // no drill of the type ended in the last 12 months
	GapActionsOverdue Gap = "actions_overdue"   // drill or review actions past their due date
)

// Coverage is one crisis type's place in the plan's cycle: risks →
// plans → drills → crises → reviews → risks.
type Coverage struct {
	TypeID         int64
	Risks          []Risk
	PlanApproved   bool
	PlanReviewDue  time.Time
	LastDrill      time.Time
	OpenActions    int
	OverdueActions int
	Crises         int // real crises in the last 12 months
	Exercises      int
	FirstNotice    Figure // median minutes to first notice, last 12 months, real
	Response       Figure
	Gaps           []Gap
}

// Judge flags c's gaps at now.
func (c Coverage) Judge(now time.Time) Coverage {
	c.Gaps = nil
	high := false
	for _, r := range c.Risks {
		high = high || r.High
	}
	switch {
	case !c.PlanApproved && high:
		c.Gaps = append(c.Gaps, GapHighRiskNoPlan)
	case !c.PlanApproved:
		c.Gaps = append(c.Gaps, GapNoPlan)
	case !c.PlanReviewDue.IsZero() && c.PlanReviewDue.Before(now.AddDate(0, 0, 30)):
		c.Gaps = append(c.Gaps, GapPlanReviewDue)
	}
	if c.LastDrill.IsZero() || c.LastDrill.Before(now.AddDate(-1, 0, 0)) {
		c.Gaps = append(c.Gaps, GapNotDrilled)
	}
	if c.OverdueActions > 0 {
		c.Gaps = append(c.Gaps, GapActionsOverdue)
	}
	return c
}

// DrilledWithinYear reports whether the type was drilled in the 12 months before now.
func (c Coverage) DrilledWithinYear(now time.Time) bool {
	return !c.LastDrill.IsZero() && !c.LastDrill.Before(now.AddDate(-1, 0, 0))
}
