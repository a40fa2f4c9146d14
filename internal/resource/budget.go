package resource

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Where a budget line's money comes from.
const (
	Allocation   = "allocation"    // the yearly budget allocation
	SpecialFunds = "special_funds" // funds granted for the purpose
)

// Sources lists the sources of money.
var Sources = []string{Allocation, SpecialFunds}

// CostItems are the costs the plan names.
var CostItems = []string{"training", "drills", "emergency_supplies"}

// WarnShare is the share of a budget line spent past which the review
// lists it as a shortfall.
const WarnShare = 0.8

// Line is one budget line: an amount from a source for a cost item.
// Amounts are in cents of the office's currency.
type Line struct {
	ID       int64
	Name     string
	Source   string
	CostItem string
	Year     int
	Amount   int64
	Spent    int64 // the sum of its spending
	Version  int64
}

// Left is what remains to be spent.
func (l Line) Left() int64 { return l.Amount - l.Spent }

// Share is the share spent, 0 for a line of no amount.
func (l Line) Share() float64 {
	if l.Amount <= 0 {
		return 0
	}
	return float64(l.Spent) / float64(l.Amount)
}

// Validate checks a line, naming the field of each problem.
func (l Line) Validate() error {
	var f fault.Fields
	if l.Name = strings.TrimSpace(l.Name); l.Name == "" || utf8.RuneCountInString(l.Name) > 200 {
		f.Add("name", "must be 1–200 characters")
	}
	plaintext.CheckLine(&f, "name", l.Name)
	if !slices.Contains(Sources, l.Source) {
		f.Add("source", "must be allocation or special_funds")
	}
	if !slices.Contains(CostItems, l.CostItem) {
		f.Add("cost_item", "must be one of %s", strings.Join(CostItems, ", "))
	}
	if l.Year < 2000 || l.Year > 2100 {
		f.Add("year", "is not a year")
	}
	if l.Amount <= 0 {
		f.Add("amount", "must be more than zero")
	}
	return f.Err()
}

// Spending is money spent from a budget line, for a crisis or a drill or
// neither. Spending past what is left needs an override with a reason.
type Spending struct {
	ID             int64
	LineID         int64
	Amount         int64 // cents, more than zero
	CrisisID       int64
	DrillID        int64
	Note           string
	Override       bool
	OverrideReason string
	ActorID        int64
	At             time.Time
}

// Spend checks spending against its line and returns the line with it
// counted. Spending over what is left is refused on the field "amount"
// unless it carries an override with a reason.
func Spend(l Line, s Spending) (Line, Spending, error) {
	var f fault.Fields
	s.Note, s.OverrideReason = strings.TrimSpace(s.Note), strings.TrimSpace(s.OverrideReason)
	if s.Amount <= 0 {
		f.Add("amount", "must be more than zero")
	}
	if s.Note == "" || utf8.RuneCountInString(s.Note) > 500 {
		f.Add("note", "say what the money was spent on (1–500 characters)")
	}
	plaintext.CheckLine(&f, "note", s.Note)
	plaintext.CheckLine(&f, "override_reason", s.OverrideReason)
	over := s.Amount > l.Left()
	switch {
	case over && !s.Override && s.Amount > 0:
		f.Add("amount", "is more than the %d cents left on %s: record an override with a reason", l.Left(), l.Name)
	case over && s.Override && s.OverrideReason == "":
		f.Add("override_reason", "an override needs a reason")
	case !over:
		s.Override, s.OverrideReason = false, ""
	}
	if err := f.Err(); err != nil {
		return l, s, err
	}
	l.Spent += s.Amount
	s.LineID = l.ID
	return l, s, nil
}
