package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestResourcesStored keeps an inventory whose quantities only change by
// movements, refuses stock below zero and spending over a line without
// an override, and finds the shortfalls, on both engines.
func TestResourcesStored(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		rs := o.st.Resources()
		cmd := o.users[authz.Commander]
		now := o.clk.Now()

		for _, c := range []struct {
			name  string
			it    resource.Item
			field string
		}{
			{"negative quantity", resource.Item{Name: "Sandbags", Category: "flood", Unit: "bags", Quantity: -1}, "quantity"},
			{"unknown category", resource.Item{Name: "Sandbags", Category: "toys", Unit: "bags"}, "category"},
			{"lease without end", resource.Item{Name: "Pump", Category: "flood", Unit: "units", Acquisition: resource.Leased}, "lease_end"},
			{"no unit", resource.Item{Name: "Pump", Category: "flood"}, "unit"},
		} {
			if _, err := rs.AddItem(ctx, cmd, c.it); !hasField(fault.FieldsOf(err), c.field) {
				t.Errorf("%s: %v, want the field %s named", c.name, err, c.field)
			}
		}
		if _, err := rs.AddItem(ctx, o.users[authz.Editor], resource.Item{Name: "Sandbags", Category: "flood", Unit: "bags"}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an editor added an item: %v", err)
		}
		bags, err := rs.AddItem(ctx, cmd, resource.Item{Name: "Sandbags", Category: "flood", Unit: "bags", Quantity: 500, Minimum: 200, Location: "Depot A"})
		if err != nil {
			t.Fatal(err)
		}
		pump, err := rs.AddItem(ctx, cmd, resource.Item{Name: "Pump", Category: "flood", Unit: "units", Quantity: 2, Minimum: 1,
			Location: "Depot B", Acquisition: resource.Leased, LeaseEnd: now.Add(10 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}

		c, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: now})
		if err != nil {
			t.Fatal(err)
		}
		liaison := o.users[authz.Liaison]
		if _, err := rs.MoveItem(ctx, liaison, resource.Movement{ItemID: bags.ID, Delta: 600, Reason: resource.Allocate, CrisisID: c.ID}); !hasField(fault.FieldsOf(err), "quantity") {
			t.Fatalf("allocating more than on hand: %v", err)
		}
		if _, err := rs.MoveItem(ctx, liaison, resource.Movement{ItemID: bags.ID, Delta: 10, Reason: resource.Allocate}); !hasField(fault.FieldsOf(err), "crisis_id") {
			t.Fatalf("allocating to nothing: %v", err)
		}
		m, err := rs.MoveItem(ctx, liaison, resource.Movement{ItemID: bags.ID, Delta: 350, Reason: resource.Allocate, CrisisID: c.ID, Note: "Harbour front"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Delta != -350 || m.After != 150 {
			t.Fatalf("movement %+v", m)
		}
		if bags, err = rs.Item(ctx, bags.ID); err != nil || bags.Quantity != 150 || !bags.Low() {
			t.Fatalf("after allocation %+v %v", bags, err)
		}
		ms, err := rs.Movements(ctx, resource.MovementFilter{CrisisID: c.ID})
		if err != nil || len(ms) != 1 || ms[0].ID != m.ID {
			t.Fatalf("movements of the crisis %v %v", ms, err)
		}
		// Saving an item's details never changes its quantity.
		bags.Quantity, bags.Location = 9999, "Depot C"
		if bags, err = rs.SaveItem(ctx, cmd, bags); err != nil || bags.Quantity != 150 || bags.Location != "Depot C" {
			t.Fatalf("saved %+v %v", bags, err)
		}

		line, err := rs.AddLine(ctx, cmd, resource.Line{Name: "Emergency supplies 2026", Source: resource.Allocation, CostItem: "emergency_supplies",
			Year: 2026, Amount: 100000})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Spend(ctx, liaison, resource.Spending{LineID: line.ID, Amount: 85000, CrisisID: c.ID, Note: "Sandbags"}); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Spend(ctx, liaison, resource.Spending{LineID: line.ID, Amount: 20000, Note: "Pumps"}); !hasField(fault.FieldsOf(err), "amount") {
			t.Fatalf("spending over the line: %v", err)
		}
		if _, err := rs.Spend(ctx, liaison, resource.Spending{LineID: line.ID, Amount: 20000, Note: "Pumps", Override: true}); !hasField(fault.FieldsOf(err), "override_reason") {
			t.Fatalf("override without a reason: %v", err)
		}
		s, err := rs.Spend(ctx, liaison, resource.Spending{LineID: line.ID, Amount: 20000, Note: "Pumps", Override: true, OverrideReason: "Signal 8"})
		if err != nil || !s.Override {
			t.Fatalf("override %+v %v", s, err)
		}
		if line, err = rs.Line(ctx, line.ID); err != nil || line.Spent != 105000 {
			t.Fatalf("line %+v %v", line, err)
		}

		sf, err := rs.Shortfalls(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sf.Low) != 1 || sf.Low[0].ID != bags.ID || len(sf.Expiring) != 1 || sf.Expiring[0].ID != pump.ID || len(sf.Overspent) != 1 {
			t.Fatalf("shortfalls %+v", sf)
		}
		if _, err := rs.ReviewClock(ctx); !fault.Is(err, fault.NotFound) {
			t.Fatalf("a review clock before the first review: %v", err)
		}
		if _, err := rs.CompleteReview(ctx, cmd, " "); !hasField(fault.FieldsOf(err), "decisions") {
			t.Fatalf("empty review: %v", err)
		}
		r, err := rs.CompleteReview(ctx, cmd, "Order 300 sandbags; renew the pump lease.")
		if err != nil || r.Shortfalls != 3 || !r.NextDue.Equal(o.clk.Now().Add(resource.ReviewEvery)) {
			t.Fatalf("review %+v %v", r, err)
		}
		clock, err := rs.ReviewClock(ctx)
		if err != nil || clock.Kind != resource.ReviewKind || !clock.DueAt.Equal(r.NextDue) || clock.OwnerID != cmd.UserID || !clock.Open() {
			t.Fatalf("review clock %+v %v", clock, err)
		}
		o.clk.Advance(time.Hour)
		if _, err := rs.CompleteReview(ctx, cmd, "Nothing new."); err != nil {
			t.Fatal(err)
		}
		all, err := o.st.Deadlines(ctx, deadline.Filter{Kind: resource.ReviewKind})
		if err != nil || len(all) != 2 || all[0].Open() == all[1].Open() {
			t.Fatalf("review clocks: one met, one running: %+v %v", all, err)
		}
		rv, err := rs.Reviews(ctx, 5)
		if err != nil || len(rv) != 2 || rv[0].Reviewer == "" {
			t.Fatalf("reviews %+v %v", rv, err)
		}

		n, err := rs.ImportItems(ctx, cmd, []resource.Item{
			{Name: "Sandbags", Category: "flood", Unit: "bags", Quantity: 400, Minimum: 200, Location: "Depot C"},
			{Name: "Water", Category: "water_food", Unit: "bottles", Quantity: 1000, Location: "Depot A"},
		})
		if err != nil || n != 2 {
			t.Fatalf("import %d %v", n, err)
		}
		if bags, _ = rs.Item(ctx, bags.ID); bags.Quantity != 400 {
			t.Fatalf("imported count %+v", bags)
		}
		if _, err := rs.ImportItems(ctx, cmd, []resource.Item{{Name: "X", Category: "flood", Unit: "u", Quantity: -5}}); !hasField(fault.FieldsOf(err), "items[0].quantity") {
			t.Fatalf("bad import: %v", err)
		}
		items, _ := rs.Items(ctx)
		if len(items) != 3 {
			t.Fatalf("%d items", len(items))
		}
	})
}
