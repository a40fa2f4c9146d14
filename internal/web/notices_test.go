package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
)

// sampleNotice is a valid public alert for a crisis, in English.
func sampleNotice(crisisID int64) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{{Language: "en", Headline: "Stay indoors", Body: "Signal 8 is hoisted."}},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Area: notice.Area{Description: "Harbour"}}}
}

// noticeForm is a valid editor post for crisis id, with every field of
// every language and the CAP fields carrying text.
func noticeForm(crisisID int64) url.Values {
	return url.Values{"crisis_id": {fmt.Sprint(crisisID)}, "kind": {"alert"}, "audience": {"public"},
		"zh-Hant.headline": {"留在室內"}, "zh-Hant.body": {"八號風球已懸掛。"},
		"en.headline": {"Stay indoors"}, "en.body": {"Signal 8 is hoisted."}, "en.instruction": {"Keep away from the shore."},
		"event": {"Typhoon"}, "category": {"Met"}, "urgency": {"Immediate"}, "severity": {"Severe"}, "certainty": {"Observed"},
		"area": {"Harbour"}}
}

var noticeLocation = regexp.MustCompile(`^/desk/notices/(\d+)\?done=notice_created$`)

func TestNoticeWorkflowThroughTheUI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	author, _ := e.signedIn("author", authz.Editor)
	boss, _ := e.signedIn("boss", authz.Commander)
	reviewer, _ := e.signedIn("checker", authz.Reviewer)

	// The room has a notices card with a link to the editor.
	room := fmt.Sprintf("/desk/crises/%d", w.crisis.ID)
	res := author.get(room)
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="crisis-notices"`, `href="/desk/notices/new?crisis=`+fmt.Sprint(w.crisis.ID)+`"`)

	// The editor shows the first-notice clock and the plan's template.
	res = author.get(fmt.Sprintf("/desk/notices/new?crisis=%d", w.crisis.ID))
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="first-notice-clock"`, `id="notice-templates"`, `id="lang-zh-Hant"`, `id="lang-zh-Hans"`, `id="lang-en"`)
	res = author.get(fmt.Sprintf("/desk/notices/new?crisis=%d&audience=public&template=0", w.crisis.ID))
	wantBody(t, res, `value="Typhoon at Harbour"`, fmt.Sprintf(`name="template_plan_id" value="%d"`, w.plan.ID))

	// A blank headline is shown beside the field of its language.
	bad := noticeForm(w.crisis.ID)
	bad.Set("en.headline", "")
	res = author.post("/desk/notices/new", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Write a headline", `id="en-headline" name="en.headline" value="" maxlength="160" aria-invalid="true"`, "留在室內")

	// HTML is escaped.
	form := noticeForm(w.crisis.ID)
	form.Set("en.body", "<script>alert(1)</script>")
	res = author.post("/desk/notices/new", form)
	m := noticeLocation.FindStringSubmatch(res.location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.location(), snippet(res.Body))
	}
	page := "/desk/notices/" + m[1]
	res = author.get(page + "?done=notice_created")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "The draft is saved.", "留在室內", "&lt;script&gt;alert(1)&lt;/script&gt;", `id="submit-form"`)
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("notice text is not escaped")
	}
	n, err := e.st.Notices().Get(t.Context(), mustID(t, m[1]))
	if err != nil || len(n.Contents) != 2 {
		t.Fatalf("stored: %+v %v", n.Contents, err)
	}

	wantStatus(t, author.post(page+"/submit", url.Values{"comment": {"please"}}), http.StatusSeeOther)
	res = boss.get("/desk/notices")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `id="notices-table"`, `href="`+page+`"`)

	// The commander approves, then publishes; the public link appears.
	wantStatus(t, boss.post(page+"/approve", nil), http.StatusSeeOther)
	res = boss.get("/desk/notices?tab=approved")
	wantBody(t, res, `href="`+page+`"`)
	wantStatus(t, boss.post(page+"/publish", nil), http.StatusSeeOther)
	res = boss.get(page)
	wantBody(t, res, `href="/notices/`+m[1]+`"`, "Submitted", "Approved", "Published")

	// A second publish is refused clearly.
	res = boss.post(page+"/publish", nil)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, `id="notice-error"`)

	// A reviewer sees no approve or publish forms.
	res = reviewer.get(page)
	if strings.Contains(res.Body, `id="approve-form"`) || strings.Contains(res.Body, `id="publish-form"`) {
		t.Error("a reviewer is offered approval or publishing")
	}
}

func TestNoticeSelfApprovalRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	boss, u := e.signedIn("boss", authz.Commander)
	n, err := e.st.Notices().Create(t.Context(), as(u), sampleNotice(w.crisis.ID))
	if err == nil {
		_, err = e.st.Notices().Submit(t.Context(), as(u), n.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	res := boss.post(fmt.Sprintf("/desk/notices/%d/approve", n.ID), nil)
	wantStatus(t, res, http.StatusForbidden)
	wantBody(t, res, `id="notice-error"`, "Nobody approves their own notice")

	// Returning needs a reason.
	res = boss.post(fmt.Sprintf("/desk/notices/%d/return", n.ID), url.Values{"comment": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="notice-error"`)
}

// A published notice is never edited: the page offers a correction, a
// cancellation and an all-clear, each a new draft that refers to it.
func TestNoticeFollowUps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.world()
	boss, u := e.signedIn("boss", authz.Commander)
	ns := e.st.Notices()
	n, err := ns.Create(t.Context(), as(w.editor), sampleNotice(w.crisis.ID))
	if err == nil {
		_, err = ns.Submit(t.Context(), as(w.editor), n.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(t.Context(), as(u), n.ID, "")
	}
	if err == nil {
		_, err = ns.Publish(t.Context(), as(u), n.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	wantBody(t, boss.get(page), `id="correct-form"`, `id="cancel-form"`, `id="all-clear-form"`, `value="Stay indoors"`)

	res := boss.post(page+"/correct", url.Values{"reason": {"factual"}, "headline.en": {"Stay indoors"}, "body.en": {"Signal 9 is hoisted."}})
	wantStatus(t, res, http.StatusSeeOther)
	m := noticeLocation.FindStringSubmatch(res.location())
	if m == nil {
		t.Fatalf("Location %q", res.location())
	}
	corr, err := ns.Get(t.Context(), mustID(t, m[1]))
	if err != nil || corr.Kind != notice.Correction || corr.References != n.ID || corr.CorrectionReason != notice.Factual ||
		corr.Contents[0].Body != "Signal 9 is hoisted." || corr.Status != notice.Draft {
		t.Fatalf("correction %+v %v", corr, err)
	}

	res = boss.post(page+"/correct", url.Values{"reason": {"made-up"}, "headline.en": {"x"}, "body.en": {"y"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="notice-error"`)

	res = boss.post(page+"/all-clear", url.Values{"headline.en": {"All clear"}, "body.en": {"Signal lowered."}})
	wantStatus(t, res, http.StatusSeeOther)
	if m = noticeLocation.FindStringSubmatch(res.location()); m == nil {
		t.Fatalf("Location %q", res.location())
	}
	if clear, _ := ns.Get(t.Context(), mustID(t, m[1])); clear.Kind != notice.AllClear || clear.References != n.ID {
		t.Fatalf("all-clear %+v", clear)
	}

	// An observer is offered nothing and refused.
	watcher, _ := e.signedIn("watcher", authz.Observer)
	if strings.Contains(watcher.get(page).Body, `id="correct-form"`) {
		t.Error("an observer is offered a correction")
	}
	wantStatus(t, watcher.post(page+"/cancel", url.Values{"headline.en": {"x"}, "body.en": {"y"}}), http.StatusForbidden)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}
