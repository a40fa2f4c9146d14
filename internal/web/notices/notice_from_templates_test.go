package notices_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
)

var draftLocation = regexp.MustCompile(`^/desk/notices/(\d+)(/publish|\?done=notice_created)$`)

// TestDraftFromTemplates: one click in the crisis room drafts the notice
// of every language the plan's templates give, with their CAP fields; the
// editor sees the draft, the commander the publish confirmation. The
// approver can approve and go on to the confirmation in one step.
func TestDraftFromTemplates(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	// A second, complete template for level III in Traditional Chinese.
	body := w.Plan.Body
	body.Templates[0].Instruction, body.Templates[0].Contact = "Keep away from the shore.", "Hotline 1823"
	body.Templates[0].CAP = plan.TemplateCAP{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: "Moderate",
		Certainty: "Likely", Area: "{{location}}"}
	body.Templates = append(body.Templates, plan.Template{Level: catalog.LevelIII, Audience: plan.Public, Language: "zh-Hant",
		Headline: "{{location}}颱風", Body: "請留在室內。", Instruction: "遠離海旁。", Contact: "熱線 1823"})
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
	c, err := e.Store.Crises().Declare(t.Context(), apptest.As(w.Commander), crisis.Declaration{Title: "Typhoon Haikui", TypeID: w.Type.ID,
		Level: catalog.LevelIII, Location: "Harbour", OccurredAt: e.Clock.Now().Add(-5 * time.Minute)})
	if err == nil {
		c, err = e.Store.Crises().Activate(t.Context(), apptest.As(w.Commander), c.ID, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	ed := e.SignIn(w.Editor)
	// The world's crisis runs the first version, whose template lacks
	// most CAP fields: the draft saves, and submitting it names what is
	// missing.
	res := ed.PostForm("/desk/notices/from-templates", url.Values{"crisis_id": {fmt.Sprint(w.Crisis.ID)}})
	m := draftLocation.FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("draft from an incomplete template: %d %q", res.Status, res.Location())
	}
	res = ed.PostForm("/desk/notices/"+m[1]+"/submit", nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="error-summary"`, "<li>Urgency: ", "<li>Certainty: ")

	apptest.WantBody(t, ed.Get(fmt.Sprintf("/desk/crises/%d", c.ID)), `id="crisis-draft-from-templates"`)
	res = ed.PostForm("/desk/notices/from-templates", url.Values{"crisis_id": {fmt.Sprint(c.ID)}, "audience": {"public"}})
	m = draftLocation.FindStringSubmatch(res.Location())
	if res.Status != http.StatusSeeOther || m == nil || m[2] != "?done=notice_created" {
		t.Fatalf("draft from templates: %d %q\n%s", res.Status, res.Location(), apptest.Snippet(res.Body))
	}
	n, err := e.Store.Notices().Get(t.Context(), mustID(t, m[1]))
	if err != nil {
		t.Fatal(err)
	}
	en := n.Content("en")
	if n.Status != notice.Draft || en == nil || en.Headline != "Typhoon at Harbour" || n.TemplatePlanID == 0 ||
		n.Content("zh-Hant") == nil || n.Content("zh-Hant").Instruction != "遠離海旁。" {
		t.Fatalf("drafted %+v", n)
	}
	if n.CAP.Event != "Typhoon" || n.CAP.Category != "Met" || n.CAP.Urgency == "" || n.CAP.Certainty == "" || n.CAP.Area.Description != "Harbour" {
		t.Errorf("CAP fields %+v", n.CAP)
	}

	// The approver approves and goes on to the confirmation.
	apptest.WantStatus(t, ed.PostForm(fmt.Sprintf("/desk/notices/%d/submit", n.ID), nil), http.StatusSeeOther)
	ap := e.SignIn(w.Approver)
	page := fmt.Sprintf("/desk/notices/%d", n.ID)
	apptest.WantBody(t, ap.Get(page), `id="notice-approve-publish"`)
	res = ap.PostForm(page+"/approve", url.Values{"then": {"publish"}})
	if res.Status != http.StatusSeeOther || res.Location() != page+"/publish" {
		t.Fatalf("approve then publish: %d %q", res.Status, res.Location())
	}
	if got, _ := e.Store.Notices().Get(t.Context(), n.ID); got.Status != notice.Approved {
		t.Fatalf("after approving, the notice is %s", got.Status)
	}
}
