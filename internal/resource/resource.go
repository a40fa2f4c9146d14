// Package resource holds what the office has to meet a crisis: the
// inventory of supplies (bought or leased, with a minimum level), the
// budget lines with their source and the spending recorded against them,
// the allocation of supplies and money to a crisis or a drill as
// movements that keep quantities and spending true, and the weekly
// resource review with its page of shortfalls. It is plain Go: the store
// keeps it and the surfaces show it.
package resource

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Categories are the kinds of supplies, as the forms offer them.
var Categories = []string{"flood", "water_food", "medical", "shelter", "power", "communication", "vehicle", "protective", "other"}

// How an item was acquired.
const (
	Bought = "bought"
	Leased = "leased"
)

// Acquisitions lists the ways an item is acquired.
var Acquisitions = []string{Bought, Leased}

// Item is one line of the inventory.
type Item struct {
	ID          int64
	Name        string
	Category    string
	Unit        string // e.g. "bags", "boxes", "units"
	Quantity    int64  // on hand; never below zero
	Minimum     int64  // the level below which it is a shortfall
	Location    string
	Acquisition string    // bought or leased
	LeaseEnd    time.Time // zero unless leased
	Expiry      time.Time // zero when it does not expire
	Version     int64
	UpdatedAt   time.Time
}

// Low reports whether the item is below its minimum level.
func (it Item) Low() bool { return it.Quantity < it.Minimum }

// Ends returns the earlier of the lease end and the expiry, or zero.
func (it Item) Ends() time.Time {
	switch {
	case it.LeaseEnd.IsZero():
		return it.Expiry
	case it.Expiry.IsZero() || it.LeaseEnd.Before(it.Expiry):
		return it.LeaseEnd
	}
	return it.Expiry
}

// Normalize trims an item's text.
func (it *Item) Normalize() {
	it.Name, it.Category, it.Unit = strings.TrimSpace(it.Name), strings.TrimSpace(it.Category), strings.TrimSpace(it.Unit)
	it.Location, it.Acquisition = strings.TrimSpace(it.Location), strings.TrimSpace(it.Acquisition)
	if it.Acquisition == "" {
		it.Acquisition = Bought
	}
	it.LeaseEnd, it.Expiry = it.LeaseEnd.UTC(), it.Expiry.UTC()
}

// Validate checks an item, naming the field of each problem.
func (it Item) Validate() error {
	var f fault.Fields
	for _, t := range []struct {
		field, value string
		need         bool
	}{{"name", it.Name, true}, {"unit", it.Unit, true}, {"location", it.Location, false}} {
		if t.need && t.value == "" || utf8.RuneCountInString(t.value) > 200 {
			f.Add(t.field, "must be 1–200 characters")
		}
		plaintext.CheckLine(&f, t.field, t.value)
	}
	if !slices.Contains(Categories, it.Category) {
		f.Add("category", "%q is not a category: %s", it.Category, strings.Join(Categories, ", "))
	}
	if it.Quantity < 0 {
		f.Add("quantity", "must not be below zero")
	}
	if it.Minimum < 0 {
		f.Add("minimum", "must not be below zero")
	}
	if !slices.Contains(Acquisitions, it.Acquisition) {
		f.Add("acquisition", "must be bought or leased")
	}
	if it.Acquisition == Leased && it.LeaseEnd.IsZero() {
		f.Add("lease_end", "a leased item needs the date its lease ends")
	}
	if it.Acquisition == Bought && !it.LeaseEnd.IsZero() {
		f.Add("lease_end", "a bought item has no lease")
	}
	return f.Err()
}

// Reasons for a movement of stock.
const (
	Allocate = "allocate" // out, to a crisis or a drill
	Return   = "return"   // back in from a crisis or a drill
	Restock  = "restock"  // in: bought or delivered
	Adjust   = "adjust"   // a count corrected, in or out
)

// Reasons lists the reasons for a movement.
var Reasons = []string{Allocate, Return, Restock, Adjust}

// Movement is one change of an item's quantity, with why and for what.
type Movement struct {
	ID       int64
	ItemID   int64
	Delta    int64 // negative when stock goes out
	Reason   string
	CrisisID int64 // what it was allocated to or returned from; 0 when none
	DrillID  int64
	Note     string
	ActorID  int64
	At       time.Time
	After    int64 // the quantity after the movement
}

// Move applies a movement to an item: an allocation takes stock out, a
// return or restock puts it in, an adjustment does either. A quantity
// that would go below zero is refused on the field "quantity".
func Move(it Item, m Movement) (Item, Movement, error) {
	var f fault.Fields
	if !slices.Contains(Reasons, m.Reason) {
		f.Add("reason", "%q is not a reason: %s", m.Reason, strings.Join(Reasons, ", "))
	}
	switch m.Reason {
	case Allocate:
		if m.Delta > 0 {
			m.Delta = -m.Delta
		}
		if m.CrisisID == 0 && m.DrillID == 0 {
			f.Add("crisis_id", "choose the crisis or drill the supplies go to")
		}
	case Return, Restock:
		if m.Delta < 0 {
			m.Delta = -m.Delta
		}
	}
	if m.Delta == 0 {
		f.Add("quantity", "must not be zero")
	}
	if m.Note = strings.TrimSpace(m.Note); utf8.RuneCountInString(m.Note) > 500 {
		f.Add("note", "must be at most 500 characters")
	}
	plaintext.CheckLine(&f, "note", m.Note)
	if f.Err() == nil && it.Quantity+m.Delta < 0 {
		f.Add("quantity", "only %d %s of %s are on hand", it.Quantity, it.Unit, it.Name)
	}
	if err := f.Err(); err != nil {
		return it, m, err
	}
	it.Quantity += m.Delta
	m.ItemID, m.After = it.ID, it.Quantity
	return it, m, nil
}
