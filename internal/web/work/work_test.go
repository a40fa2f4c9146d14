package work_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/workplan"
)

func TestProgrammeFromTemplate(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC))
	e := apptest.New(t, apptest.Options{Clock: clk})
	w := e.World()
	ed := e.SignIn(w.Editor)
	res := ed.PostForm("/desk/work", url.Values{"title": {"Programme 2027"}, "starts_on": {"2027-01-04"}, "template": {"1"}})
	m := regexp.MustCompile(`^/desk/work/(\d+)\?done=programme_created$`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	path := "/desk/work/" + m[1]
	res = ed.Get(path)
	apptest.WantStatus(t, res, http.StatusOK)
	// The timeline: an SVG with its text alternative, today's line, and
	// the platform sub-task (days 0–29, not done) marked overdue.
	apptest.WantBody(t, res, `<svg`, `role="img"`, `id="gantt-title"`, `id="gantt-today"`, "Build the information release system",
		"Set up the notice platform and its channels", `class="gantt-row overdue"`, `id="work-tasks"`, `id="work-overdue-count"`)
	if n := strings.Count(res.Body, `class="gantt-row`); n != 15 {
		t.Fatalf("%d bars, want 15", n)
	}

	id := mustAtoi(t, m[1])
	tasks, err := e.Store.Work().Tasks(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]workplan.Task{}
	for _, x := range tasks {
		byKey[x.Key] = x
	}
	plat, tpl := byKey["release.platform"], byKey["release.templates"]
	edit := fmt.Sprintf("%s/tasks/%d", path, plat.ID)
	apptest.WantBody(t, ed.Get(edit), `name="depends_on"`, "Set up the notice platform")
	form := url.Values{"lock": {fmt.Sprint(plat.Lock)}, "title": {""}, "start": {"2027-01-04"}, "end": {"2027-02-02"},
		"importance": {"critical"}, "status": {"in_progress"}, "percent": {"60"}, "depends_on": {fmt.Sprint(tpl.ID)}}
	res = ed.PostForm(edit, form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, "would make a cycle")
	form.Set("end", "2027-01-01")
	form.Del("depends_on")
	res = ed.PostForm(edit, form)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `href="#task-end"`, "a task ends on or after the day it starts")
	form.Set("end", "2027-02-02")
	form.Set("status", "done")
	apptest.WantStatus(t, ed.PostForm(edit, form), http.StatusSeeOther)

	res = ed.Get(path + "/work-plan.xlsx")
	apptest.WantStatus(t, res, http.StatusOK)
	rows, err := xlsx.Read(strings.NewReader(res.Body))
	if err != nil || len(rows) != 16 || rows[2][0] != "Set up the notice platform and its channels" || rows[2][6] != "100" {
		t.Fatalf("workbook: %v %v", rows, err)
	}
	// An observer reads the plan, without the forms.
	obs, _ := e.SignedIn("olive", authz.Observer)
	res = obs.Get(path)
	apptest.WantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="task-form"`) {
		t.Error("an observer is offered the task form")
	}
	apptest.WantStatus(t, obs.PostForm(path+"/tasks", url.Values{"title": {"x"}}), http.StatusForbidden)
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
