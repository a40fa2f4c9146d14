package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/rumour"
)

// TestBrowserRumourClarified: an editor records a rumour of the typhoon
// on the desk, gives the facts and the verdict, and answers it, which
// opens a drafted clarification in the notice editor; the notice goes
// through review and approval; once published, the clarification is on
// /clarifications with its notice, in the reader's language, and the
// rumour is clarified with its time from first seen.
func TestBrowserRumourClarified(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	ctx := context.Background()
	actors := officeUsers(t, a, "rum-")
	p0 := signedPlan(t, a, actors, "typhoon-rumour", plan.Body{Steps: []plan.Step{{Key: "r1", Phase: plan.Response,
		Title: "First notice", Levels: catalog.Levels, OwnerRole: authz.Editor, Deadline: plan.Duration(30 * time.Minute)}}})
	c, err := a.Store.Crises().Declare(ctx, actors[authz.Commander], crisis.Declaration{Title: "Typhoon Koinu", TypeID: p0.TypeID,
		Level: catalog.LevelII, Location: "Harbour district", OccurredAt: time.Now().Add(-20 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "rum-editor", crisisPassword)
	p.do("open the register", chromedp.Navigate(base+"/desk/rumours"), chromedp.WaitVisible(chromedp.ID("rumour-new")))
	p.axeCheck("/desk/rumours")
	p.submit("open the form", "", "#rumour-form", chromedp.Click(chromedp.ID("rumour-new")))
	p.axeCheck("/desk/rumours/new")
	// First an empty claim: the error summary and the message beside the field.
	p.submit("record without a claim", "", "#error-summary",
		chromedp.SetValue(chromedp.ID("rumour-crisis"), fmt.Sprint(c.ID)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("rumour-claim").removeAttribute("required")`),
		chromedp.Click(chromedp.ID("rumour-submit")))
	p.axeCheck("/desk/rumours/new with errors")
	claim := "The reservoir dam has burst; everyone downstream must leave now"
	p.submit("record the rumour", "", "#rumour-answer",
		chromedp.SendKeys(chromedp.ID("rumour-claim"), claim),
		chromedp.SetValue(chromedp.ID("rumour-spread"), "high"),
		chromedp.SetValue(chromedp.ID("rumour-crisis"), fmt.Sprint(c.ID)),
		chromedp.Click(chromedp.ID("rumour-submit")))
	p.axeCheck("the rumour page")
	p.submit("give the verdict and the facts", "", "#flash",
		chromedp.SetValue(chromedp.ID("rumour-verdict"), "false"),
		chromedp.SendKeys(chromedp.ID("rumour-facts"), "Engineers inspected the dam at 09:00: it is intact. Nobody needs to leave."),
		chromedp.Click(chromedp.ID("rumour-save")))
	p.submit("answer with a clarification", "", "#flash", chromedp.Click(chromedp.ID("rumour-answer")))
	if path := p.path(); !strings.HasPrefix(path, "/desk/notices/") || !strings.HasSuffix(path, "/edit") {
		t.Fatalf("answering opened %s, want the notice editor", path)
	}

	list, _, err := a.Store.Rumours().List(ctx, rumour.Filter{CrisisID: c.ID})
	if err != nil || len(list) != 1 || list[0].NoticeID == 0 || list[0].Verdict != rumour.False {
		t.Fatalf("rumour after answering: %v %+v", err, list)
	}
	x := list[0]
	ns := a.Store.Notices()
	n, err := ns.Get(ctx, x.NoticeID)
	if err != nil || !strings.Contains(n.Content("en").Body, "Engineers inspected") || n.Content("zh-Hant") == nil {
		t.Fatalf("drafted clarification: %v %+v", err, n.Contents)
	}
	// The normal path: submitted by its author, approved and published by an approver.
	if _, err = ns.Submit(ctx, actors[authz.Editor], n.ID, ""); err == nil {
		if _, err = ns.Approve(ctx, actors[authz.Approver], n.ID, "Checked with Water Supplies"); err == nil {
			_, err = ns.Publish(ctx, actors[authz.Approver], n.ID)
		}
	}
	if err != nil {
		t.Fatal(err)
	}

	// The public page, without signing in, in English and in Traditional Chinese.
	pub := openPage(t, newBrowser(t, chromium))
	item := fmt.Sprintf("#clarification-%d", n.ID)
	pub.do("open the clarifications", chromedp.Navigate(base+"/clarifications?lang=en"), chromedp.WaitVisible(chromedp.CSS(item)))
	text := pub.text(item)
	if !strings.Contains(text, claim) || !strings.Contains(text, "False") || !strings.Contains(text, "Clarification:") {
		t.Fatalf("clarification shows %q", text)
	}
	pub.axeCheck("/clarifications")
	pub.do("open it in Traditional Chinese", chromedp.Navigate(base+"/clarifications?lang=zh-Hant"), chromedp.WaitVisible(chromedp.CSS(item)))
	if text := pub.text(item); !strings.Contains(text, "澄清") || !strings.Contains(text, "不實") {
		t.Fatalf("zh-Hant clarification shows %q", text)
	}
	pub.axeCheck("/clarifications in zh-Hant")
	pub.submit("follow it to its notice", "", "main", chromedp.Click(chromedp.CSS(item+" p:last-child a")))
	pub.expectPath(fmt.Sprintf("/notices/%d", n.ID))

	// On the desk the rumour is clarified, with its time from first seen.
	p.do("open the rumour again", chromedp.Navigate(fmt.Sprintf("%s/desk/rumours/%d", base, x.ID)), chromedp.WaitVisible(chromedp.ID("rumour-state")))
	if s := p.text("#rumour-state"); !strings.Contains(s, "Clarified") {
		t.Fatalf("rumour state %q", s)
	}
	if x, err = a.Store.Rumours().Get(ctx, x.ID); err != nil || !x.Clarified() || x.TimeToClarify() <= 0 {
		t.Fatalf("clarified: %v %+v", err, x)
	}
}
