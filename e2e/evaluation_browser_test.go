package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/sheet/xlsx"
)

// TestBrowserEvaluation opens this quarter's evaluation as a reviewer,
// switches a chart to its table, generates the quarterly report and
// reads its workbook and its PDF back, and opens its print view.
func TestBrowserEvaluation(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	pl := officeFor(t, a)
	ctx := context.Background()
	cmd, err := a.Store.Accounts().UserByName(ctx, "e2e-commander")
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Store.Crises().Declare(ctx, cmd.Actor(authz.SourceCLI), crisis.Declaration{Title: "Typhoon", TypeID: pl.TypeID,
		Level: catalog.LevelII, Location: "Harbour", OccurredAt: time.Now().Add(-20 * time.Minute)})
	if err == nil {
		_, err = a.Store.Crises().Activate(ctx, cmd.Actor(authz.SourceCLI), c.ID, pl.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	quarter := kpi.QuarterOf(time.Now()).String()

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "e2e-reviewer", crisisPassword)
	p.do("open the quarter", chromedp.Navigate(base+"/desk/evaluation?period="+quarter),
		chromedp.WaitVisible(chromedp.ID("figures-table")),
		chromedp.WaitVisible(chromedp.CSS(`[data-chart-switch="chart-trend-times"]`)))
	p.axeCheck("the evaluation dashboard")
	if got := p.text("#figure-response_time-minutes"); !strings.Contains(got, "min") {
		t.Fatalf("response time row: %q", got)
	}
	hidden, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.getElementById("chart-trend-times-table").hidden`))
	if err != nil || !hidden {
		t.Fatalf("with scripts the chart shows first, its table hidden: %v %v", hidden, err)
	}
	p.do("switch the chart to its table", chromedp.Click(chromedp.CSS(`[data-chart-switch="chart-trend-times"]`)),
		chromedp.WaitVisible(chromedp.ID("chart-trend-times-table")))
	if got := p.text("#chart-trend-times-table"); !strings.Contains(got, quarter) {
		t.Fatalf("the table of the trend: %q", got)
	}
	p.axeCheck("the dashboard with a chart's table shown")

	p.submit("generate the quarterly report", "", "#comment-form", chromedp.Click(chromedp.ID("report-generate")))
	p.axeCheck("the quarterly report")
	b64, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`fetch(document.getElementById("report-xlsx").href)
		.then(r => r.arrayBuffer()).then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	book, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := xlsx.Read(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("read the workbook back: %v", err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 6 && r[0] == "response_time" && r[1] == "minutes" && r[2] == "real" && r[3] != "" && r[6] == "1" {
			found = true
		}
	}
	if len(rows) < 8 || rows[0][1] != quarter || !found {
		t.Fatalf("workbook %v", rows)
	}
	head, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`fetch(document.getElementById("report-pdf").href)
		.then(r => r.arrayBuffer()).then(b => String.fromCharCode(...new Uint8Array(b).slice(0, 5)))`, chromedp.EvalAwaitPromise))
	if err != nil || head != "%PDF-" {
		t.Fatalf("the report's PDF starts %q: %v", head, err)
	}
	p.do("the print view", chromedp.Navigate(strings.TrimSuffix(p.url(), "?done=evaluation_generated")+"/print"),
		chromedp.WaitVisible(chromedp.ID("report-figures-title")))
	p.axeCheck("the report's print view")
}
