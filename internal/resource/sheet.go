package resource

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/fault"
)

// ItemColumns are the inventory's export columns, which an import reads
// back.
var ItemColumns = []string{"name", "category", "unit", "quantity", "minimum", "location", "acquisition", "lease_end", "expiry"}

// dateLayout is how dates are written in the inventory sheet.
const dateLayout = "2006-01-02"

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// ItemRow is an item as a row of the inventory sheet.
func ItemRow(it Item) []string {
	return []string{it.Name, it.Category, it.Unit, strconv.FormatInt(it.Quantity, 10), strconv.FormatInt(it.Minimum, 10),
		it.Location, it.Acquisition, day(it.LeaseEnd), day(it.Expiry)}
}

// ParseItems reads an inventory sheet: a header row naming the columns
// (in any order; name, category, unit and quantity are needed), then one
// item a row. A cell that does not read is refused as items[i].field.
func ParseItems(rows [][]string) ([]Item, error) {
	if len(rows) == 0 {
		return nil, fault.Field("file", "the sheet is empty")
	}
	at := map[string]int{}
	for i, h := range rows[0] {
		at[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"name", "category", "unit", "quantity"} {
		if _, ok := at[need]; !ok {
			return nil, fault.Field("file", "the header has no column %q", need)
		}
	}
	var bad fault.Fields
	var out []Item
	for n, row := range rows[1:] {
		cell := func(name string) string {
			if i, ok := at[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		if strings.Join(row, "") == "" {
			continue
		}
		field := func(name string) string { return fmt.Sprintf("items[%d].%s", n, name) }
		it := Item{Name: cell("name"), Category: cell("category"), Unit: cell("unit"), Location: cell("location"), Acquisition: cell("acquisition")}
		num := func(name string) int64 {
			s := cell(name)
			if s == "" {
				return 0
			}
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				bad.Add(field(name), "%q is not a whole number", s)
			}
			return v
		}
		date := func(name string) time.Time {
			s := cell(name)
			if s == "" {
				return time.Time{}
			}
			t, err := time.Parse(dateLayout, s)
			if err != nil {
				bad.Add(field(name), "%q is not a date like 2026-12-31", s)
			}
			return t
		}
		it.Quantity, it.Minimum, it.LeaseEnd, it.Expiry = num("quantity"), num("minimum"), date("lease_end"), date("expiry")
		out = append(out, it)
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// LineColumns are the budget's export columns.
var LineColumns = []string{"name", "source", "cost_item", "year", "amount", "spent", "left", "share_spent"}

// Money writes cents as units with two decimals.
func Money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// ParseMoney reads an amount in units with up to two decimals, as cents.
func ParseMoney(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, fmt.Errorf("%q is not an amount like 1234.50", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return 0, fmt.Errorf("%q is not an amount like 1234.50", s)
	}
	var f int64
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, fmt.Errorf("%q is not an amount like 1234.50", s)
		}
	}
	return w*100 + f, nil
}

// LineRow is a budget line as a row of the budget sheet.
func LineRow(l Line) []string {
	return []string{l.Name, l.Source, l.CostItem, strconv.Itoa(l.Year), Money(l.Amount), Money(l.Spent), Money(l.Left()),
		fmt.Sprintf("%.0f%%", l.Share()*100)}
}

// AmountText is the line's amount as text, e.g. 1234.50.
func (l Line) AmountText() string { return Money(l.Amount) }

// SpentText is what was spent, as text.
func (l Line) SpentText() string { return Money(l.Spent) }

// LeftText is what is left, as text.
func (l Line) LeftText() string { return Money(l.Left()) }

// AmountText is the amount spent, as text.
func (s Spending) AmountText() string { return Money(s.Amount) }
