package notices_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/api/notices"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/feed/cap/captest"
)

// issueBody is the create body of issue 4, verbatim but for the crisis id:
// outside tools script against it.
func issueBody(crisisID string) string {
	return `{"crisis_id": "` + crisisID + `", "kind": "alert", "audience": "public",
 "content": {"zh-Hant": {"headline": "…", "body": "…", "instruction": "…"}, "en": {"headline": "…", "body": "…"}},
 "cap": {"event": "…", "category": "Met", "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
         "area": {"description": "…", "polygons": ["22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"]}}}`
}

func TestCreateNotice(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	id := fmt.Sprint(crisisID)
	ok := apptest.NoticeJSON(crisisID)
	cases := []struct {
		name, who, body string
		want            int
		loc             string
	}{
		{"the issue's body, crisis_id a string", "editor", issueBody(id), 201, ""},
		{"crisis_id a number", "editor", ok, 201, ""},
		{"standalone", "editor", strings.Replace(ok, `"crisis_id": `+id+`,`, ``, 1), 201, ""},
		{"crisis_id not a number", "editor", issueBody("abc"), 422, "body.crisis_id"},
		{"unknown crisis", "editor", issueBody("99999"), 422, "body.crisis_id"},
		{"no language", "editor", `{"crisis_id": "` + id + `", "audience": "public", "content": {}}`, 422, "body.content"},
		{"empty headline", "editor", apptest.NoticeJSON(crisisID, `"Typhoon warning"`, `" "`), 422, "body.content.en.headline"},
		{"empty zh-Hant body", "editor", apptest.NoticeJSON(crisisID, `"請留在室內。"`, `""`), 422, "body.content.zh-Hant.body"},
		{"bad language", "editor", apptest.NoticeJSON(crisisID, `"en":`, `"!!":`), 422, "body.content.!!.language"},
		{"open polygon", "editor", apptest.NoticeJSON(crisisID, `22.5,114.2 22.5,114.0`, `22.5,114.2 22.7,114.0`), 422, "body.cap.area.polygons[0]"},
		{"three points", "editor", apptest.NoticeJSON(crisisID, `22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0`, `22.5,114.0 22.6,114.1 22.5,114.0`), 422, "body.cap.area.polygons[0]"},
		{"bad circle", "editor", apptest.NoticeJSON(crisisID, `22.3,114.2 5`, `22.3,114.2`), 422, "body.cap.area.circles[0]"},
		{"expires before effective", "editor", apptest.NoticeJSON(crisisID, `2026-07-01T20:00:00Z`, `2026-07-01T07:00:00Z`), 422, "body.cap.expires"},
		{"bad category", "editor", apptest.NoticeJSON(crisisID, `"Met"`, `"Weather"`), 422, "body.cap.category"},
		{"unknown kind", "editor", apptest.NoticeJSON(crisisID, `"alert"`, `"rumour"`), 422, "body.kind"},
		{"a correction is made from its original", "editor", apptest.NoticeJSON(crisisID, `"alert"`, `"correction"`), 422, "body.kind"},
		{"internal needs recipients", "editor", apptest.NoticeJSON(crisisID, `"public"`, `"internal"`), 422, "body.departments"},
		{"vertical tab in a headline", "editor", apptest.NoticeJSON(crisisID, `"Typhoon warning"`, `"Typhoon\u000bwarning"`), 422, "body.content.en.headline"},
		{"NUL in a body", "editor", apptest.NoticeJSON(crisisID, `"請留在室內。"`, `"請留在\u0000室內。"`), 422, "body.content.zh-Hant.body"},
		{"escape in a contact", "editor", apptest.NoticeJSON(crisisID, `"1823"`, `"\u001b[2J1823"`), 422, "body.content.en.contact"},
		{"control in the event", "editor", apptest.NoticeJSON(crisisID, `"Typhoon"`, `"Typh\u0007oon"`), 422, "body.cap.event"},
		{"observer may not draft", "observer", ok, 403, ""},
	}
	for _, c := range cases {
		w := e.Do(c.who, "POST", "/api/v1/notices", c.body)
		if w.Status != c.want {
			t.Errorf("%s: %d, want %d; %.600s", c.name, w.Status, c.want, w.Body)
			continue
		}
		if w.Status >= 400 {
			if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
			continue
		}
		n := apptest.Decode[notices.Notice](t, w)
		if n.ID == 0 || n.Status != "draft" || n.AuthorID != e.Users["editor"].ID || w.Header.Get("Location") != noticePath(n.ID) ||
			len(n.Content) != 2 || n.Content["zh-Hant"].Headline == "" || n.Languages[0] != "zh-Hant" || n.Kind != "alert" {
			t.Errorf("%s: %s", c.name, w.Body)
		}
	}
	got := apptest.Decode[notices.Notice](t, e.Do("observer", "GET", "/api/v1/notices/1", ""))
	if got.CrisisID != crisisID || !got.Exercise || got.Content["zh-Hant"].Instruction != "…" || got.CAP.Area.Polygons[0] == "" {
		t.Errorf("the issue's notice: %+v", got)
	}
	list := apptest.Decode[kit.List[notices.Notice]](t, e.Do("observer", "GET", "/api/v1/notices?crisis_id="+id+"&status=draft&limit=1", ""))
	if list.Total != 2 || len(list.Items) != 1 {
		t.Errorf("list %+v", list)
	}
	if w := e.Do("observer", "GET", "/api/v1/notices?crisis_id="+id+"&limit=1", ""); !strings.Contains(w.Header.Get("Link"), "crisis_id="+id) {
		t.Errorf("Link %q", w.Header.Get("Link"))
	}
}

// TestCreateNoticeNormalisesPastedBreaks sends a body pasted with a soft
// line break (a vertical tab), CRLF and U+2028: it is kept with "\n".
func TestCreateNoticeNormalisesPastedBreaks(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	w := e.Do("editor", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID, `"Stay indoors."`, `"Stay indoors.\u000bShut the windows.\r\nAvoid\u2028the coast."`))
	if w.Status != http.StatusCreated {
		t.Fatalf("%d %s", w.Status, w.Body)
	}
	if got := apptest.Decode[notices.Notice](t, w).Content["en"].Body; got != "Stay indoors.\nShut the windows.\nAvoid\nthe coast." {
		t.Errorf("body = %q", got)
	}
}

// TestProblemNamesTheCharacter checks the problem's words for a control
// character: the field and the code point.
func TestProblemNamesTheCharacter(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	w := e.Do("editor", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID, `"Stay indoors."`, `"Stay\u0000indoors."`))
	p := apptest.WantProblem(t, w)
	if w.Status != http.StatusUnprocessableEntity || w.Header.Get("Content-Type") != "application/problem+json" ||
		len(p.Errors) != 1 || p.Errors[0].Location != "body.content.en.body" || !strings.Contains(p.Errors[0].Message, "U+0000") {
		t.Errorf("%d %s %s", w.Status, w.Header.Get("Content-Type"), w.Body)
	}
}

func TestNoticeWorkflow(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	crisisID, _ := e.CrisisWithPlan()
	path := func(id int64, step string) string { return noticePath(id) + step }

	// The commander may draft and approve, but not their own notice.
	own := apptest.Decode[notices.Notice](t, e.Do("commander", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID)))
	e.Call("commander", "POST", path(own.ID, "/submit"), `{}`, http.StatusOK)
	if w := e.Do("commander", "POST", path(own.ID, "/approve"), `{}`); w.Status != http.StatusForbidden {
		t.Fatalf("self-approval = %d %s", w.Status, w.Body)
	}
	if w := e.Do("approver", "POST", path(own.ID, "/return"), `{}`); w.Status != 422 || !apptest.WantProblem(t, w).Has("body.comment") {
		t.Fatalf("return without comment = %d %s", w.Status, w.Body)
	}
	back := apptest.Decode[notices.Notice](t, e.Call("approver", "POST", path(own.ID, "/return"), `{"comment":"say where"}`, 200))
	if back.Status != "draft" {
		t.Fatalf("returned %+v", back)
	}

	n := apptest.Decode[notices.Notice](t, e.Do("editor", "POST", "/api/v1/notices", apptest.NoticeJSON(crisisID)))
	if w := e.Do("editor", "PUT", noticePath(n.ID), apptest.NoticeJSON(crisisID, `"crisis_id": `, `"lock": 99, "crisis_id": `)); w.Status != http.StatusConflict {
		t.Fatalf("stale lock = %d %s", w.Status, w.Body)
	}
	if w := e.Do("editor", "PUT", noticePath(n.ID), apptest.NoticeJSON(crisisID, `"alert"`, `"update"`, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, n.Lock))); w.Status != 422 ||
		!apptest.WantProblem(t, w).Has("body.kind") {
		t.Fatalf("changing the kind = %d %s", w.Status, w.Body)
	}
	saved := apptest.Decode[notices.Notice](t, e.Call("editor", "PUT", noticePath(n.ID),
		apptest.NoticeJSON(crisisID, `"Stay indoors."`, `"Stay indoors now."`, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, n.Lock)), 200))
	if saved.Content["en"].Body != "Stay indoors now." || saved.Lock == n.Lock {
		t.Fatalf("saved %+v", saved)
	}
	if w := e.Do("editor", "POST", path(n.ID, "/correct"), `{"reason":"factual"}`); w.Status != http.StatusConflict {
		t.Fatalf("correcting a draft = %d %s", w.Status, w.Body)
	}
	e.Call("editor", "POST", path(n.ID, "/submit"), `{"comment":"ready"}`, http.StatusOK)
	if w := e.Do("editor", "POST", path(n.ID, "/approve"), `{}`); w.Status != http.StatusForbidden {
		t.Fatalf("editor approving = %d", w.Status)
	}
	e.Call("approver", "POST", path(n.ID, "/approve"), `{"comment":"ok"}`, http.StatusOK)
	pub := apptest.Decode[notices.Notice](t, e.Call("approver", "POST", path(n.ID, "/publish"), `{}`, 200))
	if pub.Status != "published" || pub.PublishedAt == nil || pub.PublisherID != e.Users["approver"].ID || len(pub.Steps) != 3 {
		t.Fatalf("published %+v", pub)
	}
	if w := e.Do("approver", "POST", path(n.ID, "/publish"), `{}`); w.Status != http.StatusConflict {
		t.Fatalf("second publish = %d %s", w.Status, w.Body)
	}
	if w := e.Do("editor", "PUT", noticePath(n.ID), apptest.NoticeJSON(crisisID, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, pub.Lock))); w.Status != http.StatusConflict {
		t.Fatalf("editing a published notice = %d %s", w.Status, w.Body)
	}
	if w := e.Do("reviewer", "POST", path(n.ID, "/review"), `{}`); w.Status != http.StatusConflict {
		t.Fatalf("reviewing a notice not on the fast path = %d %s", w.Status, w.Body)
	}

	if w := e.Do("editor", "POST", path(n.ID, "/correct"), `{"reason":"typo"}`); w.Status != 422 || !apptest.WantProblem(t, w).Has("body.reason") {
		t.Fatalf("bad reason = %d %s", w.Status, w.Body)
	}
	if w := e.Do("editor", "POST", path(n.ID, "/correct"), `{"reason":"factual","content":{"en":{"headline":"","body":"x"}}}`); w.Status != 422 ||
		!apptest.WantProblem(t, w).Has("body.content.en.headline") {
		t.Fatalf("empty corrected headline = %d %s", w.Status, w.Body)
	}
	w := e.Do("editor", "POST", path(n.ID, "/correct"),
		`{"reason":"factual","content":{"zh-Hant":{"headline":"颱風警告（更正）","body":"請留在室內。"},"en":{"headline":"Typhoon warning (corrected)","body":"Stay indoors."}}}`)
	if w.Status != http.StatusCreated {
		t.Fatalf("correct = %d %s", w.Status, w.Body)
	}
	corr := apptest.Decode[notices.Notice](t, w)
	if corr.Kind != "correction" || corr.References != n.ID || corr.CorrectionReason != "factual" || corr.Status != "draft" ||
		corr.Content["en"].Headline != "Typhoon warning (corrected)" || corr.CAP.Event != "Typhoon" {
		t.Fatalf("correction %+v", corr)
	}
	cancel := apptest.Decode[notices.Notice](t, e.Call("editor", "POST", path(n.ID, "/cancel"), `{}`, 201))
	clear := apptest.Decode[notices.Notice](t, e.Call("editor", "POST", path(n.ID, "/all-clear"), `{"content":{"en":{"headline":"All clear","body":"Over."}}}`, 201))
	if cancel.Kind != "cancellation" || clear.Kind != "all_clear" || clear.CAP.Urgency != "Past" || len(clear.Content) != 1 {
		t.Fatalf("cancel %+v, all-clear %+v", cancel, clear)
	}
	e.Call("editor", "POST", path(corr.ID, "/submit"), `{}`, http.StatusOK)
	e.Call("approver", "POST", path(corr.ID, "/approve"), `{}`, http.StatusOK)
	e.Call("commander", "POST", path(corr.ID, "/publish"), `{}`, http.StatusOK)
	hist := apptest.Decode[[]notices.Notice](t, e.Call("observer", "GET", path(corr.ID, "/history"), "", 200))
	if len(hist) != 2 || hist[0].ID != n.ID || hist[1].ID != corr.ID {
		t.Fatalf("history %+v", hist)
	}
	if got := apptest.Decode[kit.List[notices.Notice]](t, e.Do("observer", "GET", "/api/v1/notices?kind=correction&status=published", "")); got.Total != 1 {
		t.Fatalf("published corrections %+v", got)
	}
}

func TestNoticeEscapesMarkup(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	const script = `<script>alert(1)</script>`
	body := fmt.Sprintf(`{"audience":"public","content":{
		"zh-Hant":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q},
		"zh-Hans":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q},
		"en":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q}},
		"cap":{"event":%[1]q,"category":"Met","urgency":"Immediate","severity":"Severe","certainty":"Observed",
		"area":{"description":%[1]q,"geocodes":[{"name":%[1]q,"value":%[1]q}]}}}`, script)
	for _, w := range []apptest.Response{e.Call("editor", "POST", "/api/v1/notices", body, 201),
		e.Call("observer", "GET", "/api/v1/notices/1", "", 200), e.Call("observer", "GET", "/api/v1/notices", "", 200)} {
		if strings.Contains(w.Body, "<script>") || !strings.Contains(w.Body, `\u003cscript\u003e`) {
			t.Fatalf("markup not escaped in JSON: %s", w.Body)
		}
	}
	n := apptest.Decode[notices.Notice](t, e.Call("observer", "GET", "/api/v1/notices/1", "", 200))
	for lang, c := range n.Content {
		if c.Headline != script || c.Body != script || c.Instruction != script || c.Contact != script {
			t.Errorf("%s: %+v", lang, c)
		}
	}
	if n.CAP.Event != script || n.CAP.Area.Description != script || n.CAP.Area.Geocodes[0].Value != script {
		t.Errorf("cap %+v", n.CAP)
	}
}

// importCAP posts a CAP document to import-cap as who.
func importCAP(e *apptest.Staff, who, contentType string, doc []byte) apptest.Response {
	e.T.Helper()
	return e.Send(who, "POST", "/api/v1/notices/import-cap", contentType, doc)
}

// noticePath is the path of notice id.
func noticePath(id int64) string { return fmt.Sprintf("/api/v1/notices/%d", id) }

func TestImportCAP(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	samples := captest.Samples(t)
	if len(samples) < 5 {
		t.Fatalf("want the 5 samples, found %d", len(samples))
	}
	for i, s := range samples {
		f, doc := s.Name, s.Data
		ct := []string{"application/cap+xml", "application/xml; charset=utf-8"}[i%2]
		w := importCAP(e, "editor", ct, doc)
		if w.Status != http.StatusCreated {
			t.Errorf("%s: %d %s", f, w.Status, w.Body)
			continue
		}
		n := apptest.Decode[notices.Notice](t, w)
		if n.Status != "draft" || n.Kind != "alert" || n.Audience != "public" || len(n.Content) == 0 || n.CAP.Event == "" {
			t.Errorf("%s: %s", f, w.Body)
		}
	}
	for _, s := range captest.Invalid(t) {
		f, doc := s.Name, s.Data
		w := importCAP(e, "editor", "application/cap+xml", doc)
		if w.Status != 422 {
			t.Errorf("%s: %d %s", f, w.Status, w.Body)
			continue
		}
		if p := apptest.WantProblem(t, w); len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Location, "body") || p.Errors[0].Message == "" {
			t.Errorf("%s: no reason in %s", f, w.Body)
		}
	}
	cases := []struct {
		name, who, ct, doc string
		want               int
	}{
		{"JSON is not CAP", "editor", "application/json", `{}`, http.StatusUnsupportedMediaType},
		{"not XML", "editor", "application/xml", `<alert`, 422},
		{"test message refused", "editor", "application/xml", strings.Replace(string(samples[0].Data), "<status>Actual</status>", "<status>Test</status>", 1), 422},
		{"observer may not import", "observer", "application/xml", string(samples[0].Data), http.StatusForbidden},
	}
	for _, c := range cases {
		if w := importCAP(e, c.who, c.ct, []byte(c.doc)); w.Status != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, w.Status, c.want, w.Body)
		}
	}
	if got := apptest.Decode[kit.List[notices.Notice]](t, e.Do("observer", "GET", "/api/v1/notices?status=draft", "")); got.Total != len(samples) {
		t.Errorf("drafts %d, want %d: a refused import left something behind", got.Total, len(samples))
	}
}

func TestOpenAPIDocumentsNotices(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(e.Call(apptest.Anonymous, "GET", "/api/v1/openapi.json", "", 200).Body), &doc); err != nil {
		t.Fatal(err)
	}
	create := string(doc.Paths["/notices"]["post"])
	imp := string(doc.Paths["/notices/import-cap"]["post"])
	if !strings.Contains(imp, "application/cap+xml") || !strings.Contains(imp, "application/xml") {
		t.Errorf("import-cap body: %s", imp)
	}
	if create == "" || len(doc.Paths["/notices/{id}/all-clear"]) == 0 {
		t.Errorf("notices missing from the document")
	}
}

// TestImportCAPLineBreaksAndControls imports an upstream message whose
// description breaks lines with CR, NEL and U+2028, and one that carries a
// C1 control, which XML allows and crisisdesk cannot publish.
func TestImportCAPLineBreaksAndControls(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	doc := func(description string) []byte {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>X-9</identifier><sender>agency@example.org</sender>
<sent>2026-07-01T08:30:15-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>en</language><category>Met</category><event>Rain</event><urgency>Expected</urgency><severity>Moderate</severity>
<certainty>Likely</certainty><headline>Heavy&#xD;&#xA;rain</headline><description>` + description + `</description></info></alert>`)
	}
	w := importCAP(e, "editor", "application/cap+xml", doc("Roads closed.&#xD;&#xA;Stay in.&#x85;Avoid&#x2028;rivers."))
	if w.Status != http.StatusCreated {
		t.Fatalf("%d %s", w.Status, w.Body)
	}
	if c := apptest.Decode[notices.Notice](t, w).Content["en"]; c.Headline != "Heavy rain" || c.Body != "Roads closed.\nStay in.\nAvoid\nrivers." {
		t.Errorf("imported %+v", c)
	}
	w = importCAP(e, "editor", "application/cap+xml", doc("Stay&#x90;in."))
	if p := apptest.WantProblem(t, w); w.Status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Location != "body.info[0].description" {
		t.Errorf("a C1 control: %d %s", w.Status, w.Body)
	}
}
