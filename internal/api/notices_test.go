package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
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

// noticeJSON is a valid create body for crisis id with its fields changed
// by the replacements (old, new, old, new …).
func noticeJSON(crisisID int64, replace ...string) string {
	b := fmt.Sprintf(`{"crisis_id": %d, "kind": "alert", "audience": "public",
 "content": {"zh-Hant": {"headline": "颱風警告", "body": "請留在室內。"}, "en": {"headline": "Typhoon warning", "body": "Stay indoors.", "contact": "1823"}},
 "cap": {"event": "Typhoon", "category": "Met", "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
   "effective": "2026-07-01T08:00:00Z", "expires": "2026-07-01T20:00:00Z",
   "area": {"description": "Harbour", "polygons": ["22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"],
     "circles": ["22.3,114.2 5"], "geocodes": [{"name": "district", "value": "Wan Chai"}]}}}`, crisisID)
	return strings.NewReplacer(replace...).Replace(b)
}

func TestCreateNotice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	id := fmt.Sprint(cr.ID)
	ok := noticeJSON(cr.ID)
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
		{"empty headline", "editor", noticeJSON(cr.ID, `"Typhoon warning"`, `" "`), 422, "body.content.en.headline"},
		{"empty zh-Hant body", "editor", noticeJSON(cr.ID, `"請留在室內。"`, `""`), 422, "body.content.zh-Hant.body"},
		{"bad language", "editor", noticeJSON(cr.ID, `"en":`, `"!!":`), 422, "body.content.!!.language"},
		{"open polygon", "editor", noticeJSON(cr.ID, `22.5,114.2 22.5,114.0`, `22.5,114.2 22.7,114.0`), 422, "body.cap.area.polygons[0]"},
		{"three points", "editor", noticeJSON(cr.ID, `22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0`, `22.5,114.0 22.6,114.1 22.5,114.0`), 422, "body.cap.area.polygons[0]"},
		{"bad circle", "editor", noticeJSON(cr.ID, `22.3,114.2 5`, `22.3,114.2`), 422, "body.cap.area.circles[0]"},
		{"expires before effective", "editor", noticeJSON(cr.ID, `2026-07-01T20:00:00Z`, `2026-07-01T07:00:00Z`), 422, "body.cap.expires"},
		{"public needs an event", "editor", noticeJSON(cr.ID, `"event": "Typhoon",`, ``), 422, "body.cap.event"},
		{"bad category", "editor", noticeJSON(cr.ID, `"Met"`, `"Weather"`), 422, "body.cap.category"},
		{"unknown kind", "editor", noticeJSON(cr.ID, `"alert"`, `"rumour"`), 422, "body.kind"},
		{"a correction is made from its original", "editor", noticeJSON(cr.ID, `"alert"`, `"correction"`), 422, "body.kind"},
		{"internal needs recipients", "editor", noticeJSON(cr.ID, `"public"`, `"internal"`), 422, "body.departments"},
		{"vertical tab in a headline", "editor", noticeJSON(cr.ID, `"Typhoon warning"`, `"Typhoon\u000bwarning"`), 422, "body.content.en.headline"},
		{"NUL in a body", "editor", noticeJSON(cr.ID, `"請留在室內。"`, `"請留在\u0000室內。"`), 422, "body.content.zh-Hant.body"},
		{"escape in a contact", "editor", noticeJSON(cr.ID, `"1823"`, `"\u001b[2J1823"`), 422, "body.content.en.contact"},
		{"control in the event", "editor", noticeJSON(cr.ID, `"Typhoon"`, `"Typh\u0007oon"`), 422, "body.cap.event"},
		{"observer may not draft", "observer", ok, 403, ""},
	}
	for _, c := range cases {
		w := e.do(c.who, "POST", "/api/v1/notices", c.body)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d; %.600s", c.name, w.Code, c.want, w.Body)
			continue
		}
		if w.Code >= 400 {
			if p := decodeProblem(t, w); c.loc != "" && !hasLocation(p, c.loc) {
				t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
			}
			continue
		}
		n := decode[Notice](t, w.Body)
		if n.ID == 0 || n.Status != "draft" || n.AuthorID != e.users["editor"].ID || w.Header().Get("Location") != noticePath(n.ID) ||
			len(n.Content) != 2 || n.Content["zh-Hant"].Headline == "" || n.Languages[0] != "zh-Hant" || n.Kind != "alert" {
			t.Errorf("%s: %s", c.name, w.Body)
		}
	}
	got := decode[Notice](t, e.do("observer", "GET", "/api/v1/notices/1", "").Body)
	if got.CrisisID != cr.ID || !got.Exercise || got.Content["zh-Hant"].Instruction != "…" || got.CAP.Area.Polygons[0] == "" {
		t.Errorf("the issue's notice: %+v", got)
	}
	list := decode[List[Notice]](t, e.do("observer", "GET", "/api/v1/notices?crisis_id="+id+"&status=draft&limit=1", "").Body)
	if list.Total != 2 || len(list.Items) != 1 {
		t.Errorf("list %+v", list)
	}
	if w := e.do("observer", "GET", "/api/v1/notices?crisis_id="+id+"&limit=1", ""); !strings.Contains(w.Header().Get("Link"), "crisis_id="+id) {
		t.Errorf("Link %q", w.Header().Get("Link"))
	}
}

// TestCreateNoticeNormalisesPastedBreaks sends a body pasted with a soft
// line break (a vertical tab), CRLF and U+2028: it is kept with "\n".
func TestCreateNoticeNormalisesPastedBreaks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	w := e.do("editor", "POST", "/api/v1/notices", noticeJSON(cr.ID, `"Stay indoors."`, `"Stay indoors.\u000bShut the windows.\r\nAvoid\u2028the coast."`))
	if w.Code != http.StatusCreated {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if got := decode[Notice](t, w.Body).Content["en"].Body; got != "Stay indoors.\nShut the windows.\nAvoid\nthe coast." {
		t.Errorf("body = %q", got)
	}
}

// TestProblemNamesTheCharacter checks the problem's words for a control
// character: the field and the code point.
func TestProblemNamesTheCharacter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	w := e.do("editor", "POST", "/api/v1/notices", noticeJSON(cr.ID, `"Stay indoors."`, `"Stay\u0000indoors."`))
	p := decodeProblem(t, w)
	if w.Code != http.StatusUnprocessableEntity || w.Header().Get("Content-Type") != "application/problem+json" ||
		len(p.Errors) != 1 || p.Errors[0].Location != "body.content.en.body" || !strings.Contains(p.Errors[0].Message, "U+0000") {
		t.Errorf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
}

func TestNoticeWorkflow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cr, _ := e.crisisWithPlan()
	path := func(id int64, step string) string { return noticePath(id) + step }

	// The commander may draft and approve, but not their own notice.
	own := decode[Notice](t, e.do("commander", "POST", "/api/v1/notices", noticeJSON(cr.ID)).Body)
	e.call("commander", "POST", path(own.ID, "/submit"), `{}`, http.StatusOK)
	if w := e.do("commander", "POST", path(own.ID, "/approve"), `{}`); w.Code != http.StatusForbidden {
		t.Fatalf("self-approval = %d %s", w.Code, w.Body)
	}
	if w := e.do("approver", "POST", path(own.ID, "/return"), `{}`); w.Code != 422 || !hasLocation(decodeProblem(t, w), "body.comment") {
		t.Fatalf("return without comment = %d %s", w.Code, w.Body)
	}
	back := decode[Notice](t, e.call2("approver", "POST", path(own.ID, "/return"), `{"comment":"say where"}`, 200).Body)
	if back.Status != "draft" {
		t.Fatalf("returned %+v", back)
	}

	n := decode[Notice](t, e.do("editor", "POST", "/api/v1/notices", noticeJSON(cr.ID)).Body)
	if w := e.do("editor", "PUT", noticePath(n.ID), noticeJSON(cr.ID, `"crisis_id": `, `"lock": 99, "crisis_id": `)); w.Code != http.StatusConflict {
		t.Fatalf("stale lock = %d %s", w.Code, w.Body)
	}
	if w := e.do("editor", "PUT", noticePath(n.ID), noticeJSON(cr.ID, `"alert"`, `"update"`, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, n.Lock))); w.Code != 422 ||
		!hasLocation(decodeProblem(t, w), "body.kind") {
		t.Fatalf("changing the kind = %d %s", w.Code, w.Body)
	}
	saved := decode[Notice](t, e.call2("editor", "PUT", noticePath(n.ID),
		noticeJSON(cr.ID, `"Stay indoors."`, `"Stay indoors now."`, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, n.Lock)), 200).Body)
	if saved.Content["en"].Body != "Stay indoors now." || saved.Lock == n.Lock {
		t.Fatalf("saved %+v", saved)
	}
	if w := e.do("editor", "POST", path(n.ID, "/correct"), `{"reason":"factual"}`); w.Code != http.StatusConflict {
		t.Fatalf("correcting a draft = %d %s", w.Code, w.Body)
	}
	e.call("editor", "POST", path(n.ID, "/submit"), `{"comment":"ready"}`, http.StatusOK)
	if w := e.do("editor", "POST", path(n.ID, "/approve"), `{}`); w.Code != http.StatusForbidden {
		t.Fatalf("editor approving = %d", w.Code)
	}
	e.call("approver", "POST", path(n.ID, "/approve"), `{"comment":"ok"}`, http.StatusOK)
	pub := decode[Notice](t, e.call2("approver", "POST", path(n.ID, "/publish"), `{}`, 200).Body)
	if pub.Status != "published" || pub.PublishedAt == nil || pub.PublisherID != e.users["approver"].ID || len(pub.Steps) != 3 {
		t.Fatalf("published %+v", pub)
	}
	if w := e.do("approver", "POST", path(n.ID, "/publish"), `{}`); w.Code != http.StatusConflict {
		t.Fatalf("second publish = %d %s", w.Code, w.Body)
	}
	if w := e.do("editor", "PUT", noticePath(n.ID), noticeJSON(cr.ID, `"crisis_id": `, fmt.Sprintf(`"lock": %d, "crisis_id": `, pub.Lock))); w.Code != http.StatusConflict {
		t.Fatalf("editing a published notice = %d %s", w.Code, w.Body)
	}
	if w := e.do("reviewer", "POST", path(n.ID, "/review"), `{}`); w.Code != http.StatusConflict {
		t.Fatalf("reviewing a notice not on the fast path = %d %s", w.Code, w.Body)
	}

	if w := e.do("editor", "POST", path(n.ID, "/correct"), `{"reason":"typo"}`); w.Code != 422 || !hasLocation(decodeProblem(t, w), "body.reason") {
		t.Fatalf("bad reason = %d %s", w.Code, w.Body)
	}
	if w := e.do("editor", "POST", path(n.ID, "/correct"), `{"reason":"factual","content":{"en":{"headline":"","body":"x"}}}`); w.Code != 422 ||
		!hasLocation(decodeProblem(t, w), "body.content.en.headline") {
		t.Fatalf("empty corrected headline = %d %s", w.Code, w.Body)
	}
	w := e.do("editor", "POST", path(n.ID, "/correct"),
		`{"reason":"factual","content":{"zh-Hant":{"headline":"颱風警告（更正）","body":"請留在室內。"},"en":{"headline":"Typhoon warning (corrected)","body":"Stay indoors."}}}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("correct = %d %s", w.Code, w.Body)
	}
	corr := decode[Notice](t, w.Body)
	if corr.Kind != "correction" || corr.References != n.ID || corr.CorrectionReason != "factual" || corr.Status != "draft" ||
		corr.Content["en"].Headline != "Typhoon warning (corrected)" || corr.CAP.Event != "Typhoon" {
		t.Fatalf("correction %+v", corr)
	}
	cancel := decode[Notice](t, e.call2("editor", "POST", path(n.ID, "/cancel"), `{}`, 201).Body)
	clear := decode[Notice](t, e.call2("editor", "POST", path(n.ID, "/all-clear"), `{"content":{"en":{"headline":"All clear","body":"Over."}}}`, 201).Body)
	if cancel.Kind != "cancellation" || clear.Kind != "all_clear" || clear.CAP.Urgency != "Past" || len(clear.Content) != 1 {
		t.Fatalf("cancel %+v, all-clear %+v", cancel, clear)
	}
	e.call("editor", "POST", path(corr.ID, "/submit"), `{}`, http.StatusOK)
	e.call("approver", "POST", path(corr.ID, "/approve"), `{}`, http.StatusOK)
	e.call("commander", "POST", path(corr.ID, "/publish"), `{}`, http.StatusOK)
	hist := decode[[]Notice](t, e.call2("observer", "GET", path(corr.ID, "/history"), "", 200).Body)
	if len(hist) != 2 || hist[0].ID != n.ID || hist[1].ID != corr.ID {
		t.Fatalf("history %+v", hist)
	}
	if got := decode[List[Notice]](t, e.do("observer", "GET", "/api/v1/notices?kind=correction&status=published", "").Body); got.Total != 1 {
		t.Fatalf("published corrections %+v", got)
	}
}

// call2 is call returning the raw body.
func (e *env) call2(who, method, path, body string, want int) *httptest.ResponseRecorder {
	e.t.Helper()
	w := e.do(who, method, path, body)
	if w.Code != want {
		e.t.Fatalf("%s %s as %q = %d, want %d; body %.500s", method, path, who, w.Code, want, w.Body)
	}
	return w
}

func TestNoticeEscapesMarkup(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	const script = `<script>alert(1)</script>`
	body := fmt.Sprintf(`{"audience":"public","content":{
		"zh-Hant":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q},
		"zh-Hans":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q},
		"en":{"headline":%[1]q,"body":%[1]q,"instruction":%[1]q,"contact":%[1]q}},
		"cap":{"event":%[1]q,"category":"Met","urgency":"Immediate","severity":"Severe","certainty":"Observed",
		"area":{"description":%[1]q,"geocodes":[{"name":%[1]q,"value":%[1]q}]}}}`, script)
	for _, w := range []*httptest.ResponseRecorder{e.call2("editor", "POST", "/api/v1/notices", body, 201),
		e.call2("observer", "GET", "/api/v1/notices/1", "", 200), e.call2("observer", "GET", "/api/v1/notices", "", 200)} {
		if strings.Contains(w.Body.String(), "<script>") || !strings.Contains(w.Body.String(), `\u003cscript\u003e`) {
			t.Fatalf("markup not escaped in JSON: %s", w.Body)
		}
	}
	n := decode[Notice](t, e.call2("observer", "GET", "/api/v1/notices/1", "", 200).Body)
	for lang, c := range n.Content {
		if c.Headline != script || c.Body != script || c.Instruction != script || c.Contact != script {
			t.Errorf("%s: %+v", lang, c)
		}
	}
	if n.CAP.Event != script || n.CAP.Area.Description != script || n.CAP.Area.Geocodes[0].Value != script {
		t.Errorf("cap %+v", n.CAP)
	}
}

func (e *env) importCAP(who, contentType string, doc []byte) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest("POST", "/api/v1/notices/import-cap", strings.NewReader(string(doc)))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("Authorization", "Bearer "+e.tokens[authz.Role(who)])
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestImportCAP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	samples := captest.Samples(t)
	if len(samples) < 5 {
		t.Fatalf("want the 5 samples, found %d", len(samples))
	}
	for i, s := range samples {
		f, doc := s.Name, s.Data
		ct := []string{"application/cap+xml", "application/xml; charset=utf-8"}[i%2]
		w := e.importCAP("editor", ct, doc)
		if w.Code != http.StatusCreated {
			t.Errorf("%s: %d %s", f, w.Code, w.Body)
			continue
		}
		n := decode[Notice](t, w.Body)
		if n.Status != "draft" || n.Kind != "alert" || n.Audience != "public" || len(n.Content) == 0 || n.CAP.Event == "" {
			t.Errorf("%s: %s", f, w.Body)
		}
	}
	for _, s := range captest.Invalid(t) {
		f, doc := s.Name, s.Data
		w := e.importCAP("editor", "application/cap+xml", doc)
		if w.Code != 422 {
			t.Errorf("%s: %d %s", f, w.Code, w.Body)
			continue
		}
		if p := decodeProblem(t, w); len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Location, "body") || p.Errors[0].Message == "" {
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
		if w := e.importCAP(c.who, c.ct, []byte(c.doc)); w.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, w.Code, c.want, w.Body)
		}
	}
	if got := decode[List[Notice]](t, e.do("observer", "GET", "/api/v1/notices?status=draft", "").Body); got.Total != len(samples) {
		t.Errorf("drafts %d, want %d: a refused import left something behind", got.Total, len(samples))
	}
}

func TestOpenAPIDocumentsNotices(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(e.call2(anonymous, "GET", "/api/v1/openapi.json", "", 200).Body.Bytes(), &doc); err != nil {
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
	e := newEnv(t, nil)
	doc := func(description string) []byte {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>X-9</identifier><sender>agency@example.org</sender>
<sent>2026-07-01T08:30:15-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>en</language><category>Met</category><event>Rain</event><urgency>Expected</urgency><severity>Moderate</severity>
<certainty>Likely</certainty><headline>Heavy&#xD;&#xA;rain</headline><description>` + description + `</description></info></alert>`)
	}
	w := e.importCAP("editor", "application/cap+xml", doc("Roads closed.&#xD;&#xA;Stay in.&#x85;Avoid&#x2028;rivers."))
	if w.Code != http.StatusCreated {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if c := decode[Notice](t, w.Body).Content["en"]; c.Headline != "Heavy rain" || c.Body != "Roads closed.\nStay in.\nAvoid\nrivers." {
		t.Errorf("imported %+v", c)
	}
	w = e.importCAP("editor", "application/cap+xml", doc("Stay&#x90;in."))
	if p := decodeProblem(t, w); w.Code != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Location != "body.info[0].description" {
		t.Errorf("a C1 control: %d %s", w.Code, w.Body)
	}
}
