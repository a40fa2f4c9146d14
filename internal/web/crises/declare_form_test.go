package crises_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
)

// The declaration form starts on no level and no occurrence (unknown: the
// clocks count from detection), says which crisis types have an approved
// plan, and is reached from the dashboard and from a plan's page, which
// chooses its type.
func TestDeclareFormStartsEmptyAndNamesPlans(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss := e.SignIn(w.Commander)
	editor := e.SignIn(w.Editor)

	res := boss.Get("/desk/crises/new")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<option value="" selected>Choose…</option>`, `id="crisis-type-hint"`,
		fmt.Sprintf(`<option value="%d" data-planned>Typhoon ✓ approved plan</option>`, w.Type.ID), `id="crisis-occurred-hint"`)
	occurred := regexp.MustCompile(`<input id="crisis-occurred"[^>]*>`).FindString(res.Body)
	if strings.Contains(occurred, "required") || strings.Contains(occurred, `value="2`) {
		t.Errorf("the occurrence is required or filled in: %s", occurred)
	}
	if regexp.MustCompile(`<option value="I+V?"[^>]* selected`).MatchString(res.Body) {
		t.Error("a level is chosen before anyone chose one")
	}

	// A plan's page offers to declare with it; the form chooses its type.
	res = boss.Get(fmt.Sprintf("/desk/plans/%d", w.Plan.ID))
	apptest.WantBody(t, res, fmt.Sprintf(`id="plan-declare" href="/desk/crises/new?plan_id=%d"`, w.Plan.ID), "Declare a crisis with this plan")
	if strings.Contains(editor.Get(fmt.Sprintf("/desk/plans/%d", w.Plan.ID)).Body, `id="plan-declare"`) {
		t.Error("an editor, who may not declare, is offered to")
	}
	res = boss.Get(fmt.Sprintf("/desk/crises/new?plan_id=%d", w.Plan.ID))
	apptest.WantBody(t, res, `id="declare-plan"`, w.Plan.Title, fmt.Sprintf(`<option value="%d" data-planned selected>`, w.Type.ID),
		fmt.Sprintf(`name="plan_id" value="%d"`, w.Plan.ID))

	// The dashboard offers it to those who may declare.
	apptest.WantBody(t, boss.Get("/desk"), `id="dashboard-declare" href="/desk/crises/new"`)
	if strings.Contains(editor.Get("/desk").Body, `id="dashboard-declare"`) {
		t.Error("an editor is offered to declare")
	}

	for _, tc := range []struct {
		name      string
		change    url.Values
		wantField string // the summary's link
		want      string
	}{
		{"no level", url.Values{"level": {""}}, "crisis-level", "Level: Choose level I, II, III or IV."},
		{"an occurrence in the future", url.Values{"occurred_at": {time.Now().UTC().Add(2 * time.Hour).Format("2006-01-02T15:04")}},
			"crisis-occurred", "Occurred: Enter when it happened, not in the future."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := declareForm(e, "Typhoon Koinu")
			for k, v := range tc.change {
				f[k] = v
			}
			res := boss.PostForm("/desk/crises/new", f)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			apptest.WantBody(t, res, "<title>Error: ", fmt.Sprintf(`<a href="#%s">%s</a>`, tc.wantField, tc.want))
		})
	}

	// Unknown occurrence: declared, counting from detection.
	f := declareForm(e, "Typhoon Koinu")
	f.Del("occurred_at")
	id := crisisID(t, boss.PostForm("/desk/crises/new", f))
	apptest.WantStatus(t, boss.Get("/desk/crises/"+id), http.StatusOK)
}
