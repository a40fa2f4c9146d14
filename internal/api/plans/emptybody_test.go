package plans_test

import (
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/plans"
	"crisisdesk/internal/app/apptest"
)

// TestSignOffTakesAnEmptyBody: each sign-off is a POST with nothing in it
// — no Content-Type, zero length. Return, which needs a reason, says so
// with the field named.
func TestSignOffTakesAnEmptyBody(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	typhoon := e.TypeID("typhoon")
	p := apptest.Decode[plans.Plan](t, e.Call("editor", "POST", "/api/v1/plans", apptest.PlanJSON("typhoon-empty", typhoon, "", ""), http.StatusCreated))
	path := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	for _, step := range []struct {
		who, action string
		want        int
		status      string
	}{
		{"editor", "/submit", http.StatusOK, "submitted"},
		{"reviewer", "/return", http.StatusUnprocessableEntity, ""},
		{"reviewer", "/review", http.StatusOK, "reviewed"},
		{"approver", "/approve", http.StatusOK, "approved"},
	} {
		res := e.Send(step.who, http.MethodPost, path+step.action, "", nil)
		if res.Status != step.want {
			t.Fatalf("POST %s with no body = %d, want %d: %s", step.action, res.Status, step.want, res.Body)
		}
		if step.status != "" {
			if got := apptest.Decode[plans.Plan](t, res); string(got.Status) != step.status {
				t.Errorf("after %s the plan is %s, want %s", step.action, got.Status, step.status)
			}
		} else if !apptest.WantProblem(t, res).Has("body.comment") {
			t.Errorf("return without a body does not name the comment: %s", res.Body)
		}
	}
}

// TestPlanTemplateWarnings: a plan's answer lists its templates' empty
// fields as warnings; the plan is saved and valid all the same.
func TestPlanTemplateWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	p := apptest.Decode[plans.Plan](t, e.Call("editor", "POST", "/api/v1/plans", apptest.PlanJSON("typhoon-warn", e.TypeID("typhoon"), "", ""), http.StatusCreated))
	got := map[string]bool{}
	for _, w := range p.TemplateWarnings {
		got[w.Location] = w.Message != ""
	}
	for _, want := range []string{"body.templates[0].instruction", "body.templates[0].cap.urgency", "body.templates[0].cap.event"} {
		if !got[want] {
			t.Errorf("no warning at %s in %+v", want, p.TemplateWarnings)
		}
	}
}
