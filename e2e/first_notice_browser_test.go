package e2e

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/app"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/notice"
)

// The first public notice, right and fast (issue 12): from the declaration
// to a published notice on the demo's typhoon plan, whose templates are
// complete, counting every UI action — each click and each field filled
// or chosen is one. Signing in and out is not counted: the two people sit
// at their own desks.

// actions counts the UI actions of a path and fails the test beyond its
// budget.
type actions struct {
	t      *testing.T
	n      int
	log    []string
	budget int
}

// act counts one action named what.
func (a *actions) act(what string) {
	a.n++
	a.log = append(a.log, fmt.Sprintf("%d. %s", a.n, what))
}

// check fails the test when the path took more than its budget.
func (a *actions) check(path string) {
	a.t.Helper()
	a.t.Logf("%s in %d UI actions:\n%s", path, a.n, strings.Join(a.log, "\n"))
	if a.n > a.budget {
		a.t.Errorf("%s took %d UI actions; the goal is at most %d", path, a.n, a.budget)
	}
}

// demoOffice loads the demo (its typhoon plan is the type's one approved
// plan) and adds the test's own people, and returns the typhoon type's id.
func demoOffice(t *testing.T, a *app.App) int64 {
	t.Helper()
	if _, err := demo.Load(context.Background(), a.Store, time.Now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	officeUsers(t, a, "fn-")
	return typhoonType(t, a)
}

// declareAndDraft declares a level II typhoon from the declaration page,
// with the plan activated in the same step, and drafts the public notice
// from the plan's templates, counting the actions. The commander ends on
// the publish confirmation.
func declareAndDraft(p *page, base string, typeID int64, title string, count *actions) {
	p.t.Helper()
	count.act("open the declaration page (one navigation click)")
	p.do("open the declaration form", chromedp.Navigate(base+"/desk/crises/new"), chromedp.WaitVisible(chromedp.ID("declare-form")))
	count.act("type the title")
	count.act("choose the type")
	count.act("choose level II")
	count.act("type the location")
	count.act("declare (the plan is activated in the same step)")
	p.submit("declare and activate", "", "#crisis-draft-template",
		chromedp.SendKeys(chromedp.ID("crisis-title"), title),
		chromedp.SetValue(chromedp.ID("crisis-type"), fmt.Sprint(typeID)),
		chromedp.SetValue(chromedp.ID("crisis-level"), "II"),
		chromedp.SendKeys(chromedp.ID("crisis-location"), "Harbour district"),
		chromedp.Click(chromedp.ID("declare-submit")))
	count.act("draft the public notice from the plan's templates")
	p.submit("draft from the templates", "", "#publish-confirm", chromedp.Click(chromedp.ID("crisis-draft-template")))
}

// publishedNotice is the notice whose staff page p shows, checked to be
// published in all three languages of the template.
func publishedNotice(t *testing.T, p *page, a *app.App, fastPath bool) notice.Notice {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(p.path(), "/desk/notices/%d", &id); err != nil {
		t.Fatalf("not on a notice page: %s", p.path())
	}
	n, err := a.Store.Notices().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if n.Status != notice.Published || n.FastPath != fastPath || len(n.Contents) != 3 || n.CAP.Urgency == "" {
		t.Fatalf("notice %d: status %s, fast path %v, %d languages, CAP %+v", n.ID, n.Status, n.FastPath, len(n.Contents), n.CAP)
	}
	return n
}

// TestBrowserFastPathFirstNotice: the commander alone — declare, activate,
// draft from the template, publish now without review, confirmed — in at
// most 8 UI actions.
func TestBrowserFastPathFirstNotice(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	typeID := demoOffice(t, a)
	p := openPage(t, newBrowser(t, chromium))
	p.signIn(base, "fn-commander", crisisPassword)

	count := &actions{t: t, budget: 8}
	declareAndDraft(p, base, typeID, "Typhoon Fast", count)
	if txt := p.text("#publish-confirm"); txt != "Publish now without review" {
		t.Fatalf("the fast path's confirm button says %q", txt)
	}
	count.act("publish now without review, confirmed on the page that shows where it goes")
	p.submit("publish now", "", "#notice-public", chromedp.Click(chromedp.ID("publish-confirm")))
	count.check("the commander's fast path")

	n := publishedNotice(t, p, a, true)
	if en := n.Content("en"); en == nil || en.Headline != "Typhoon warning for Harbour district" {
		t.Errorf("published headline %+v", en)
	}
}

// TestBrowserTwoPersonFirstNotice: the commander drafts and submits, the
// approver approves and publishes, confirmed — in at most 12 UI actions.
func TestBrowserTwoPersonFirstNotice(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	typeID := demoOffice(t, a)
	p := openPage(t, newBrowser(t, chromium))
	p.signIn(base, "fn-commander", crisisPassword)

	count := &actions{t: t, budget: 12}
	declareAndDraft(p, base, typeID, "Typhoon Two", count)
	count.act("submit for approval instead of publishing")
	p.submit("submit for approval", "", "#notice-status", chromedp.Click(chromedp.ID("publish-submit-instead")))
	noticePath := p.path()

	p.do("back to the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signout")))
	p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	p.signIn(base, "fn-approver", crisisPassword)

	count.act("open the notices queue (navigation)")
	p.submit("open the queue", "", "#notices-table", chromedp.Click(chromedp.ID("nav-notices")))
	count.act("open the submitted notice")
	p.submit("open the notice", "", "#notice-approve-publish", chromedp.Click(chromedp.CSS(`#notices-table a[href="`+noticePath+`"]`)))
	count.act("approve, then check and publish")
	p.submit("approve", "", "#publish-confirm", chromedp.Click(chromedp.ID("notice-approve-publish")))
	if txt := p.text("#publish-confirm"); txt != "Publish now" {
		t.Fatalf("the approved notice's confirm button says %q", txt)
	}
	count.act("publish, confirmed")
	p.submit("publish", "", "#notice-public", chromedp.Click(chromedp.ID("publish-confirm")))
	count.check("the two-person path")

	publishedNotice(t, p, a, false)
}
