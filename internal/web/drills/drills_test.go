package drills_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/drill"
)

// drillForm is a valid new-drill form for w's plan, in the office's zone
// (UTC in tests).
func drillForm(e *apptest.Env, w apptest.World) url.Values {
	d := e.DrillDetails(w)
	return url.Values{"title": {d.Title}, "plan_id": {fmt.Sprint(w.Plan.ID)}, "kind": {"functional"}, "level": {"III"},
		"objectives[0].text": {"First public notice on time"}, "objectives[0].clocks": {"first_notice"},
		"objectives[0].steps": {w.Plan.Body.Steps[0].Key},
		"scenario":            {"Signal 8 at dawn"}, "starts_at": {d.StartsAt.Format("2006-01-02T15:04")},
		"ends_at": {d.EndsAt.Format("2006-01-02T15:04")}, "venue": {"Operations room"}, "equipment": {"Radios\nSandbags"},
		"users": {fmt.Sprint(w.Editor.ID)}, "outsiders[0].name": {"Press officer"}, "outsiders[0].organisation": {"Radio"},
		"controller_id": {fmt.Sprint(w.Commander.ID)}, "observers": {fmt.Sprint(w.Reviewer.ID)}, "evaluators": {fmt.Sprint(w.Reviewer.ID)}}
}

func TestDrillFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	cases := []struct {
		name   string
		change map[string]string
		field  string // the id the summary links to
		want   string // the message beside the field
	}{
		{"no title", map[string]string{"title": ""}, "drill-title", "Give the drill a title"},
		{"end before start", map[string]string{"ends_at": "2020-01-01T00:00"}, "drill-ends-at", "Give an end after the start"},
		{"unparsable start", map[string]string{"starts_at": "tomorrow"}, "drill-starts-at", "Give the start as a date and time"},
		{"unknown step", map[string]string{"objectives[0].steps": "zz9"}, "objectives[0].text", "at least one plan step (of this plan)"},
		{"no observers", map[string]string{"observers": "", "evaluators": ""}, "observers-1", "Observers: Name at least one observer"},
		{"no plan", map[string]string{"plan_id": ""}, "drill-plan-id", "Choose the plan version under test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := drillForm(e, w)
			for k, v := range c.change {
				if v == "" {
					f.Del(k)
				} else {
					f.Set(k, v)
				}
			}
			res := b.PostForm("/desk/drills/new", f)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, `id="error-summary"`, `href="#`+c.field+`"`, c.want, `class="field-error"`)
		})
	}
	if list, total, err := e.Store.Drills().List(t.Context(), drill.Filter{}); err != nil || total != 0 {
		t.Fatalf("a refused form saved %v %v", list, err)
	}
}

func TestDrillFromPlanToSafetyStop(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	editor, approver, commander := e.SignIn(w.Editor), e.SignIn(w.Approver), e.SignIn(w.Commander)
	reviewer := e.SignIn(w.Reviewer)

	res := editor.PostForm("/desk/drills/new", drillForm(e, w))
	m := regexp.MustCompile(`^/desk/drills/(\d+)\?done=drill_created$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page := "/desk/drills/" + m[1]
	res = editor.Get(page + "?done=drill_created")
	apptest.WantBody(t, res, "Typhoon functional drill", "EXERCISE", "Planned", "Press officer", "Sandbags",
		`id="safety-form"`, "Not signed yet")
	apptest.WantBody(t, editor.Get("/desk/drills"), "Typhoon functional drill", `id="drill-row-`+m[1]+`"`)
	apptest.WantBody(t, editor.Get(page+"/edit"), `value="Operations room"`, `value="first_notice"`)

	// The form keeps the lock: a second save on the old one is refused.
	lockRe := regexp.MustCompile(`name="lock" value="(\d+)"`)
	lock := lockRe.FindStringSubmatch(res.Body)[1]
	// An incomplete assessment saves, but is not signed.
	gate := url.Values{"lock": {lock}, "hazards": {"Slippery floor"}, "measures": {""}, "officer_id": {fmt.Sprint(w.Reviewer.ID)}, "stop_word": {"REDLINE"}}
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusSeeOther)
	res = approver.PostForm(page+"/sign", nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="safety-errors"`, "List the protective measures")
	gate.Set("lock", lockRe.FindStringSubmatch(editor.Get(page).Body)[1])
	gate.Set("measures", "Mats\nFirst-aid kit")
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusSeeOther)
	apptest.WantStatus(t, editor.PostForm(page+"/safety", gate), http.StatusConflict) // the old lock

	// The author does not sign; the start waits for the signature.
	apptest.WantStatus(t, editor.PostForm(page+"/sign", nil), http.StatusForbidden)
	res = commander.PostForm(page+"/start", nil)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "the drill is Planned")
	apptest.WantStatus(t, approver.PostForm(page+"/sign", nil), http.StatusSeeOther)
	apptest.WantBody(t, approver.Get(page+"?done=drill_signed"), "The safety gate is signed", "Signed by fx-approver")

	res = commander.PostForm(page+"/start", nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = commander.Get(page + "?done=drill_started")
	apptest.WantBody(t, res, "Running", `id="drill-crisis"`, `id="stop-form"`, `id="end-form"`)
	crisisPath := regexp.MustCompile(`href="(/desk/crises/\d+)"`).FindStringSubmatch(res.Body)[1]
	apptest.WantBody(t, commander.Get(crisisPath), "EXERCISE", "Open the operations room", "Drill")

	// The safety officer (the reviewer) stops it; everyone on it is told.
	res = reviewer.PostForm(page+"/stop", url.Values{"reason": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Say why the drill stops")
	apptest.WantStatus(t, reviewer.PostForm(page+"/stop", url.Values{"reason": {"Smoke in the stairwell"}}), http.StatusSeeOther)
	res = editor.Get(page)
	apptest.WantBody(t, res, "Stopped for safety", "SAFETY STOP", "Smoke in the stairwell", `id="drill-report-due"`)
	if strings.Contains(res.Body, `id="stop-form"`) {
		t.Error("an ended drill still offers the stop")
	}
}

func TestChecklistPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	editor, approver := e.SignIn(w.Editor), e.SignIn(w.Approver)
	res := editor.Get("/desk/drills/checklist")
	apptest.WantBody(t, res, "Default safety checklist", "disabled")
	apptest.WantStatus(t, editor.PostForm("/desk/drills/checklist", url.Values{"hazards": {"x"}, "measures": {"y"}}), http.StatusForbidden)
	res = approver.PostForm("/desk/drills/checklist", url.Values{"hazards": {""}, "measures": {"y"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "List the hazards")
	apptest.WantStatus(t, approver.PostForm("/desk/drills/checklist", url.Values{"hazards": {"Live cables"}, "measures": {"Cover them"}}), http.StatusSeeOther)
	apptest.WantBody(t, editor.Get("/desk/drills/checklist"), "Live cables")
}
