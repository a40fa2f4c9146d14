package work_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/work"
	"crisisdesk/internal/app/apptest"
)

func TestWorkAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	s.Call("observer", "POST", "/api/v1/work", `{"title":"P","starts_on":"2027-01-04","from_template":true}`, http.StatusForbidden)
	var p struct {
		work.WorkProgramme
		Tasks []work.WorkTask `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(s.Call("editor", "POST", "/api/v1/work", `{"title":"WorkProgramme 2027","starts_on":"2027-01-04","from_template":true}`,
		http.StatusCreated).Body), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 15 || p.Tasks[0].Key != "release" || p.Progress != 0 {
		t.Fatalf("from the template: %+v", p)
	}
	tasksPath := fmt.Sprintf("/api/v1/work/%d/tasks", p.ID)
	cases := []struct {
		name, body, loc string
	}{
		{"ends before it starts", `{"title":"Radios","start":"2027-02-10","end":"2027-02-01"}`, "body.end"},
		{"not a date", `{"title":"Radios","start":"soon","end":"2027-02-01"}`, "body.start"},
		{"percent above 100", `{"title":"Radios","start":"2027-02-01","end":"2027-02-10","percent":150}`, "body.percent"},
	}
	for _, c := range cases {
		res := s.Do("editor", "POST", tasksPath, c.body)
		apptest.WantStatus(t, res, 422)
		if !apptest.WantProblem(t, res).Has(c.loc) {
			t.Errorf("%s: %s", c.name, res.Body)
		}
	}
	// release.platform → release.templates depends on it; the reverse is a cycle.
	plat, tpl := p.Tasks[1], p.Tasks[2]
	res := s.Do("editor", "PUT", fmt.Sprintf("/api/v1/work-tasks/%d", plat.ID),
		fmt.Sprintf(`{"title":"","start":%q,"end":%q,"depends_on":[%d],"lock":%d}`, plat.Start, plat.End, tpl.ID, plat.Lock))
	apptest.WantStatus(t, res, 422)
	if !apptest.WantProblem(t, res).Has("body.depends_on") {
		t.Errorf("cycle: %s", res.Body)
	}
	var saved work.WorkTask
	if err := json.Unmarshal([]byte(s.Call("editor", "PUT", fmt.Sprintf("/api/v1/work-tasks/%d", plat.ID),
		fmt.Sprintf(`{"title":"","start":%q,"end":%q,"status":"done","lock":%d}`, plat.Start, plat.End, plat.Lock), http.StatusOK).Body), &saved); err != nil {
		t.Fatal(err)
	}
	if saved.Percent != 100 || saved.Status != "done" {
		t.Fatalf("saved %+v", saved)
	}
}
