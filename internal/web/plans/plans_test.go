package plans_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// planForm is a valid new plan with one step.
func planForm(e *apptest.Env, code string) url.Values {
	return url.Values{
		"code": {code}, "type_id": {fmt.Sprint(e.Typhoon().ID)}, "title": {"Typhoon response"},
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

func planID(t *testing.T, res apptest.Response) string {
	t.Helper()
	m := regexp.MustCompile(`^/desk/plans/(\d+)\?done=(created|saved|new_version)$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("save plan: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	return m[1]
}

func lockOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no lock in the form\n%s", apptest.Snippet(body))
	}
	return m[1]
}

func TestPlanEditorFieldErrorsAndRows(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	ed, _ := e.SignedIn("ed", authz.Editor)

	f := planForm(e, "typhoon")
	f.Set("add", "steps")
	res := ed.PostForm("/desk/plans/new", f)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `name="steps[1].title"`, `value="Open the operations room"`)

	f = planForm(e, "typhoon")
	f.Set("steps[1].title", "Second step")
	f.Set("steps[1].owner", "role:editor")
	f.Set("steps[1].levels", "I")
	f.Set("steps[1].deadline", "soon")
	f.Set("templates[0].body", "Near {{colour}}")
	res = ed.PostForm("/desk/plans/new", f)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="steps-1-deadline-error"`, "Write a duration such as 30m, 4h or 2d.",
		`id="templates-0-body-error"`, "Unknown placeholder {{colour}}.", `value="soon"`, `id="form-error"`)
	if strings.Contains(res.Body, `id="steps-0-deadline-error"`) {
		t.Error("the good row is marked too")
	}

	// A row marked for removal goes; a blank row is ignored.
	f.Set("steps[1].remove", "1")
	f.Set("templates[0].body", "Near {{area}}")
	f.Set("steps[2].phase", "response")
	id := planID(t, ed.PostForm("/desk/plans/new", f))
	p, err := e.Store.Plans().Get(context.Background(), mustInt64(id))
	if err != nil || len(p.Body.Steps) != 1 || len(p.Body.Steps[0].Checklist) != 2 || p.Body.Matrix[0].Channels[1] != "sms" {
		t.Fatalf("stored: %+v %v", p.Body, err)
	}

	// The plan shows its durations and channels in words, in the page's
	// language, never as the codes typed.
	page := ed.Get("/desk/plans/" + id)
	apptest.WantStatus(t, page, http.StatusOK)
	words := map[string][]string{
		"zh-Hant": {"<td>網站、短訊</td><td>每 1 小時</td>", "<td>30 分鐘</td>", "12 小時"},
		"zh-Hans": {"<td>网站、短信</td><td>每 1 小时</td>", "<td>30 分钟</td>", "12 小时"},
		"en":      {"<td>Website, SMS</td><td>every 1 hour</td>", "<td>30 minutes</td>", "12 hours"},
	}
	lang := regexp.MustCompile(`<html lang="([^"]+)"`).FindStringSubmatch(page.Body)
	if lang == nil || words[lang[1]] == nil {
		t.Fatalf("plan page in no known language: %v", lang)
	}
	apptest.WantBody(t, page, words[lang[1]]...)
	for _, code := range []string{">web, sms<", ">1h<", ">30m<"} {
		if strings.Contains(page.Body, code) {
			t.Errorf("the plan page shows the code %q", code)
		}
	}
}

func mustInt64(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

func TestPlanStaleSave(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	ed, _ := e.SignedIn("ed", authz.Editor)
	other, _ := e.SignedIn("other", authz.Editor)
	id := planID(t, ed.PostForm("/desk/plans/new", planForm(e, "typhoon")))

	page := ed.Get("/desk/plans/" + id + "/edit")
	apptest.WantStatus(t, page, http.StatusOK)
	f := planForm(e, "typhoon")
	f.Set("lock", lockOf(t, page.Body))
	f.Set("title", "First save")
	planID(t, other.PostForm("/desk/plans/"+id+"/edit", f))

	f.Set("title", "Second save")
	f.Del("csrf_token") // the other browser's
	res := ed.PostForm("/desk/plans/"+id+"/edit", f)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "Someone else changed this record while you were editing.", `value="Second save"`)
	apptest.WantBody(t, ed.Get("/desk/plans/"+id), "First save")
}

func TestPlanSignOff(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	ed, edUser := e.SignedIn("ed", authz.Editor)
	rv, _ := e.SignedIn("rv", authz.Reviewer)
	boss, _ := e.SignedIn("boss", authz.Commander)
	ap, _ := e.SignedIn("ap", authz.Approver)
	id := planID(t, ed.PostForm("/desk/plans/new", planForm(e, "typhoon")))
	plan := "/desk/plans/" + id

	apptest.WantStatus(t, rv.PostForm(plan+"/submit", nil), http.StatusForbidden)
	apptest.WantStatus(t, ed.PostForm(plan+"/submit", url.Values{"comment": {"ready"}}), http.StatusSeeOther)

	// Returning needs a reason.
	res := rv.PostForm(plan+"/review", url.Values{"decision": {"return"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Say why the plan goes back.")

	// The author cannot review their own plan, even with the role.
	if _, err := e.Store.Accounts().UpdateUser(context.Background(), apptest.CLI, edUser.ID, account.UserUpdate{
		DisplayName: edUser.DisplayName, Role: authz.Reviewer, Language: edUser.Language, Version: edUser.Version}); err != nil {
		t.Fatal(err)
	}
	res = ed.PostForm(plan+"/review", nil)
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, "Refused: three different people must sign a plan.", "Waiting for review")

	apptest.WantStatus(t, rv.PostForm(plan+"/review", url.Values{"comment": {"looks right"}}), http.StatusSeeOther)
	// The reviewer cannot also approve: the route needs another role, and a
	// commander who wrote nothing may.
	apptest.WantStatus(t, rv.PostForm(plan+"/approve", nil), http.StatusForbidden)
	res = ap.Get(plan)
	apptest.WantBody(t, res, `id="approve-form"`, "looks right", "rv")
	apptest.WantStatus(t, boss.PostForm(plan+"/approve", url.Values{"comment": {"approved"}}), http.StatusSeeOther)
	res = ap.Get(plan)
	apptest.WantBody(t, res, "Approved, in force", "Submitted (drafted)", "Reviewed", "Approved", "ready", "looks right")
	if strings.Contains(res.Body, `id="approve-form"`) {
		t.Error("an approved plan still offers approval")
	}
	// Approving twice: the page says the step is gone.
	res = ap.PostForm(plan+"/approve", nil)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "This version is no longer at this step")

	// Editing the approved version makes version 2, a draft.
	page := boss.Get(plan + "/edit")
	apptest.WantBody(t, page, "Saving creates a new draft, version 2")
	f := planForm(e, "typhoon")
	f.Set("lock", lockOf(t, page.Body))
	f.Set("title", "Typhoon response, revised")
	res = boss.PostForm(plan+"/edit", f)
	v2 := planID(t, res)
	if !strings.HasSuffix(res.Location(), "done=new_version") || v2 == id {
		t.Fatalf("Location %q", res.Location())
	}
	apptest.WantBody(t, boss.Get("/desk/plans/"+v2+"?done=new_version"), "Saved as a new draft version.", "Version 1 is the one in force.")
	apptest.WantBody(t, boss.Get(plan+"/edit"), "A newer version of this plan is already being prepared.")
	apptest.WantBody(t, boss.Get("/desk/plans"), "Typhoon response, revised", "v1 in force")
}

func TestSelfApprovalRefused(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	boss, _ := e.SignedIn("boss", authz.Commander)
	rv, _ := e.SignedIn("rv", authz.Reviewer)
	id := planID(t, boss.PostForm("/desk/plans/new", planForm(e, "typhoon")))
	apptest.WantStatus(t, boss.PostForm("/desk/plans/"+id+"/submit", nil), http.StatusSeeOther)
	apptest.WantStatus(t, rv.PostForm("/desk/plans/"+id+"/review", nil), http.StatusSeeOther)
	res := boss.PostForm("/desk/plans/"+id+"/approve", nil)
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, "three different people must sign a plan", "Waiting for approval")
}

func TestPlanPrintAndOffline(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	c, _ := e.SignedIn("watcher", authz.Observer)
	path := fmt.Sprintf("/desk/plans/%d", w.Plan.ID)

	apptest.WantBody(t, c.Get(path+"/print"), "Open the operations room", "Typhoon at {{location}}", "This copy was made")
	res := c.Get(path + "/offline")
	apptest.WantStatus(t, res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); cd != "attachment; filename=plan-typhoon-main-v1.html" {
		t.Errorf("Content-Disposition %q", cd)
	}
	apptest.WantBody(t, res, "<style>", ".level-bg-red", "Open the operations room", "Sandbags"[:0], "Stay indoors.")
	for _, outside := range []string{"<script", `<link`, `src="/`, `href="/`} {
		if strings.Contains(res.Body, outside) {
			t.Errorf("the offline copy needs the network: %s", outside)
		}
	}
	apptest.WantStatus(t, c.Get(path+"/edit"), http.StatusForbidden)
}
