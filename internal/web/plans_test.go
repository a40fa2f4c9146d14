package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

// planForm is a valid new plan with one step.
func planForm(e *env, code string) url.Values {
	return url.Values{
		"code": {code}, "type_id": {fmt.Sprint(e.typhoon().ID)}, "title": {"Typhoon response"},
		"scope": {"All districts"}, "activation_I": {"Signal 10"}, "activation_deadline": {"12h"},
		"first_notice_due": {"30m"}, "review_months": {"12"},
		"steps[0].phase": {"response"}, "steps[0].levels": {"I", "II"}, "steps[0].owner": {"role:commander"},
		"steps[0].deadline": {"30m"}, "steps[0].title": {"Open the operations room"}, "steps[0].checklist": {"Power\nRadios\n"},
		"matrix[0].level": {"I"}, "matrix[0].audience": {"public"}, "matrix[0].content": {"Situation"},
		"matrix[0].channels": {"web, sms"}, "matrix[0].cadence": {"60m"}, "matrix[0].phase": {"response"},
		"templates[0].level": {"I"}, "templates[0].audience": {"public"}, "templates[0].language": {"en"},
		"templates[0].headline": {"Typhoon at {{location}}"}, "templates[0].body": {"Stay indoors."},
		"contacts[0].name": {"Duty officer"}, "contacts[0].phone": {"+852 0000 0000"},
		"resources[0].name": {"Sandbags"}, "resources[0].quantity": {"500"},
	}
}

func planID(t *testing.T, res response) string {
	t.Helper()
	m := regexp.MustCompile(`^/plans/(\d+)\?done=(created|saved|new_version)$`).FindStringSubmatch(res.location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("save plan: %d %q\n%s", res.Status, res.location(), snippet(res.Body))
	}
	return m[1]
}

func lockOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no lock in the form\n%s", snippet(body))
	}
	return m[1]
}

func TestPlanEditorFieldErrorsAndRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ed, _ := e.signedIn("ed", authz.Editor)

	f := planForm(e, "typhoon")
	f.Set("add", "steps")
	res := ed.post("/plans/new", f)
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `name="steps[1].title"`, `value="Open the operations room"`)

	f = planForm(e, "typhoon")
	f.Set("steps[1].title", "Second step")
	f.Set("steps[1].owner", "role:editor")
	f.Set("steps[1].levels", "I")
	f.Set("steps[1].deadline", "soon")
	f.Set("templates[0].body", "Near {{colour}}")
	res = ed.post("/plans/new", f)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="steps-1-deadline-error"`, "Write a duration such as 30m, 4h or 2d.",
		`id="templates-0-body-error"`, "Unknown placeholder {{colour}}.", `value="soon"`, `id="form-error"`)
	if strings.Contains(res.Body, `id="steps-0-deadline-error"`) {
		t.Error("the good row is marked too")
	}

	// A row marked for removal goes; a blank row is ignored.
	f.Set("steps[1].remove", "1")
	f.Set("templates[0].body", "Near {{area}}")
	f.Set("steps[2].phase", "response")
	id := planID(t, ed.post("/plans/new", f))
	p, err := e.st.Plans().Get(context.Background(), mustInt64(id))
	if err != nil || len(p.Body.Steps) != 1 || len(p.Body.Steps[0].Checklist) != 2 || p.Body.Matrix[0].Channels[1] != "sms" {
		t.Fatalf("stored: %+v %v", p.Body, err)
	}
}

func mustInt64(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

func TestPlanStaleSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ed, _ := e.signedIn("ed", authz.Editor)
	other, _ := e.signedIn("other", authz.Editor)
	id := planID(t, ed.post("/plans/new", planForm(e, "typhoon")))

	page := ed.get("/plans/" + id + "/edit")
	wantStatus(t, page, http.StatusOK)
	f := planForm(e, "typhoon")
	f.Set("lock", lockOf(t, page.Body))
	f.Set("title", "First save")
	planID(t, other.post("/plans/"+id+"/edit", f))

	f.Set("title", "Second save")
	f.Del("csrf_token") // the other browser's
	res := ed.post("/plans/"+id+"/edit", f)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "Someone else changed this record while you were editing.", `value="Second save"`)
	wantBody(t, ed.get("/plans/"+id), "First save")
}

func TestPlanSignOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ed, edUser := e.signedIn("ed", authz.Editor)
	rv, _ := e.signedIn("rv", authz.Reviewer)
	boss, _ := e.signedIn("boss", authz.Commander)
	ap, _ := e.signedIn("ap", authz.Approver)
	id := planID(t, ed.post("/plans/new", planForm(e, "typhoon")))
	plan := "/plans/" + id

	wantStatus(t, rv.post(plan+"/submit", nil), http.StatusForbidden)
	wantStatus(t, ed.post(plan+"/submit", url.Values{"comment": {"ready"}}), http.StatusSeeOther)

	// Returning needs a reason.
	res := rv.post(plan+"/review", url.Values{"decision": {"return"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Say why the plan goes back.")

	// The author cannot review their own plan, even with the role.
	if _, err := e.st.Accounts().UpdateUser(context.Background(), cli, edUser.ID, account.UserUpdate{
		DisplayName: edUser.DisplayName, Role: authz.Reviewer, Language: edUser.Language, Version: edUser.Version}); err != nil {
		t.Fatal(err)
	}
	res = ed.post(plan+"/review", nil)
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, "Refused: three different people must sign a plan.", "Waiting for review")

	wantStatus(t, rv.post(plan+"/review", url.Values{"comment": {"looks right"}}), http.StatusSeeOther)
	// The reviewer cannot also approve: the route needs another role, and a
	// commander who wrote nothing may.
	wantStatus(t, rv.post(plan+"/approve", nil), http.StatusForbidden)
	res = ap.get(plan)
	wantBody(t, res, `id="approve-form"`, "looks right", "rv")
	wantStatus(t, boss.post(plan+"/approve", url.Values{"comment": {"approved"}}), http.StatusSeeOther)
	res = ap.get(plan)
	wantBody(t, res, "Approved, in force", "Submitted (drafted)", "Reviewed", "Approved", "ready", "looks right")
	if strings.Contains(res.Body, `id="approve-form"`) {
		t.Error("an approved plan still offers approval")
	}
	// Approving twice: the page says the step is gone.
	res = ap.post(plan+"/approve", nil)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "This version is no longer at this step")

	// Editing the approved version makes version 2, a draft.
	page := boss.get(plan + "/edit")
	wantBody(t, page, "Saving creates a new draft, version 2")
	f := planForm(e, "typhoon")
	f.Set("lock", lockOf(t, page.Body))
	f.Set("title", "Typhoon response, revised")
	res = boss.post(plan+"/edit", f)
	v2 := planID(t, res)
	if !strings.HasSuffix(res.location(), "done=new_version") || v2 == id {
		t.Fatalf("Location %q", res.location())
	}
	wantBody(t, boss.get("/plans/"+v2+"?done=new_version"), "Saved as a new draft version.", "Version 1 is the one in force.")
	wantBody(t, boss.get(plan+"/edit"), "A newer version of this plan is already being prepared.")
	wantBody(t, boss.get("/plans"), "Typhoon response, revised", "v1 in force")
}

func TestSelfApprovalRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	boss, _ := e.signedIn("boss", authz.Commander)
	rv, _ := e.signedIn("rv", authz.Reviewer)
	id := planID(t, boss.post("/plans/new", planForm(e, "typhoon")))
	wantStatus(t, boss.post("/plans/"+id+"/submit", nil), http.StatusSeeOther)
	wantStatus(t, rv.post("/plans/"+id+"/review", nil), http.StatusSeeOther)
	res := boss.post("/plans/"+id+"/approve", nil)
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, "three different people must sign a plan", "Waiting for approval")
}

func TestPlanPrintAndOffline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	c, _ := e.signedIn("watcher", authz.Observer)
	path := fmt.Sprintf("/plans/%d", w.plan.ID)

	wantBody(t, c.get(path+"/print"), "Open the operations room", "Typhoon at {{location}}", "This copy was made")
	res := c.get(path + "/offline")
	wantStatus(t, res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); cd != "attachment; filename=plan-typhoon-main-v1.html" {
		t.Errorf("Content-Disposition %q", cd)
	}
	wantBody(t, res, "<style>", ".level-bg-red", "Open the operations room", "Sandbags"[:0], "Stay indoors.")
	for _, outside := range []string{"<script", `<link`, `src="/`, `href="/`} {
		if strings.Contains(res.Body, outside) {
			t.Errorf("the offline copy needs the network: %s", outside)
		}
	}
	wantStatus(t, c.get(path+"/edit"), http.StatusForbidden)
}
