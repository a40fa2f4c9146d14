package notices_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// TestCAPWarnings: the draft's page and the live preview show cap.Lint's
// advice as warnings, worded in the reader's language, and the draft
// still saves and submits.
func TestCAPWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	en := e.SignIn(e.UserWith(account.NewUser{Name: "writer", Role: authz.Editor}))
	hant := e.SignIn(e.UserWith(account.NewUser{Name: "writer-hant", Role: authz.Editor, Language: "zh-Hant"}))

	form := noticeForm(w.Crisis.ID)
	form.Set("en.body", "Signal 8 is hoisted &amp; rising.") // markup: R23; no expiry: R26
	res := en.PostForm("/desk/notices/new", form)
	m := noticeLocation.FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("a draft with warnings is not saved: %d\n%s", res.Status, apptest.Snippet(res.Body))
	}
	page := "/desk/notices/" + m[1]

	for _, tt := range []struct {
		name string
		b    *apptest.Browser
		want []string
	}{
		{"en", en, []string{"Advice for the CAP message", `data-rule="R23" data-lang="en"><strong>English</strong>: “Text” contains HTML markup`,
			`data-rule="R26" data-lang="zh-Hant">`, "“Expires” is empty; receivers will choose their own expiry."}},
		{"zh-Hant", hant, []string{"CAP 訊息建議", `data-rule="R23" data-lang="en">`, "含有 HTML 標記或實體",
			"未填「失效時間」；接收端會自行決定何時失效。"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.b.Get(page)
			apptest.WantStatus(t, res, http.StatusOK)
			apptest.WantBody(t, res, tt.want...)
			res = tt.b.PostForm("/desk/notices/preview", noticeFormWith(w.Crisis.ID, "en.body", "Signal 8 &amp; rising."))
			apptest.WantStatus(t, res, http.StatusOK)
			apptest.WantBody(t, res, `id="cap-warnings"`, `data-rule="R23"`)
		})
	}

	// With an expiry and no markup there is nothing to say.
	clean := noticeFormWith(w.Crisis.ID, "expires", "2030-01-01T10:00")
	res = en.PostForm("/desk/notices/preview", clean)
	apptest.WantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, `id="cap-warnings"`) {
		t.Errorf("a clean draft has warnings:\n%s", apptest.Snippet(res.Body))
	}
	// Warnings never hold the draft back.
	apptest.WantStatus(t, en.PostForm(page+"/submit", nil), http.StatusSeeOther)

}

// noticeFormWith is noticeForm with field set to value.
func noticeFormWith(crisisID int64, field, value string) url.Values {
	f := noticeForm(crisisID)
	f.Set(field, value)
	return f
}
