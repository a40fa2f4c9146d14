package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
)

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
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)
	boss, _ := e.SignedIn("boss", authz.Commander)
	reviewer, _ := e.SignedIn("checker", authz.Reviewer)

	// The room has a notices card with a link to the editor.
	room := fmt.Sprintf("/desk/crises/%d", w.Crisis.ID)
	res := author.Get(room)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="crisis-notices"`, `href="/desk/notices/new?crisis=`+fmt.Sprint(w.Crisis.ID)+`"`)

	// The editor shows the first-notice clock and the plan's template.
	res = author.Get(fmt.Sprintf("/desk/notices/new?crisis=%d", w.Crisis.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="first-notice-clock"`, `id="notice-templates"`, `id="lang-zh-Hant"`, `id="lang-zh-Hans"`, `id="lang-en"`)
	res = author.Get(fmt.Sprintf("/desk/notices/new?crisis=%d&audience=public&template=0", w.Crisis.ID))
	apptest.WantBody(t, res, `value="Typhoon at Harbour"`, fmt.Sprintf(`name="template_plan_id" value="%d"`, w.Plan.ID))

	// A blank headline is shown beside the field of its language.
	bad := noticeForm(w.Crisis.ID)
	bad.Set("en.headline", "")
	res = author.PostForm("/desk/notices/new", bad)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "Write a headline", `id="en-headline" name="en.headline" value="" maxlength="160" aria-invalid="true"`, "留在室內")

	// HTML is escaped.
	form := noticeForm(w.Crisis.ID)
	form.Set("en.body", "<script>alert(1)</script>")
	res = author.PostForm("/desk/notices/new", form)
	m := noticeLocation.FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	page := "/desk/notices/" + m[1]
	res = author.Get(page + "?done=notice_created")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "The draft is saved.", "留在室內", "&lt;script&gt;alert(1)&lt;/script&gt;", `id="submit-form"`)
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("notice text is not escaped")
	}
	n, err := e.Store.Notices().Get(t.Context(), mustID(t, m[1]))
	if err != nil || len(n.Contents) != 2 {
		t.Fatalf("stored: %+v %v", n.Contents, err)
	}

	apptest.WantStatus(t, author.PostForm(page+"/submit", url.Values{"comment": {"please"}}), http.StatusSeeOther)
	res = boss.Get("/desk/notices")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notices-table"`, `href="`+page+`"`)

	// The commander approves, then publishes; the public link appears.
	apptest.WantStatus(t, boss.PostForm(page+"/approve", nil), http.StatusSeeOther)
	res = boss.Get("/desk/notices?tab=approved")
	apptest.WantBody(t, res, `href="`+page+`"`)
	// Publishing goes through the confirmation: a post without it
	// publishes nothing.
	apptest.WantBody(t, boss.Get(page), `id="notice-publish" href="`+page+`/publish"`)
	res = boss.PostForm(page+"/publish", nil)
	if res.Status != http.StatusSeeOther || res.Location() != page+"/publish" {
		t.Fatalf("unconfirmed publish: %d %q", res.Status, res.Location())
	}
	if n, _ := e.Store.Notices().Get(t.Context(), mustID(t, m[1])); n.Status != notice.Approved {
		t.Fatalf("an unconfirmed publish left the notice %s", n.Status)
	}
	apptest.WantStatus(t, boss.Get(page+"/publish"), http.StatusOK)
	apptest.WantStatus(t, boss.PostForm(page+"/publish", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
	res = boss.Get(page)
	apptest.WantBody(t, res, `href="/notices/`+m[1]+`"`, "Submitted", "Approved", "Published")

	// A second publish is refused clearly.
	res = boss.PostForm(page+"/publish", url.Values{"confirm": {"yes"}})
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, `id="form-error">The notice was not published.`)

	// A reviewer sees no approve or publish forms.
	res = reviewer.Get(page)
	if strings.Contains(res.Body, `id="approve-form"`) || strings.Contains(res.Body, `id="publish-form"`) {
		t.Error("a reviewer is offered approval or publishing")
	}
}

func TestNoticeSelfApprovalRefused(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, u := e.SignedIn("boss", authz.Commander)
	n, err := e.Store.Notices().Create(t.Context(), apptest.As(u), apptest.SampleNotice(w.Crisis.ID))
	if err == nil {
		_, err = e.Store.Notices().Submit(t.Context(), apptest.As(u), n.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	// The author is offered no approval, and one posted anyway is refused.
	if res := boss.Get(fmt.Sprintf("/desk/notices/%d", n.ID)); strings.Contains(res.Body, `id="approve-form"`) {
		t.Error("the author is offered to approve their own notice")
	}
	res := boss.PostForm(fmt.Sprintf("/desk/notices/%d/approve", n.ID), nil)
	apptest.WantStatus(t, res, http.StatusForbidden)
	apptest.WantBody(t, res, `id="form-error"`, "Nobody approves their own notice")

	// Returning needs a reason.
	res = boss.PostForm(fmt.Sprintf("/desk/notices/%d/return", n.ID), url.Values{"comment": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="form-error"`)
}

// A published notice is never edited: the page offers a correction, a
// cancellation and an all-clear, each a new draft that refers to it.
func TestNoticeFollowUps(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, u := e.SignedIn("boss", authz.Commander)
	ns := e.Store.Notices()
	n, err := ns.Create(t.Context(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err == nil {
		_, err = ns.Submit(t.Context(), apptest.As(w.Editor), n.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(t.Context(), apptest.As(u), n.ID, "")
	}
	if err == nil {
		_, err = ns.Publish(t.Context(), apptest.As(u), n.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	apptest.WantBody(t, boss.Get(page), `id="correct-form"`, `id="cancel-form"`, `id="all-clear-form"`, `value="Stay indoors"`)

	res := boss.PostForm(page+"/correct", url.Values{"reason": {"factual"}, "headline.en": {"Stay indoors"}, "body.en": {"Signal 9 is hoisted."}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	m := noticeLocation.FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("Location %q", res.Location())
	}
	corr, err := ns.Get(t.Context(), mustID(t, m[1]))
	if err != nil || corr.Kind != notice.Correction || corr.References != n.ID || corr.CorrectionReason != notice.Factual ||
		corr.Contents[0].Body != "Signal 9 is hoisted." || corr.Status != notice.Draft {
		t.Fatalf("correction %+v %v", corr, err)
	}

	res = boss.PostForm(page+"/correct", url.Values{"reason": {"made-up"}, "headline.en": {"x"}, "body.en": {"y"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="form-error"`)

	res = boss.PostForm(page+"/all-clear", url.Values{"headline.en": {"All clear"}, "body.en": {"Signal lowered."}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if m = noticeLocation.FindStringSubmatch(res.Location()); m == nil {
		t.Fatalf("Location %q", res.Location())
	}
	if clear, _ := ns.Get(t.Context(), mustID(t, m[1])); clear.Kind != notice.AllClear || clear.References != n.ID {
		t.Fatalf("all-clear %+v", clear)
	}

	// An observer is offered nothing and refused.
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	if strings.Contains(watcher.Get(page).Body, `id="correct-form"`) {
		t.Error("an observer is offered a correction")
	}
	apptest.WantStatus(t, watcher.PostForm(page+"/cancel", url.Values{"headline.en": {"x"}, "body.en": {"y"}}), http.StatusForbidden)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}
