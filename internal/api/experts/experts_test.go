package experts_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"crisisdesk/internal/api/experts"
	"crisisdesk/internal/app/apptest"
)

func TestExpertsAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	for _, c := range []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"editor may not add", "editor", `{"name":"Dr Chan","email":"chan@example.org","languages":["en"]}`, 403, ""},
		{"no address", "admin", `{"name":"Dr Chan","languages":["en"]}`, 422, "body.email"},
		{"bad phone", "admin", `{"name":"Dr Chan","phone":"123","languages":["en"]}`, 422, "body.phone"},
		{"unknown language", "commander", `{"name":"Dr Chan","email":"chan@example.org","languages":["fr"]}`, 422, "body.languages"},
		{"no name", "admin", `{"email":"chan@example.org","languages":["en"]}`, 422, "body.name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/experts", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}

	res := s.Call("commander", "POST", "/api/v1/experts",
		`{"name":"Dr Chan","organisation":"Observatory","field":"Meteorology","email":"chan@example.org","phone":"+852 9123 4567","languages":["zh-Hant","en"]}`,
		http.StatusCreated)
	e := apptest.Decode[experts.Expert](t, res)
	if !e.Active || e.Phone != "+85291234567" || !slices.Equal(e.Languages, []string{"zh-Hant", "en"}) {
		t.Fatalf("created %+v", e)
	}
	path := fmt.Sprintf("/api/v1/experts/%d", e.ID)
	u := apptest.Decode[experts.Expert](t, s.Call("admin", "PATCH", path, fmt.Sprintf(`{"active":false,"version":%d}`, e.Version), http.StatusOK))
	if u.Active || u.Email != e.Email || u.Version != e.Version+1 {
		t.Fatalf("updated %+v", u)
	}
	s.Call("admin", "PATCH", path, fmt.Sprintf(`{"active":true,"version":%d}`, e.Version), http.StatusConflict)
	s.Call("admin", "GET", "/api/v1/experts", "", http.StatusOK)
	s.Call("admin", "DELETE", path, "", http.StatusNoContent)
	s.Call("admin", "GET", path, "", http.StatusNotFound)
}
