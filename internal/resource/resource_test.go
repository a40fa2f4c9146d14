package resource_test

import (
	"testing"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
)

func TestMove(t *testing.T) {
	t.Parallel()
	bags := resource.Item{ID: 1, Name: "Sandbags", Unit: "bags", Quantity: 100}
	for _, c := range []struct {
		name  string
		m     resource.Movement
		want  int64
		field string
	}{
		{"allocate", resource.Movement{Delta: 30, Reason: resource.Allocate, CrisisID: 7}, 70, ""},
		{"allocate all", resource.Movement{Delta: 100, Reason: resource.Allocate, DrillID: 2}, 0, ""},
		{"allocate too many", resource.Movement{Delta: 101, Reason: resource.Allocate, CrisisID: 7}, 100, "quantity"},
		{"allocate to nothing", resource.Movement{Delta: 1, Reason: resource.Allocate}, 100, "crisis_id"},
		{"restock", resource.Movement{Delta: -5, Reason: resource.Restock}, 105, ""},
		{"adjust below zero", resource.Movement{Delta: -200, Reason: resource.Adjust}, 100, "quantity"},
		{"zero", resource.Movement{Reason: resource.Return}, 100, "quantity"},
		{"unknown reason", resource.Movement{Delta: 1, Reason: "lost"}, 100, "reason"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, m, err := resource.Move(bags, c.m)
			if c.field != "" {
				if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != c.field {
					t.Fatalf("%v, want the field %s named", err, c.field)
				}
				return
			}
			if err != nil || got.Quantity != c.want || m.After != c.want {
				t.Fatalf("%+v %+v %v, want %d", got, m, err, c.want)
			}
		})
	}
}

func TestSpend(t *testing.T) {
	t.Parallel()
	line := resource.Line{ID: 1, Name: "Supplies", Amount: 1000, Spent: 900}
	for _, c := range []struct {
		name  string
		s     resource.Spending
		field string
	}{
		{"within", resource.Spending{Amount: 100, Note: "bags"}, ""},
		{"over", resource.Spending{Amount: 101, Note: "bags"}, "amount"},
		{"over without a reason", resource.Spending{Amount: 101, Note: "bags", Override: true}, "override_reason"},
		{"over with a reason", resource.Spending{Amount: 500, Note: "bags", Override: true, OverrideReason: "Signal 10"}, ""},
		{"nothing", resource.Spending{Note: "bags"}, "amount"},
		{"no note", resource.Spending{Amount: 5}, "note"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, _, err := resource.Spend(line, c.s)
			if c.field != "" {
				if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != c.field {
					t.Fatalf("%v, want the field %s named", err, c.field)
				}
				return
			}
			if err != nil || l.Spent != line.Spent+c.s.Amount {
				t.Fatalf("%+v %v", l, err)
			}
		})
	}
}

func TestItemsRoundTrip(t *testing.T) {
	t.Parallel()
	end := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	in := []resource.Item{{Name: "Pump", Category: "flood", Unit: "units", Quantity: 3, Minimum: 2, Location: "Depot B", Acquisition: resource.Leased, LeaseEnd: end}}
	rows := [][]string{resource.ItemColumns, resource.ItemRow(in[0])}
	out, err := resource.ParseItems(rows)
	if err != nil || len(out) != 1 || out[0].Name != "Pump" || !out[0].LeaseEnd.Equal(end) || out[0].Quantity != 3 {
		t.Fatalf("%+v %v", out, err)
	}
	_, err = resource.ParseItems([][]string{resource.ItemColumns, {"Pump", "flood", "units", "three"}})
	if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != "items[0].quantity" {
		t.Fatalf("bad quantity: %v", err)
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1234.5", 123450, true}, {"1,000", 100000, true}, {"0.05", 5, true}, {"1.234", 0, false}, {"-3", 0, false}, {"abc", 0, false}} {
		got, err := resource.ParseMoney(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%q: %d %v", c.in, got, err)
		}
		if c.ok && resource.Money(got) == "" {
			t.Errorf("%q: no text", c.in)
		}
	}
}

func TestShortfalls(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	items := []resource.Item{
		{ID: 1, Quantity: 5, Minimum: 10},
		{ID: 2, Quantity: 50, Minimum: 10, Expiry: now.Add(10 * 24 * time.Hour)},
		{ID: 3, Quantity: 50, Minimum: 10, Expiry: now.Add(90 * 24 * time.Hour)},
	}
	lines := []resource.Line{{ID: 1, Amount: 100, Spent: 81}, {ID: 2, Amount: 100, Spent: 80}}
	s := resource.FindShortfalls(items, lines, now)
	if len(s.Low) != 1 || s.Low[0].ID != 1 || len(s.Expiring) != 1 || s.Expiring[0].ID != 2 || len(s.Overspent) != 1 || s.Overspent[0].ID != 1 || s.Count() != 3 {
		t.Fatalf("%+v", s)
	}
}
