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
	// Injects: inside the window only, naming the field.
	res = s.Call("editor", "POST", path+"/injects", `{"offset":"9h","from":"Caller","to":"liaison","message":"Flood"}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.offset") {
		t.Fatalf("inject outside the window: %s", res.Body)
	}
	s.Call("observer", "POST", path+"/injects", `{"offset":"10m","from":"Caller","to":"liaison","message":"Flood"}`, http.StatusForbidden)
	in := apptest.Decode[drills.Inject](t, s.Call("editor", "POST", path+"/injects",
		`{"offset":"00:10","from":"Caller","to":"liaison","message":"Water over the quay","expected":"Warn the district"}`, http.StatusCreated))
	if in.Offset != "10m" || in.State != "pending" || in.Seq != 1 || !in.DueAt.Equal(d.StartsAt.Add(10*time.Minute)) {
		t.Fatalf("inject %+v", in)
	}
	s.Call("commander", "POST", fmt.Sprintf("/api/v1/drill-injects/%d/fire", in.ID), `{}`, http.StatusConflict) // not running

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
	s.Call("commander", "POST", path+"/pause", `{}`, http.StatusOK)
	s.Call("commander", "POST", path+"/pause", `{}`, http.StatusConflict)
	s.Call("commander", "POST", path+"/resume", `{}`, http.StatusOK)
	s.Call("editor", "POST", fmt.Sprintf("/api/v1/drill-injects/%d/fire", in.ID), `{}`, http.StatusForbidden)
	fired := apptest.Decode[drills.Inject](t, s.Call("commander", "POST", fmt.Sprintf("/api/v1/drill-injects/%d/fire", in.ID), `{}`, http.StatusOK))
	if fired.State != "delivered" || fired.DeliveredAt == nil {
		t.Fatalf("fired %+v", fired)
	}
	live := apptest.Decode[drills.Inject](t, s.Call("commander", "POST", path+"/injects",
		`{"offset":"1h","from":"Media","to":"commander","message":"TV crew at the gate"}`, http.StatusCreated))
	s.Call("commander", "POST", fmt.Sprintf("/api/v1/drill-injects/%d/skip", live.ID), `{}`, http.StatusOK)
	list := apptest.Decode[struct {
		Items []drills.Inject `json:"items"`
	}](t, s.Call("observer", "GET", path+"/injects", "", http.StatusOK))
	if len(list.Items) != 2 || list.Items[0].State != "delivered" || list.Items[1].State != "skipped" {
		t.Fatalf("injects %+v", list.Items)
	}
	res = s.Call("commander", "POST", path+"/stop", `{"reason":" "}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.reason") {
		t.Fatalf("stop without reason: %s", res.Body)
	}
	d = apptest.Decode[drills.Drill](t, s.Call("commander", "POST", path+"/stop", `{"reason":"Smoke in the stairwell"}`, http.StatusOK))
	if d.State != "ended" || !d.Stopped || d.ReportDue == nil || !d.ReportDue.Equal(d.EndedAt.Add(7*24*time.Hour)) {
		t.Fatalf("stopped %+v", d)
	}
	dl := apptest.Decode[struct {
		Items []drills.Drill `json:"items"`
		Total int            `json:"total"`
	}](t, s.Call("observer", "GET", "/api/v1/drills?state=ended", "", http.StatusOK))
	if dl.Total != 1 || dl.Items[0].ID != d.ID {
		t.Fatalf("list %+v", dl)
	}

	cl := `{"hazards":["Fire"],"measures":["Extinguishers"]}`
	s.Call("editor", "PUT", "/api/v1/drill-checklist", cl, http.StatusForbidden)
	s.Call("approver", "PUT", "/api/v1/drill-checklist", cl, http.StatusOK)
	got := apptest.Decode[drills.Checklist](t, s.Call("observer", "GET", "/api/v1/drill-checklist", "", http.StatusOK))
	if len(got.Hazards) != 1 || got.Hazards[0] != "Fire" {
		t.Fatalf("checklist %+v", got)
	}
}

func TestObservationsAndReportAPI(t *testing.T) {
	t.Parallel()
	s := apptest.NewStaff(t, apptest.Options{})
	planID := s.ApprovedPlan("typhoon-main", s.TypeID("typhoon"))
	d := apptest.Decode[drills.Drill](t, s.Call("editor", "POST", "/api/v1/drills", drillJSON(s, planID), http.StatusCreated))
	path := fmt.Sprintf("/api/v1/drills/%d", d.ID)
	s.Call("editor", "PUT", path+"/safety", fmt.Sprintf(`{"hazards":["Floor"],"measures":["Mats"],"officer_id":%d,"stop_word":"RED","lock":%d}`,
		s.Users[authz.Liaison].ID, d.Lock), http.StatusOK)
	s.Call("approver", "POST", path+"/safety/sign", `{}`, http.StatusOK)
	s.Call("commander", "POST", path+"/start", `{}`, http.StatusOK)

	// The liaison takes part but does not observe: refused, naming why.
	res := s.Call("liaison", "POST", path+"/observations", `{"objective":0,"rating":"performed"}`, http.StatusForbidden)
	apptest.WantBody(t, res, "not an observer or evaluator of this drill")
	res = s.Call("observer", "POST", path+"/observations", `{"objective":3,"rating":"performed"}`, http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.objective") {
		t.Fatalf("bad objective: %s", res.Body)
	}
	s.Call("observer", "POST", path+"/observations", `{"objective":0,"rating":"major_challenges","notes":"Approval took 40 minutes"}`, http.StatusCreated)
	for who, want := range map[string]int{"observer": 1, "reviewer": 1, "commander": 0} {
		got := apptest.Decode[struct {
			Items []drills.Observation `json:"items"`
		}](t, s.Call(who, "GET", path+"/observations", "", http.StatusOK))
		if len(got.Items) != want {
			t.Errorf("%s sees %d observations while the drill runs, want %d", who, len(got.Items), want)
		}
	}
	s.Call("observer", "GET", path+"/report", "", http.StatusNotFound)
	s.Call("commander", "POST", path+"/end", `{}`, http.StatusOK)
	r := apptest.Decode[drills.Report](t, s.Call("observer", "GET", path+"/report", "", http.StatusOK))
	if len(r.Ratings) != 1 || r.Ratings[0].Rating != "major_challenges" || len(r.Improvements) == 0 {
		t.Fatalf("draft %+v", r)
	}
	s.Call("observer", "PUT", path+"/report", `{"summary":"x","lock":1}`, http.StatusForbidden)
	r = apptest.Decode[drills.Report](t, s.Call("reviewer", "PUT", path+"/report",
		fmt.Sprintf(`{"summary":"Approvals were slow","strengths":[],"improvements":["Train approvers"],"lock":%d}`, r.Lock), http.StatusOK))
	if r.AuthorID != s.Users[authz.Reviewer].ID || r.Summary != "Approvals were slow" {
		t.Fatalf("saved %+v", r)
	}
	r = apptest.Decode[drills.Report](t, s.Call("approver", "POST", path+"/report/approve", `{}`, http.StatusOK))
	if r.ApprovedBy != s.Users[authz.Approver].ID {
		t.Fatalf("approved %+v", r)
	}
	d = apptest.Decode[drills.Drill](t, s.Call("observer", "GET", path, "", http.StatusOK))
	if d.State != "evaluated" {
		t.Fatalf("drill %s after approval", d.State)
	}
	due := time.Now().UTC().Add(14 * 24 * time.Hour).Format(time.RFC3339)
	res = s.Call("reviewer", "POST", path+"/actions", `{"text":"Train approvers","owner_id":1,"due":"2000-01-01T00:00:00Z","link_kind":"training","link_ref":"Course"}`,
		http.StatusUnprocessableEntity)
	if !apptest.WantProblem(t, res).Has("body.due") {
		t.Fatalf("past due: %s", res.Body)
	}
	x := apptest.Decode[drills.Action](t, s.Call("reviewer", "POST", path+"/actions",
		fmt.Sprintf(`{"text":"Train approvers","owner_id":%d,"due":%q,"link_kind":"plan_step","link_ref":"typhoon-main#r1"}`,
			s.Users[authz.Liaison].ID, due), http.StatusCreated))
	s.Call("approver", "POST", path+"/close", `{}`, http.StatusConflict)
	s.Call("liaison", "POST", fmt.Sprintf("/api/v1/drill-actions/%d/done", x.ID), `{}`, http.StatusOK)
	s.Call("liaison", "POST", fmt.Sprintf("/api/v1/drill-actions/%d/verify", x.ID), `{}`, http.StatusForbidden)
	x = apptest.Decode[drills.Action](t, s.Call("approver", "POST", fmt.Sprintf("/api/v1/drill-actions/%d/verify", x.ID), `{}`, http.StatusOK))
	if x.State != "verified" {
		t.Fatalf("action %+v", x)
	}
	d = apptest.Decode[drills.Drill](t, s.Call("observer", "GET", path, "", http.StatusOK))
	if d.State != "closed" {
		t.Fatalf("drill %s after its last action closed", d.State)
	}
	fig := apptest.Decode[drills.Figures](t, s.Call("observer", "GET", path+"/figures", "", http.StatusOK))
	if fig.Actions != 1 || fig.ClosedOnTime != 1 || fig.OnTimeShare != 1 || fig.Problems == 0 || fig.Clocks == 0 || !fig.ReportOnTime {
		t.Fatalf("figures %+v", fig)
	}
}
