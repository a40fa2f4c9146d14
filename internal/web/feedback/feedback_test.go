package feedback_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/feedback"
)

// Contacts are masked in the list for everyone and in full on the page
// only for the roles the matrix allows; the export (those roles only)
// neutralises a message a spreadsheet would run.
func TestFeedbackContactsAndExport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	f, err := e.Store.Feedback().Submit(t.Context(), feedback.Submission{Message: "=HYPERLINK(\"http://evil.example\") <i>shelter?</i>",
		Contact: "resident@example.org", Channel: feedback.Web, CrisisID: w.Crisis.ID})
	if err != nil {
		t.Fatal(err)
	}
	page := "/desk/feedback/" + itoa(f.ID)
	ed := e.SignIn(w.Editor)
	lia, _ := e.SignedIn("liaison-1", authz.Liaison)

	list := ed.Get("/desk/feedback")
	apptest.WantStatus(t, list, http.StatusOK)
	if strings.Contains(list.Body, "resident@example.org") || !strings.Contains(list.Body, "re***@example.org") {
		t.Errorf("the list shows the contact unmasked")
	}
	if strings.Contains(list.Body, "<i>shelter?</i>") || !strings.Contains(list.Body, "&lt;i&gt;shelter?&lt;/i&gt;") {
		t.Errorf("the message is not escaped in the list")
	}
	if r := ed.Get(page); !strings.Contains(r.Body, "resident@example.org") {
		t.Errorf("the editor does not see the contact")
	}
	if r := lia.Get(page); r.Status != http.StatusOK || strings.Contains(r.Body, "resident@example.org") {
		t.Errorf("the liaison sees the contact: %d", r.Status)
	}
	if r := lia.Get("/desk/feedback/export.csv"); r.Status != http.StatusForbidden {
		t.Errorf("the liaison exports: %d", r.Status)
	}
	csv := ed.Get("/desk/feedback/export.csv")
	apptest.WantStatus(t, csv, http.StatusOK)
	if !strings.HasPrefix(csv.Body, "\ufeff") || strings.Contains(csv.Body, ",=HYPERLINK") || !strings.Contains(csv.Body, "resident@example.org") {
		t.Errorf("export: %q", csv.Body)
	}
	if r := ed.Get("/desk/feedback/export.xlsx"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
		t.Errorf("xlsx: %d", r.Status)
	}
}

// Replying and merging through the forms, with refusals beside the fields.
func TestFeedbackForms(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	fs := e.Store.Feedback()
	f, err := fs.Submit(t.Context(), feedback.Submission{Message: "Is the bridge closed?", Channel: feedback.Web})
	if err != nil {
		t.Fatal(err)
	}
	dup, err := fs.Submit(t.Context(), feedback.Submission{Message: "Bridge closed??", Channel: feedback.Web})
	if err != nil {
		t.Fatal(err)
	}
	ed := e.SignIn(w.Editor)
	page := "/desk/feedback/" + itoa(f.ID)
	r := ed.PostForm(page+"/reply", url.Values{"reply": {"  "}})
	apptest.WantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `id="reply-error"`) {
		t.Errorf("empty reply: no message beside the field")
	}
	r = ed.PostForm(page+"/reply", url.Values{"reply": {"Yes, until 18:00."}})
	apptest.WantStatus(t, r, http.StatusSeeOther)
	r = ed.PostForm("/desk/feedback/"+itoa(dup.ID)+"/merge", url.Values{"into": {"FB-0000-0000"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="into-error"`) {
		t.Errorf("merge into nothing: %d", r.Status)
	}
	r = ed.PostForm("/desk/feedback/"+itoa(dup.ID)+"/merge", url.Values{"into": {strings.ToLower(f.Ref)}})
	apptest.WantStatus(t, r, http.StatusSeeOther)
	got, err := fs.Get(t.Context(), dup.ID)
	if err != nil || got.State != feedback.Merged || got.MergedInto != f.ID {
		t.Fatalf("merged %+v %v", got, err)
	}
	// Publishing needs a crisis: the refusal names it.
	r = ed.PostForm(page+"/publish", url.Values{"question": {"Bridge?"}, "answer": {"Closed."}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("publish without a crisis: %d", r.Status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
