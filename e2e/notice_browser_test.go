package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/app"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
)

// releaseOffice makes an editor, an approver and a commander, a typhoon
// plan with a public level II template signed by three people, and a
// level II crisis with that plan activated. It returns the crisis.
func releaseOffice(t *testing.T, a *app.App) crisis.Crisis {
	t.Helper()
	ctx := context.Background()
	actors := officeUsers(t, a, "rel-")
	p := signedPlan(t, a, actors, "typhoon-release", plan.Body{
		Steps: []plan.Step{{Key: "r1", Phase: plan.Response, Title: "First notice", Levels: catalog.Levels,
			OwnerRole: authz.Editor, Deadline: plan.Duration(30 * time.Minute)}},
		Templates: []plan.Template{{Level: catalog.LevelII, Audience: plan.Public, Language: "en",
			Headline: "Typhoon warning for {{location}}", Body: "Signal No. 8 expected. Storm surge up to 1.2 m."}},
	})
	c, err := a.Store.Crises().Declare(ctx, actors[authz.Commander], crisis.Declaration{Title: "Typhoon Koinu", TypeID: p.TypeID,
		Level: catalog.LevelII, Location: "Harbour district", OccurredAt: time.Now().Add(-20 * time.Minute)})
	if err == nil {
		c, err = a.Store.Crises().Activate(ctx, actors[authz.Commander], c.ID, p.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBrowserNoticeRelease: an editor drafts from the plan's template, an
// approver approves and publishes, the public page shows it; then a
// correction goes the same way and the public page shows what changed.
func TestBrowserNoticeRelease(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	c := releaseOffice(t, a)
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)

	signInAs := func(name string) { t.Helper(); p.signIn(base, name, crisisPassword) }
	signOut := func() {
		t.Helper()
		p.do("back to the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signout")))
		p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	}
	// approveAndPublish takes the notice on the current page through the
	// approver's two steps and returns its id.
	approveAndPublish := func(noticePath string) {
		t.Helper()
		signOut()
		signInAs("rel-approver")
		p.do("open the notice", chromedp.Navigate(base+noticePath), chromedp.WaitVisible(chromedp.ID("notice-approve")))
		p.submit("approve", "", "#notice-publish", chromedp.Click(chromedp.ID("notice-approve")))
		p.submit("open the publish confirmation", "", "#publish-confirm", chromedp.Click(chromedp.ID("notice-publish")))
		p.submit("confirm the publish", "", "#notice-public", chromedp.Click(chromedp.ID("publish-confirm")))
	}

	signInAs("rel-editor")
	p.do("draft from the template", chromedp.Navigate(fmt.Sprintf("%s/desk/notices/new?crisis=%d&template=0", base, c.ID)),
		chromedp.WaitVisible(chromedp.ID("notice-form")))
	headline, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.ID("en-headline")))
	if err != nil || headline != "Typhoon warning for Harbour district" {
		t.Fatalf("template prefill: %q %v", headline, err)
	}
	severity, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.ID("cap-severity")))
	if err != nil || severity != "Severe" {
		t.Fatalf("level II should prefill CAP severity Severe, got %q %v", severity, err)
	}
	p.submit("save the draft", "", "#notice-submit",
		chromedp.SetValue(chromedp.ID("cap-category"), "Met"),
		chromedp.SetValue(chromedp.ID("cap-urgency"), "Expected"),
		chromedp.SetValue(chromedp.ID("cap-certainty"), "Likely"),
		chromedp.Click(chromedp.ID("notice-save")))
	first := p.path()
	p.submit("submit for approval", "", "#notice-status", chromedp.Click(chromedp.ID("notice-submit")))
	approveAndPublish(first)

	public := strings.Replace(first, "/desk/notices/", "/notices/", 1)
	p.do("the public page shows it", chromedp.Navigate(base+public+"?lang=en"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := p.text("h1"); h != "Typhoon warning for Harbour district" {
		t.Fatalf("public headline %q", h)
	}

	// The correction: drafted by the editor from the published text.
	signOut()
	signInAs("rel-editor")
	p.do("open the published notice", chromedp.Navigate(base+first), chromedp.WaitVisible(chromedp.ID("correct-form")))
	p.submit("draft the correction", "", "#notice-submit",
		chromedp.SetValue(chromedp.ID("correct-body-en"), "Signal No. 8 expected. Storm surge up to 1.5 m."),
		chromedp.Click(chromedp.ID("notice-correct")))
	correction := p.path()
	p.submit("submit the correction", "", "#notice-status", chromedp.Click(chromedp.ID("notice-submit")))
	approveAndPublish(correction)

	p.do("the original's public page now shows the correction", chromedp.Navigate(base+public+"?lang=en"),
		chromedp.WaitVisible(chromedp.CSS("p.changed")), chromedp.WaitVisible(chromedp.CSS(".diff ins")))
	if ins := p.text(".diff ins"); !strings.Contains(ins, "5") {
		t.Fatalf("the diff shows %q inserted", ins)
	}
}
