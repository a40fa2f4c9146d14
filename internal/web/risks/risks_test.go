package risks_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/sheet/xlsx"
)

// The default register is there on a fresh install, on the heat map and
// in the register, in the reader's language.
func TestDefaultRegister(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	b, _ := e.SignedIn("olive", authz.Observer)
	res := b.Get("/desk/risks")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="risk-heatmap"`, "Information is released slowly or unclearly, and the public panics",
		"The team coordinates poorly", `class="badge band-high"`, `id="heat-0-4"`)
	if strings.Contains(res.Body, `id="risk-new"`) {
		t.Error("an observer is offered to raise a risk")
	}
	for lang, want := range map[string]string{"zh-Hant": "資訊發布遲緩或不清晰，引致公眾恐慌", "zh-Hans": "信息发布迟缓或不清晰，引致公众恐慌"} {
		reader := e.SignIn(e.UserWith(account.NewUser{Name: "reader-" + lang, Role: authz.Observer, Language: lang}))
		apptest.WantBody(t, reader.Get("/desk/risks"), want)
	}

	res = b.Get("/desk/risks/register.xlsx")
	apptest.WantStatus(t, res, http.StatusOK)
	rows, err := xlsx.Read(strings.NewReader(res.Body))
	if err != nil || len(rows) != 6 || rows[1][6] != "4" {
		t.Fatalf("register workbook: %v %v", rows, err)
	}
}

func TestRiskFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	b := e.SignIn(w.Editor)
	good := url.Values{"description": {"Radio mast down"}, "category": {"external"}, "likelihood": {"2"}, "impact": {"4"}, "review_months": {"1"}}
	cases := []struct {
		name, field, value, id, want string
	}{
		{"impact off the scale", "impact", "9", "risk-impact", "Rate the impact from 1 to 5"},
		{"likelihood off the scale", "likelihood", "6", "risk-likelihood", "Rate the likelihood from 1 to 5"},
		{"no description", "description", "", "risk-description", "Describe the risk"},
	}
	for _, c := range cases {
		f := url.Values{}
		for k, v := range good {
			f[k] = v
		}
		f.Set(c.field, c.value)
		res := b.PostForm("/desk/risks/new", f)
		apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
		apptest.WantBody(t, res, `id="error-summary"`, `href="#`+c.id+`"`, c.want)
	}
	_, total, err := e.Store.Risks().List(t.Context(), risk.Filter{})
	if err != nil || total != len(risk.Defaults) {
		t.Fatalf("a refused form saved: %d %v", total, err)
	}
}

// A crisis raises a risk in one step; rating it up puts it on the
// dashboard, the crisis timeline and the owner's alerts.
func TestRaiseAndRateFromACrisis(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ed, cmd := e.SignIn(w.Editor), e.SignIn(w.Commander)
	li, liaison := e.SignedIn("lee", authz.Liaison)

	apptest.WantBody(t, ed.Get(fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)), fmt.Sprintf(`href="/desk/risks/new?crisis=%d"`, w.Crisis.ID))
	res := ed.Get(fmt.Sprintf("/desk/risks/new?crisis=%d", w.Crisis.ID))
	apptest.WantBody(t, res, `name="link_kind" value="crisis"`, fmt.Sprintf(`name="link_id" value="%d"`, w.Crisis.ID))
	res = ed.PostForm("/desk/risks/new", url.Values{"description": {"Shelters full before the peak"}, "category": {"external"},
		"likelihood": {"2"}, "impact": {"3"}, "review_months": {"1"}, "owner_id": {fmt.Sprint(liaison.ID)},
		"link_kind": {"crisis"}, "link_id": {fmt.Sprint(w.Crisis.ID)}})
	m := regexp.MustCompile(`^/desk/risks/(\d+)\?done=risk_created$`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	path := "/desk/risks/" + m[1]
	res = ed.PostForm(path+"/rate", url.Values{"likelihood": {"5"}, "impact": {"7"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, `href="#rate-impact"`, "Rate the impact from 1 to 5")
	res = ed.PostForm(path+"/rate", url.Values{"likelihood": {"5"}, "impact": {"5"}, "note": {"the river is rising"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = ed.Get(path)
	apptest.WantBody(t, res, "5 × 5 = 25", `id="risk-review-clock"`, "Review of risk R-", `class="badge band-extreme"`, `id="risk-trend">Rising`, "the river is rising")

	dash := cmd.Get("/desk")
	apptest.WantBody(t, dash, `id="dashboard-risks"`, "Shelters full before the peak", `class="badge band-extreme"`, `id="dashboard-risk-alerts"`, "Risk alerts for you: 2")
	apptest.WantBody(t, cmd.Get(fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)), "re-rated: likelihood 5, impact 5")
	apptest.WantBody(t, cmd.Get("/desk/risks"), `id="risk-alerts"`, "re-rated risk R-")

	// Mitigations: a missing owner is named; the owner records progress.
	res = ed.PostForm(path+"/mitigations", url.Values{"text": {"Open two more shelters"}, "due": {"2030-01-31"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `href="#mitigation-owner"`)
	res = ed.PostForm(path+"/mitigations", url.Values{"text": {"Open two more shelters"}, "due": {"2030-01-31"}, "owner_id": {fmt.Sprint(liaison.ID)}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	id := mustAtoi(t, m[1])
	ms, err := e.Store.Risks().Mitigations(t.Context(), id)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mitigations %v %v", ms, err)
	}
	res = li.PostForm(path+"/mitigation-track", url.Values{"mitigation": {fmt.Sprint(ms[0].ID)}, "status": {"in_progress"}, "note": {"one open"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, li.Get(path), "one open", "In progress")
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A link to nothing is refused beside the link form's number.
func TestLinkToNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ed := e.SignIn(w.Editor)
	list, _, err := e.Store.Risks().List(t.Context(), risk.Filter{Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/desk/risks/%d", list[0].ID)
	res := ed.PostForm(path+"/link", url.Values{"link_kind": {"drill"}, "link_id": {"99999"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `href="#link-id"`, `id="link-id-error"`)
	res = ed.PostForm(path+"/link", url.Values{"link_kind": {"crisis"}, "link_id": {fmt.Sprint(w.Crisis.ID)}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, ed.Get(path), fmt.Sprintf(`href="/desk/crises/%d"`, w.Crisis.ID))
}
