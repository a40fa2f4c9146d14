package risks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/risks"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestRiskAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	body := func(likelihood, impact int) string {
		return fmt.Sprintf(`{"description":"Shelters full","category":"external","likelihood":%d,"impact":%d,"owner_id":%d}`,
			likelihood, impact, s.Users[authz.Liaison].ID)
	}
	cases := []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"observer may not raise", "observer", body(2, 3), 403, ""},
		{"impact above 5", "editor", body(2, 6), 422, "body.impact"},
		{"impact unset", "editor", body(2, 0), 422, "body.impact"},
		{"likelihood above 5", "editor", body(8, 3), 422, "body.likelihood"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/risks", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}

	var list struct {
		Items []risks.Risk `json:"items"`
	}
	if err := json.Unmarshal([]byte(s.Call("observer", "GET", "/api/v1/risks", "", http.StatusOK).Body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 5 || list.Items[0].Key != "release" || list.Items[0].Impact != 4 || list.Items[0].Band != "high" {
		t.Fatalf("the default register: %+v", list.Items)
	}

	var k risks.Risk
	if err := json.Unmarshal([]byte(s.Call("editor", "POST", "/api/v1/risks", body(2, 3), http.StatusCreated).Body), &k); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/risks/%d", k.ID)
	res := s.Do("editor", "POST", path+"/ratings", `{"likelihood":4,"impact":9}`)
	apptest.WantStatus(t, res, 422)
	if !apptest.WantProblem(t, res).Has("body.impact") {
		t.Errorf("impact 9: %s", res.Body)
	}
	if err := json.Unmarshal([]byte(s.Call("editor", "POST", path+"/ratings", `{"likelihood":4,"impact":5,"note":"rising water"}`, http.StatusOK).Body), &k); err != nil {
		t.Fatal(err)
	}
	if k.Score != 20 || k.Band != "extreme" {
		t.Fatalf("rated %+v", k)
	}
	var hist struct {
		Trend string             `json:"trend"`
		Items []risks.RiskRating `json:"items"`
	}
	if err := json.Unmarshal([]byte(s.Call("observer", "GET", path+"/ratings", "", http.StatusOK).Body), &hist); err != nil {
		t.Fatal(err)
	}
	if hist.Trend != "rising" || len(hist.Items) != 2 || hist.Items[1].Note != "rising water" {
		t.Fatalf("history %+v", hist)
	}
	res = s.Do("editor", "POST", path+"/mitigations", `{"text":"Open shelters","due":"2030-01-01T00:00:00Z"}`)
	apptest.WantStatus(t, res, 422)
	if !apptest.WantProblem(t, res).Has("body.owner_id") {
		t.Errorf("mitigation without an owner: %s", res.Body)
	}
	var m risks.RiskMitigation
	if err := json.Unmarshal([]byte(s.Call("editor", "POST", path+"/mitigations",
		fmt.Sprintf(`{"text":"Open shelters","due":"2030-01-01T00:00:00Z","owner_id":%d}`, s.Users[authz.Liaison].ID), http.StatusCreated).Body), &m); err != nil {
		t.Fatal(err)
	}
	s.Call("liaison", "POST", fmt.Sprintf("/api/v1/risk-mitigations/%d/track", m.ID), `{"status":"done","note":"open"}`, http.StatusOK)
	s.Call("editor", "POST", path+"/review", "", http.StatusOK)
}
