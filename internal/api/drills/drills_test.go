package drills_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/drills"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// drillJSON is a functional drill of plan planID tomorrow, controlled by
// the commander and observed by the observer; replace changes it (old,
// new, …).
func drillJSON(s *apptest.Staff, planID int64, replace ...string) string {
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute)
	b := fmt.Sprintf(`{"title":"Typhoon functional drill","plan_id":%d,"kind":"functional","level":"II",
		"objectives":[{"text":"First notice within 45 minutes","clocks":["first_notice"]}],
		"scenario":"Signal 8 at dawn","starts_at":%q,"ends_at":%q,"venue":"Operations room","equipment":["Radios"],
		"participants":[{"user_id":%d},{"name":"Press officer","organisation":"Radio","email":"press@example.org"}],
		"controller_id":%d,"observers":[%d],"evaluators":[%d]}`,
		planID, start.Format(time.RFC3339), start.Add(3*time.Hour).Format(time.RFC3339),
		s.Users[authz.Liaison].ID, s.Users[authz.Commander].ID, s.Users[authz.Observer].ID, s.Users[authz.Reviewer].ID)
	for i := 0; i+1 < len(replace); i += 2 {
		b = strings.Replace(b, replace[i], replace[i+1], 1)
	}
	return b
}

func TestDrillAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	planID := s.ApprovedPlan("typhoon-main", s.TypeID("typhoon"))

	cases := []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"observer may not plan", "observer", drillJSON(s, planID), 403, ""},
		{"end before start", "editor", drillJSON(s, planID, `"venue"`, `"ends_at":"2000-01-01T00:00:00Z","venue"`), 422, "body.ends_at"},
		{"bad level", "editor", drillJSON(s, planID, `"level":"II"`, `"level":"V"`), 422, "body.level"},
		{"unknown observer", "editor", drillJSON(s, planID, `"observers":[`, `"observers":[99999,`), 422, "body.observers"},
		{"unknown plan", "editor", drillJSON(s, 99999), 422, "body.plan_id"},
		{"no objective", "editor", drillJSON(s, planID, `"objectives":[{"text":"First notice within 45 minutes","clocks":["first_notice"]}]`, `"objectives":[]`), 422, "body.objectives"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := s.Do(c.who, "POST", "/api/v1/drills", c.body)
			apptest.WantStatus(t, res, c.want)
			if c.loc != "" && !apptest.WantProblem(t, res).Has(c.loc) {
				t.Errorf("no error at %s: %s", c.loc, res.Body)
			}
		})
	}

	res := s.Call("editor", "POST", "/api/v1/drills", drillJSON(s, planID), http.StatusCreated)
	d := apptest.Decode[drills.Drill](t, res)
	path := fmt.Sprintf("/api/v1/drills/%d", d.ID)
	if res.Header.Get("Location") != path || d.State != "planned" || d.Level != "II" || len(d.Participants) != 2 ||
		len(d.Safety.Hazards) == 0 || d.Safety.SignedAt != nil {
		t.Fatalf("created %s", res.Body)
	}
	s.Call("commander", "POST", path+"/start", `{}`, http.StatusConflict) // no signed gate
	s.Call("editor", "POST", path+"/safety/sign", `{}`, http.StatusForbidden)
	res = s.Call("approver", "POST", path+"/safety/sign", `{}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.officer_id") || !apptest.WantProblem(t, res).Has("body.stop_word") {
		t.Fatalf("incomplete gate: %s", res.Body)
	}
	safety := fmt.Sprintf(`{"hazards":["Slippery floor"],"measures":["Mats"],"officer_id":%d,"stop_word":"REDLINE","lock":%d}`,
		s.Users[authz.Liaison].ID, d.Lock)
	s.Call("editor", "PUT", path+"/safety", safety, http.StatusOK)
	s.Call("editor", "PUT", path+"/safety", safety, http.StatusConflict) // the old lock
	d = apptest.Decode[drills.Drill](t, s.Call("approver", "POST", path+"/safety/sign", `{}`, http.StatusOK))
	if d.State != "ready" || d.Safety.SignedBy != s.Users[authz.Approver].ID || d.Safety.StopWord != "REDLINE" {
		t.Fatalf("signed %+v", d)
	}
	s.Call("editor", "POST", path+"/start", `{}`, http.StatusForbidden)
	d = apptest.Decode[drills.Drill](t, s.Call("commander", "POST", path+"/start", `{}`, http.StatusOK))
	if d.State != "running" || d.CrisisID == 0 {
		t.Fatalf("started %+v", d)
	}
	c := apptest.Decode[struct {
		Exercise bool   `json:"exercise"`
		Status   string `json:"status"`
		PlanID   int64  `json:"plan_id"`
	}](t, s.Call("observer", "GET", fmt.Sprintf("/api/v1/crises/%d", d.CrisisID), "", http.StatusOK))
	if !c.Exercise || c.Status != "active" || c.PlanID != planID {
		t.Fatalf("exercise crisis %+v", c)
	}
	res = s.Call("commander", "POST", path+"/stop", `{"reason":" "}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.reason") {
		t.Fatalf("stop without reason: %s", res.Body)
	}
	d = apptest.Decode[drills.Drill](t, s.Call("commander", "POST", path+"/stop", `{"reason":"Smoke in the stairwell"}`, http.StatusOK))
	if d.State != "ended" || !d.Stopped || d.ReportDue == nil || !d.ReportDue.Equal(d.EndedAt.Add(7*24*time.Hour)) {
		t.Fatalf("stopped %+v", d)
	}
	list := apptest.Decode[struct {
		Items []drills.Drill `json:"items"`
		Total int            `json:"total"`
	}](t, s.Call("observer", "GET", "/api/v1/drills?state=ended", "", http.StatusOK))
	if list.Total != 1 || list.Items[0].ID != d.ID {
		t.Fatalf("list %+v", list)
	}

	cl := `{"hazards":["Fire"],"measures":["Extinguishers"]}`
	s.Call("editor", "PUT", "/api/v1/drill-checklist", cl, http.StatusForbidden)
	s.Call("approver", "PUT", "/api/v1/drill-checklist", cl, http.StatusOK)
	got := apptest.Decode[drills.Checklist](t, s.Call("observer", "GET", "/api/v1/drill-checklist", "", http.StatusOK))
	if len(got.Hazards) != 1 || got.Hazards[0] != "Fire" {
		t.Fatalf("checklist %+v", got)
	}
}
