package notices_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/notice"
)

// lockOf is the version the editor page carries in its hidden field.
func lockOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="lock" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no lock field in\n%s", apptest.Snippet(body))
	}
	return m[1]
}

// TestEditReturnedDraft: a notice the approver returned opens in the
// editor with the reason above the form, saves as a draft and can be
// submitted again.
func TestEditReturnedDraft(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	ns := e.Store.Notices()
	n, err := ns.Create(t.Context(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err == nil {
		_, err = ns.Submit(t.Context(), apptest.As(w.Editor), n.ID, "")
	}
	if err == nil {
		_, err = ns.Return(t.Context(), apptest.As(w.Approver), n.ID, "Say which district.")
	}
	if err != nil {
		t.Fatal(err)
	}
	ed := e.SignIn(w.Editor)
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	apptest.WantBody(t, ed.Get(page), `id="notice-edit" href="`+page+`/edit"`)
	res := ed.Get(page + "/edit")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, fmt.Sprintf("Edit notice #%d", n.ID), `id="notice-returned"`, "Returned by fx-approver:",
		`id="notice-return-comment">Say which district.</p>`, `action="`+page+`/edit"`, `value="Stay indoors"`)

	form := noticeForm(w.Crisis.ID)
	form.Set("lock", lockOf(t, res.Body))
	form.Set("en.headline", "Stay indoors in Harbour district")
	res = ed.PostForm(page+"/edit", form)
	if res.Status != http.StatusSeeOther || res.Location() != page+"?done=notice_saved" {
		t.Fatalf("save: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	got, err := ns.Get(t.Context(), n.ID)
	if err != nil || got.Status != notice.Draft || got.Content("en").Headline != "Stay indoors in Harbour district" {
		t.Fatalf("saved %+v %v", got, err)
	}
	apptest.WantBody(t, ed.Get(page+"?done=notice_saved"), "The draft is saved.")
	apptest.WantStatus(t, ed.PostForm(page+"/submit", nil), http.StatusSeeOther)

	// A submitted notice is not edited here.
	apptest.WantStatus(t, ed.Get(page+"/edit"), http.StatusConflict)
}

// TestEditConflict: two people open one draft; the second save is refused
// with a clear message and their text kept, and saving again is theirs to
// choose.
func TestEditConflict(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	n, err := e.Store.Notices().Create(t.Context(), apptest.As(w.Editor), apptest.SampleNotice(w.Crisis.ID))
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	first, second := e.SignIn(w.Editor), e.SignIn(w.Commander)
	lock := lockOf(t, first.Get(page+"/edit").Body)
	if l2 := lockOf(t, second.Get(page+"/edit").Body); l2 != lock {
		t.Fatalf("two opens see versions %s and %s", lock, l2)
	}
	mine := noticeForm(w.Crisis.ID)
	mine.Set("lock", lock)
	mine.Set("en.body", "First editor's text.")
	apptest.WantStatus(t, first.PostForm(page+"/edit", mine), http.StatusSeeOther)

	theirs := noticeForm(w.Crisis.ID)
	theirs.Set("lock", lock)
	theirs.Set("en.body", "Second editor's text.")
	res := second.PostForm(page+"/edit", theirs)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, `id="form-error"`, "Not saved: someone else saved this notice while you were editing it.",
		"Second editor&#39;s text.")
	if got, _ := e.Store.Notices().Get(t.Context(), n.ID); got.Content("en").Body != "First editor's text." {
		t.Fatalf("the refused save changed the notice: %q", got.Content("en").Body)
	}
	newLock := lockOf(t, res.Body)
	if newLock == lock {
		t.Fatal("the refused form still carries the old version")
	}
	theirs.Set("lock", newLock)
	delete(theirs, "csrf_token")
	apptest.WantStatus(t, second.PostForm(page+"/edit", theirs), http.StatusSeeOther)
	if got, _ := e.Store.Notices().Get(t.Context(), n.ID); !strings.HasPrefix(got.Content("en").Body, "Second") {
		t.Fatalf("saving again kept %q", got.Content("en").Body)
	}
}
