package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

// TestTemplateFillsItsLanguageOnly: choosing a template in the editor
// fills its own language's tab and the CAP fields still empty; what was
// typed in another language, and a CAP field already set, stay.
func TestTemplateFillsItsLanguageOnly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World() // a level III template in English
	author, _ := e.SignedIn("author", authz.Editor)
	form := url.Values{"crisis_id": {fmt.Sprint(w.Crisis.ID)}, "kind": {"alert"}, "audience": {"public"},
		"lang": {"zh-Hant", "zh-Hans", "en"}, "zh-Hant.headline": {"已寫好的標題"}, "zh-Hant.body": {"已寫好的內文。"},
		"en.headline": {""}, "event": {"Storm"}, "template": {"0"}}
	res := author.PostForm("/desk/notices/template", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `value="Typhoon at Harbour"`, `value="已寫好的標題"`, "已寫好的內文。", `id="cap-event" name="event" value="Storm"`,
		fmt.Sprintf(`name="template_plan_id" value="%d"`, w.Plan.ID), `id="template-0"`)
}
