package crises_test

import (
	"net/http"
	"regexp"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// TestDeclareAndActivate: declaring with "activate" ticked puts the
// type's one approved plan in force in the same step; the form offers it
// ticked.
func TestDeclareAndActivate(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World() // one approved typhoon plan
	boss, _ := e.SignedIn("boss", authz.Commander)
	apptest.WantBody(t, boss.Get("/desk/crises/new"), `id="crisis-activate" name="activate" type="checkbox" value="1" checked`)

	f := declareForm(e, "Typhoon Doksuri")
	f.Set("activate", "1")
	res := boss.PostForm("/desk/crises/new", f)
	m := regexp.MustCompile(`^/desk/crises/(\d+)\?done=activated$`).FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("declare and activate: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	var id int64
	for _, ch := range m[1] {
		id = id*10 + int64(ch-'0')
	}
	c, err := e.Store.Crises().Get(t.Context(), id)
	if err != nil || c.PlanID != w.Plan.ID || c.ActivatedAt.IsZero() {
		t.Fatalf("crisis %+v %v: want plan %d activated", c.PlanID, err, w.Plan.ID)
	}
}
