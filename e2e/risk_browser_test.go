package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/risk"
)

// TestBrowserRiskLive rates a risk of the default register up in one tab
// and sees it arrive on the dashboard in another without a reload; on
// the way every page of the register and the work plan passes axe.
func TestBrowserRiskLive(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	officeFor(t, a)
	ctx := context.Background()
	list, _, err := a.Store.Risks().List(ctx, risk.Filter{})
	if err != nil || len(list) != len(risk.Defaults) {
		t.Fatalf("the default register: %v %v", list, err)
	}
	var k risk.Risk
	for _, x := range list {
		if x.Key == "coordination" {
			k = x
		}
	}
	cmd, err := a.Store.Accounts().UserByName(ctx, "e2e-commander")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := a.Store.Work().CreateProgramme(ctx, cmd.Actor(authz.SourceCLI), "Programme", time.Now().AddDate(0, 0, -45), true)
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "e2e-commander", crisisPassword)
	p.do("open the dashboard", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("dashboard-risks")))
	p.do("the dashboard is live", chromedp.WaitVisible(chromedp.CSS(`#dashboard[data-live-state="open"]`)))
	p.axeCheck("/desk")

	other, closeOther := chromedp.NewContext(browser)
	defer closeOther()
	otherCtx, cancelOther := context.WithTimeout(other, browserTimeout)
	defer cancelOther()
	rater := &page{t: t, ctx: otherCtx}
	rater.do("open the register", chromedp.Navigate(base+"/desk/risks"), chromedp.WaitVisible(chromedp.ID("risk-heatmap")))
	rater.axeCheck("/desk/risks")
	riskPage := fmt.Sprintf("%s/desk/risks/%d", base, k.ID)
	rater.do("open the risk", chromedp.Navigate(riskPage), chromedp.WaitVisible(chromedp.ID("risk-rate-form")))
	rater.axeCheck("a risk")
	rater.submit("rate off the scale", "", "#error-summary",
		chromedp.SetValue(chromedp.ID("rate-likelihood"), "4"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("rate-impact").options[4].value = "9"`),
		chromedp.SetValue(chromedp.ID("rate-impact"), "9"),
		chromedp.Click(chromedp.ID("risk-rate")))
	rater.axeCheck("a risk with a refused rating")
	rater.submit("rate the risk up", "", "#risk-trend",
		chromedp.SetValue(chromedp.ID("rate-likelihood"), "4"),
		chromedp.SetValue(chromedp.ID("rate-impact"), "5"),
		chromedp.SendKeys(chromedp.ID("rate-note"), "Two departments missed the briefing"),
		chromedp.Click(chromedp.ID("risk-rate")))
	if got := rater.text("#risk-trend"); got != "Rising" {
		t.Errorf("trend %q", got)
	}

	p.do("the rating arrives on the dashboard without a reload",
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#dashboard-risk-%d .band-extreme", k.ID))))
	p.axeCheck("/desk with a rated risk")

	rater.do("open the new-risk form", chromedp.Navigate(base+"/desk/risks/new"), chromedp.WaitVisible(chromedp.ID("risk-form")))
	rater.submit("raise an empty risk", "", "#error-summary", chromedp.Click(chromedp.ID("risk-submit")))
	rater.axeCheck("the new-risk form with errors")

	work := fmt.Sprintf("%s/desk/work/%d", base, prog.ID)
	rater.do("open the work plans", chromedp.Navigate(base+"/desk/work"), chromedp.WaitVisible(chromedp.ID("programmes")))
	rater.axeCheck("/desk/work")
	rater.do("open the programme", chromedp.Navigate(work), chromedp.WaitVisible(chromedp.ID("work-gantt")))
	rater.do("today's line and overdue work", chromedp.WaitVisible(chromedp.ID("gantt-today")), chromedp.WaitVisible(chromedp.CSS(".gantt-row.overdue")))
	rater.axeCheck("a programme")
}
