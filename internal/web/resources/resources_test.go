package resources_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/sheet"
)

// TestInventoryExportImportsBack exports the inventory as CSV (UTF-8 with
// a byte-order mark), changes a count in it, imports it back, and sees
// the count corrected by a recorded movement; a sheet with a quantity
// below zero is refused, naming the cell, and changes nothing.
func TestInventoryExportImportsBack(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	it, err := e.Store.Resources().AddItem(t.Context(), apptest.As(w.Commander), resource.Item{Name: "=Sandbags", Category: "flood",
		Unit: "bags", Quantity: 500, Minimum: 100, Location: "Depot A"})
	if err != nil {
		t.Fatal(err)
	}
	b := e.SignIn(w.Commander)
	res := b.Get("/desk/resources/items.csv")
	apptest.WantStatus(t, res, http.StatusOK)
	if !bytes.HasPrefix([]byte(res.Body), []byte("\xef\xbb\xbf")) || !strings.Contains(res.Body, "'=Sandbags") {
		t.Fatalf("export without a BOM or with a live formula:\n%s", res.Body)
	}
	rows, err := sheet.ReadCSV(strings.NewReader(res.Body))
	if err != nil || len(rows) != 2 || rows[1][0] != "=Sandbags" || rows[1][3] != "500" {
		t.Fatalf("exported rows %v %v", rows, err)
	}
	edited := strings.Replace(res.Body, ",500,", ",420,", 1)
	res = b.Upload("/desk/resources/items/import", "file", "inventory.csv", []byte(edited), nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", res.Status, apptest.Snippet(res.Body))
	}
	if it, _ = e.Store.Resources().Item(t.Context(), it.ID); it.Quantity != 420 {
		t.Fatalf("after the import %+v", it)
	}
	ms, _ := e.Store.Resources().Movements(t.Context(), resource.MovementFilter{ItemID: it.ID})
	if len(ms) != 2 || ms[0].Delta != -80 || ms[0].Reason != resource.Adjust {
		t.Fatalf("movements %+v", ms)
	}
	bad := strings.Replace(edited, ",420,", ",-3,", 1)
	res = b.Upload("/desk/resources/items/import", "file", "inventory.csv", []byte(bad), nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, "items[0].quantity")
	if it, _ = e.Store.Resources().Item(t.Context(), it.ID); it.Quantity != 420 {
		t.Fatalf("a refused import changed %+v", it)
	}
	xl := b.Get("/desk/resources/items.xlsx")
	if xl.Status != http.StatusOK || !strings.HasPrefix(xl.Body, "PK") {
		t.Fatalf("XLSX export %d", xl.Status)
	}
	res = b.Get("/desk/resources/budget.csv")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Body, "\xef\xbb\xbfname,source,cost_item") {
		t.Fatalf("budget export %d %q", res.Status, apptest.Snippet(res.Body))
	}
}

// TestResourceFormsRefuseBadInput sends the item, movement and spending
// forms with bad input: each comes back with the field named.
func TestResourceFormsRefuseBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	it, err := e.Store.Resources().AddItem(t.Context(), apptest.As(w.Commander), resource.Item{Name: "Sandbags", Category: "flood",
		Unit: "bags", Quantity: 10, Minimum: 20, Location: "Depot A"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := e.Store.Resources().AddLine(t.Context(), apptest.As(w.Commander), resource.Line{Name: "Supplies", Source: resource.Allocation,
		CostItem: "emergency_supplies", Year: 2026, Amount: 10000})
	if err != nil {
		t.Fatal(err)
	}
	b := e.SignIn(w.Commander)
	for _, c := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"negative quantity", "/desk/resources/items/new", url.Values{"name": {"Pumps"}, "category": {"flood"}, "unit": {"units"},
			"quantity": {"-1"}, "acquisition": {"bought"}}, `href="#item-quantity"`},
		{"leased without an end", "/desk/resources/items/new", url.Values{"name": {"Pumps"}, "category": {"flood"}, "unit": {"units"},
			"quantity": {"1"}, "acquisition": {"leased"}}, `href="#item-lease-end"`},
		{"more than on hand", fmt.Sprintf("/desk/resources/items/%d/move", it.ID), url.Values{"reason": {"allocate"}, "quantity": {"11"},
			"target": {fmt.Sprintf("crisis:%d", w.Crisis.ID)}}, `href="#move-quantity"`},
		{"over the line", "/desk/resources/budget/spend", url.Values{"line_id": {fmt.Sprint(l.ID)}, "amount": {"100.01"},
			"note": {"Pumps"}}, `href="#spend-amount"`},
		{"override without a reason", "/desk/resources/budget/spend", url.Values{"line_id": {fmt.Sprint(l.ID)}, "amount": {"100.01"},
			"note": {"Pumps"}, "override": {"1"}}, `href="#spend-override-reason"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := b.PostForm(c.path, c.form)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, `id="error-summary"`, c.want)
		})
	}
	if it, _ = e.Store.Resources().Item(t.Context(), it.ID); it.Quantity != 10 {
		t.Fatalf("refused forms changed %+v", it)
	}
	res := b.PostForm("/desk/resources/budget/spend", url.Values{"line_id": {fmt.Sprint(l.ID)}, "amount": {"100.01"}, "note": {"Pumps"},
		"override": {"1"}, "override_reason": {"Signal 10"}, "target": {fmt.Sprintf("crisis:%d", w.Crisis.ID)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("spend with an override: %d\n%s", res.Status, apptest.Snippet(res.Body))
	}
	apptest.WantBody(t, b.Get("/desk/resources/review"), "Supplies", "Sandbags")
}

// TestPlanResourceRefersToAnItem keeps a plan's free-text resources and
// links one that names an inventory item to it.
func TestPlanResourceRefersToAnItem(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	it, err := e.Store.Resources().AddItem(t.Context(), apptest.As(w.Commander), resource.Item{Name: "Sandbags", Category: "flood",
		Unit: "bags", Quantity: 10, Location: "Depot A"})
	if err != nil {
		t.Fatal(err)
	}
	body := w.Plan.Body
	body.Resources = []plan.Resource{{Name: "Sandbags", Quantity: "500", ItemID: it.ID}, {Name: "Volunteers", Quantity: "20"}}
	p, err := e.Store.Plans().Create(t.Context(), apptest.As(w.Editor), "typhoon-items", w.Type.ID, "Typhoon with items", body)
	if err != nil {
		t.Fatal(err)
	}
	b := e.SignIn(w.Editor)
	apptest.WantBody(t, b.Get(fmt.Sprintf("/desk/plans/%d", p.ID)), fmt.Sprintf(`href="/desk/resources/items/%d"`, it.ID), "Volunteers")
	apptest.WantBody(t, b.Get(fmt.Sprintf("/desk/plans/%d/edit", p.ID)), fmt.Sprintf(`<option value="%d" selected>Sandbags`, it.ID))
}
