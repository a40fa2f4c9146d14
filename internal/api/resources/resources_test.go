package resources_test

import (
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/resources"
	"crisisdesk/internal/app/apptest"
)

func TestResourcesAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	for _, c := range []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"editor may not add", "editor", `{"name":"Sandbags","category":"flood","unit":"bags","quantity":5,"minimum":1}`, 403, ""},
		{"below zero", "commander", `{"name":"Sandbags","category":"flood","unit":"bags","quantity":-5,"minimum":1}`, 422, "body.quantity"},
		{"lease without end", "admin", `{"name":"Pump","category":"flood","unit":"units","quantity":1,"minimum":1,"acquisition":"leased"}`, 422, "body.lease_end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/resources/items", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}
	it := apptest.Decode[resources.Item](t, s.Call("commander", "POST", "/api/v1/resources/items",
		`{"name":"Sandbags","category":"flood","unit":"bags","quantity":100,"minimum":50,"location":"Depot A"}`, http.StatusCreated))
	moves := fmt.Sprintf("/api/v1/resources/items/%d/movements", it.ID)
	res := s.Do("editor", "POST", moves, `{"reason":"adjust","quantity":-101}`)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.quantity") {
		t.Errorf("below zero: %s", res.Body)
	}
	s.Call("observer", "POST", moves, `{"reason":"adjust","quantity":-1}`, http.StatusForbidden)
	m := apptest.Decode[resources.Movement](t, s.Call("editor", "POST", moves, `{"reason":"adjust","quantity":-60,"note":"count"}`, http.StatusCreated))
	if m.After != 40 {
		t.Fatalf("movement %+v", m)
	}
	short := apptest.Decode[struct{ Low []resources.Item }](t, s.Call("observer", "GET", "/api/v1/resources/shortfalls", "", http.StatusOK))
	if len(short.Low) != 1 || short.Low[0].ID != it.ID {
		t.Fatalf("shortfalls %+v", short)
	}

	l := apptest.Decode[resources.Line](t, s.Call("admin", "POST", "/api/v1/resources/budget",
		`{"name":"Supplies 2026","source":"allocation","cost_item":"emergency_supplies","year":2026,"amount":10000}`, http.StatusCreated))
	spend := fmt.Sprintf("/api/v1/resources/budget/%d/spending", l.ID)
	res = s.Do("editor", "POST", spend, `{"amount":10001,"note":"bags"}`)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.amount") {
		t.Errorf("over the line: %s", res.Body)
	}
	s.Call("editor", "POST", spend, `{"amount":10001,"note":"bags","override":true,"override_reason":"Signal 10"}`, http.StatusCreated)
	lines := apptest.Decode[struct{ Items []resources.Line }](t, s.Call("observer", "GET", "/api/v1/resources/budget", "", http.StatusOK))
	if len(lines.Items) != 1 || lines.Items[0].Left != -1 {
		t.Fatalf("lines %+v", lines)
	}
	s.Call("editor", "POST", "/api/v1/resources/reviews", `{"decisions":"Order bags"}`, http.StatusForbidden)
	s.Call("commander", "POST", "/api/v1/resources/reviews", `{"decisions":"Order 100 bags."}`, http.StatusCreated)
}
