package plans_test

import (
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// TestPlanWarnsAboutIncompleteTemplates: a plan whose template lacks what
// a notice needs is saved, and its page warns, naming each empty field;
// the form carries the template's CAP fields, and once they are given the
// warning goes.
func TestPlanWarnsAboutIncompleteTemplates(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	ed, _ := e.SignedIn("planner", authz.Editor)
	id := planID(t, ed.PostForm("/desk/plans/new", planForm(e, "typhoon-gaps")))
	res := ed.Get("/desk/plans/" + id)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="plan-template-gaps"`, "Template 1 (English, level I): “What the public should do” is empty.",
		"Template 1 (English, level I): “CAP · Urgency” is empty.")

	edit := ed.Get("/desk/plans/" + id + "/edit")
	f := planForm(e, "typhoon-gaps")
	f.Set("lock", lockOf(t, edit.Body))
	for k, v := range map[string]string{"instruction": "Keep away from the shore.", "contact": "Hotline 1823", "cap_event": "Typhoon",
		"cap_category": "Met", "cap_urgency": "Expected", "cap_severity": "Extreme", "cap_certainty": "Likely", "cap_area": "{{location}}"} {
		f.Set("templates[0]."+k, v)
	}
	planID(t, ed.PostForm("/desk/plans/"+id+"/edit", f))
	res = ed.Get("/desk/plans/" + id)
	if strings.Contains(res.Body, `id="plan-template-gaps"`) {
		t.Errorf("a complete template still warns:\n%s", apptest.Snippet(res.Body))
	}
	apptest.WantBody(t, ed.Get("/desk/plans/"+id+"/edit"), `value="Expected"`, "Keep away from the shore.")
}
