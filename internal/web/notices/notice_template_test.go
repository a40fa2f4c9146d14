package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
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

// TestTemplatePlaceholdersInTheNoticeScript: a Simplified Chinese template
// fills the crisis's Traditional words in Simplified characters.
func TestTemplatePlaceholdersInTheNoticeScript(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	body := w.Plan.Body
	body.Templates = append(body.Templates, plan.Template{Level: catalog.LevelIII, Audience: plan.Public, Language: "zh-Hans",
		Headline: "{{location}}台风", Body: "{{title}}。"})
	p, err := e.Store.Plans().Save(t.Context(), apptest.As(w.Editor), w.Plan.ID, w.Plan.Lock, w.Plan.Title, body)
	if err == nil {
		_, err = e.Store.Plans().Submit(t.Context(), apptest.As(w.Editor), p.ID, "")
	}
	if err == nil {
		_, err = e.Store.Plans().Review(t.Context(), apptest.As(w.Reviewer), p.ID, "")
	}
	if err == nil {
		p, err = e.Store.Plans().Approve(t.Context(), apptest.As(w.Approver), p.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Store.Crises().Declare(t.Context(), apptest.As(w.Commander), crisis.Declaration{Title: "颱風「蘇拉」", TypeID: w.Type.ID,
		Level: catalog.LevelIII, Location: "灣仔海旁", OccurredAt: e.Clock.Now().Add(-5 * time.Minute)})
	if err == nil {
		_, err = e.Store.Crises().Activate(t.Context(), apptest.As(w.Commander), c.ID, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	author, _ := e.SignedIn("author", authz.Editor)
	res := author.Get(fmt.Sprintf("/desk/notices/new?crisis=%d&audience=public&template=0", c.ID))
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="zh-Hans-headline" name="zh-Hans.headline" value="湾仔海旁台风"`, "台风「苏拉」。")
}
