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
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// TestBrowserFeedback: a resident asks a question from a crisis's public
// page, without JavaScript's help and without an account, and gets a
// reference; the editor answers it at /desk/feedback, publishes the answer
// in the crisis's FAQ and links the question to the correction it caused;
// the resident reads the reply at /feedback/{ref}, and the FAQ is on the
// crisis page.
func TestBrowserFeedback(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	pl := officeFor(t, a)
	ctx := context.Background()
	user := func(name string) authz.Actor {
		u, err := a.Store.Accounts().UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(authz.SourceCLI)
	}
	ed, ap, cmd := user("e2e-editor"), user("e2e-approver"), user("e2e-commander")
	c, err := a.Store.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon Koinu", TypeID: pl.TypeID, Level: catalog.LevelII,
		Location: "Harbour district", OccurredAt: time.Now().Add(-40 * time.Minute)})
	if err == nil {
		c, err = a.Store.Crises().Activate(ctx, cmd, c.ID, pl.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	ns := a.Store.Notices()
	publish := func(n notice.Notice) notice.Notice {
		t.Helper()
		n, err := ns.Submit(ctx, ed, n.ID, "")
		if err == nil {
			n, err = ns.Approve(ctx, ap, n.ID, "")
		}
		if err == nil {
			n, err = ns.Publish(ctx, ap, n.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	first, err := ns.Create(ctx, ed, notice.Notice{CrisisID: c.ID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: i18n.TraditionalChinese, Headline: "渡輪晚上八時停航", Body: "渡輪服務今晚八時起暫停。"},
			{Language: i18n.English, Headline: "Ferries stop at 20:00", Body: "Ferry services stop from 20:00 tonight."},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
			Area: notice.Area{Description: "Harbour district"}}})
	if err != nil {
		t.Fatal(err)
	}
	first = publish(first)
	fixed := append([]notice.Content(nil), first.Contents...)
	fixed[0].Headline, fixed[0].Body = "渡輪晚上六時停航", "渡輪服務今晚六時起暫停。"
	fixed[1].Headline, fixed[1].Body = "Ferries stop at 18:00", "Ferry services stop from 18:00 tonight."
	corr, err := ns.Correct(ctx, ed, first.ID, notice.Factual, fixed)
	if err != nil {
		t.Fatal(err)
	}
	corr = publish(corr)

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)

	// The resident: from the crisis page to the form, a question, a reference.
	const question = "The notice says the ferry stops at 20:00 but the pier says 18:00. <b>Which is right?</b>"
	p.do("open the crisis page", chromedp.Navigate(fmt.Sprintf("%s/crises/%d?lang=en", base, c.ID)), chromedp.WaitVisible(chromedp.ID("ask-question")))
	p.submit("open the form", "en", "#message", chromedp.Click(chromedp.ID("ask-question")))
	p.submit("send an empty question", "en", "#message-error", chromedp.Click(chromedp.ID("feedback-submit")))
	p.submit("ask", "en", "#feedback-ref",
		chromedp.SendKeys(chromedp.ID("message"), question),
		chromedp.Click(chromedp.ID("feedback-submit")))
	ref := p.text("#feedback-ref")
	if !strings.HasPrefix(ref, "FB-") {
		t.Fatalf("reference %q", ref)
	}
	fb, err := a.Store.Feedback().ByRef(ctx, ref)
	if err != nil || fb.CrisisID != c.ID || fb.Message != question {
		t.Fatalf("stored %+v %v", fb, err)
	}
	p.submit("look it up", "en", "#status-reply", chromedp.Click(chromedp.ID("feedback-status-link")))
	if got := p.text("#status-reply"); !strings.Contains(got, "No reply yet") {
		t.Fatalf("before the reply: %q", got)
	}

	// The editor answers, publishes the answer and links the correction.
	const reply = "The pier is right: ferries stop at 18:00. We have corrected the notice."
	p.signIn(base, "e2e-editor", crisisPassword)
	p.do("open the list", chromedp.Navigate(base+"/desk/feedback"), chromedp.WaitVisible(chromedp.ID("feedback-table")))
	if !strings.Contains(p.text("#feedback-table"), ref) || !strings.Contains(p.text("#feedback-table"), "<b>Which is right?</b>") {
		t.Fatalf("the list: %s", p.text("#feedback-table"))
	}
	p.submit("open the question", "", "#reply-form", chromedp.Click(chromedp.CSS(fmt.Sprintf("#feedback-row-%d a", fb.ID))))
	p.submit("reply", "", "#fb-reply",
		chromedp.SendKeys(chromedp.ID("fb-reply-text"), reply),
		chromedp.Click(chromedp.ID("reply-submit")))
	p.submit("publish in the FAQ", "", "#fb-faq",
		chromedp.SendKeys(chromedp.ID("fb-question"), "When do the ferries stop?"),
		chromedp.Click(chromedp.ID("publish-submit")))
	p.submit("link the correction", "", "#fb-correction",
		chromedp.SetValue(chromedp.ID("fb-correction-id"), fmt.Sprint(corr.ID)),
		chromedp.Click(chromedp.ID("correction-submit")))
	fb, err = a.Store.Feedback().ByRef(ctx, ref)
	if err != nil || fb.CorrectionID != corr.ID || fb.Reply != reply || !fb.FAQ.Published() {
		t.Fatalf("after the editor: %+v %v", fb, err)
	}
	p.do("back to the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signout")))
	p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))

	// The resident reads the reply, and the crisis page has the answer.
	p.do("the reference page", chromedp.Navigate(base+"/feedback/"+ref+"?lang=en"), chromedp.WaitVisible(chromedp.ID("status-reply")))
	if got := p.text("#status-reply"); got != reply || !strings.Contains(p.text("#status-state"), "Replied") {
		t.Fatalf("the resident sees %q (%s)", got, p.text("#status-state"))
	}
	p.do("a reference that does not exist", chromedp.Navigate(base+"/feedback/FB-0000-0000?lang=en"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := p.text("h1"); got != "Reference not found" {
		t.Fatalf("unknown reference: %q", got)
	}
	p.do("the crisis page", chromedp.Navigate(fmt.Sprintf("%s/crises/%d?lang=en", base, c.ID)), chromedp.WaitVisible(chromedp.ID("faq")))
	if got := p.text("#faq"); !strings.Contains(got, "When do the ferries stop?") || !strings.Contains(got, "18:00") {
		t.Fatalf("FAQ: %q", got)
	}
}
