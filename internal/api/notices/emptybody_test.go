package notices_test

import (
	"fmt"
	"net/http"
	"testing"

	"crisisdesk/internal/api/notices"
	"crisisdesk/internal/app/apptest"
)

// TestActionsTakeAnEmptyBody: a workflow step is a POST with nothing in
// it — no Content-Type, zero length — as curl -X POST sends it. Return,
// which needs a reason, says so with the field named.
func TestActionsTakeAnEmptyBody(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	n := apptest.Decode[notices.Notice](t, e.Call("editor", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID), http.StatusCreated))
	path := noticePath(n.ID)
	for _, step := range []struct {
		who, action string
		want        int
	}{
		{"editor", "/submit", http.StatusOK},
		{"approver", "/return", http.StatusUnprocessableEntity},
		{"approver", "/approve", http.StatusOK},
		{"commander", "/publish", http.StatusOK},
		{"reviewer", "/review", http.StatusConflict}, // parsed: refused for its state, not its body
	} {
		res := e.Send(step.who, http.MethodPost, path+step.action, "", nil)
		if res.Status != step.want {
			t.Fatalf("POST %s with no body = %d, want %d: %s", step.action, res.Status, step.want, res.Body)
		}
		if step.action == "/return" && !apptest.WantProblem(t, res).Has("body.comment") {
			t.Errorf("return without a body does not name the comment: %s", res.Body)
		}
	}
}

// TestImportCAPOfficeLanguages: an upstream message in zh-TW, zh-CN and
// en-GB arrives as a draft in the office's zh-Hant, zh-Hans and en.
func TestImportCAPOfficeLanguages(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	info := func(lang, headline string) string {
		return `<info><language>` + lang + `</language><category>Met</category><event>Rain</event><urgency>Expected</urgency>
<severity>Moderate</severity><certainty>Likely</certainty><headline>` + headline + `</headline><description>` + headline + `</description>
<area><areaDesc>Taipei</areaDesc></area></info>`
	}
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>CWA-1</identifier><sender>cwa@example.org</sender>
<sent>2026-07-01T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>` +
		info("zh-TW", "大雨特報") + info("zh-CN", "大雨特报") + info("en-GB", "Heavy rain") + info("en-US", "Heavy rain (US)") + `</alert>`
	w := importCAP(e, "editor", "application/cap+xml", []byte(doc))
	if w.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", w.Status, w.Body)
	}
	n := apptest.Decode[notices.Notice](t, w)
	want := map[string]string{"zh-Hant": "大雨特報", "zh-Hans": "大雨特报", "en": "Heavy rain"}
	if len(n.Content) != len(want) {
		t.Fatalf("languages %v, want %v", n.Content, want)
	}
	for lang, headline := range want {
		if got := n.Content[lang].Headline; got != headline {
			t.Errorf("%s headline %q, want %q", lang, got, headline)
		}
	}
}

// TestDraftWithoutCAPFields: a public draft saves with CAP fields missing;
// submitting it is refused naming each missing field, and once they are
// given it goes.
func TestDraftWithoutCAPFields(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	body := apptest.NoticeJSON(crisisID, `"event": "Typhoon",`, ``, `"urgency": "Immediate",`, ``)
	n := apptest.Decode[notices.Notice](t, e.Call("editor", "POST", "/api/v1/notices", body, http.StatusCreated))
	if n.Status != "draft" || n.CAP.Event != "" {
		t.Fatalf("draft %+v", n)
	}
	// A bad code is still refused at once.
	if w := e.Do("editor", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID, `"Met"`, `"Weather"`)); w.Status != 422 ||
		!apptest.WantProblem(t, w).Has("body.cap.category") {
		t.Fatalf("bad category = %d %s", w.Status, w.Body)
	}
	w := e.Do("editor", "POST", noticePath(n.ID)+"/submit", "")
	if w.Status != http.StatusUnprocessableEntity {
		t.Fatalf("submit without CAP fields = %d %s", w.Status, w.Body)
	}
	p := apptest.WantProblem(t, w)
	if !p.Has("body.cap.event") || !p.Has("body.cap.urgency") {
		t.Errorf("submit refusal does not name the missing fields: %s", w.Body)
	}
	full := apptest.NoticeJSON(crisisID, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, n.Lock))
	e.Call("editor", "PUT", noticePath(n.ID), full, http.StatusOK)
	e.Call("editor", "POST", noticePath(n.ID)+"/submit", "", http.StatusOK)
}
