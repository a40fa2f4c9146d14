package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/pdf/pdftest"
	"crisisdesk/internal/sheet/xlsx"
)

// TestBrowserMeetingAndMonthlyReport holds a weekly meeting from its
// generated agenda: the editor generates the agenda (an overdue risk
// action is on it), keeps the minutes, is refused an action without an
// owner and then adds one, and the approver approves the minutes. Then
// the editor generates last month's progress report and writes its
// progress in Chinese, the approver signs it, and both downloads, PDF
// and XLSX, are read back.
func TestBrowserMeetingAndMonthlyReport(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	actors := officeUsers(t, a, "e2e-")
	ctx := context.Background()
	ed, ap, cmd := actors[authz.Editor], actors[authz.Approver], actors[authz.Commander]
	_, m, err := a.Store.Meetings().CreateSeries(ctx, ed, meeting.Series{Title: "Weekly programme meeting", Location: "Room 5",
		FirstStart: time.Now().Add(time.Hour).Truncate(time.Minute), Duration: time.Hour, Invitees: []int64{ed.UserID, ap.UserID, cmd.UserID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Actions().Add(ctx, ed, action.Action{Source: action.Source{Kind: action.FromRisk, ID: 1},
		Text: "Review the panic-risk mitigation", OwnerID: cmd.UserID, Due: time.Now().Add(3 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/desk/meetings/%d", base, m.ID)

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	signOut := func() {
		t.Helper()
		p.do("back to the desk", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("signout")))
		p.submit("sign out", "", "#signin-form", chromedp.Click(chromedp.ID("signout")))
	}

	p.signIn(base, "e2e-editor", crisisPassword)
	p.do("open the meeting", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("agenda-generate")))
	p.submit("generate the agenda", "", "#agenda-actions", chromedp.Click(chromedp.ID("agenda-generate")))
	if got := p.text("#agenda"); !strings.Contains(got, "Review the panic-risk mitigation") {
		t.Fatalf("the agenda lacks the open action:\n%s", got)
	}

	p.submit("keep the minutes", "", "#minutes-form",
		chromedp.SendKeys(chromedp.ID("minutes-decisions"), "Train a second approver"),
		chromedp.Click(chromedp.ID("minutes-save")))
	due := time.Now().Add(10 * 24 * time.Hour).Format("2006-01-02")
	p.submit("an action without an owner", "", "#error-summary",
		chromedp.SendKeys(chromedp.ID("action-text"), "Check the generators"),
		chromedp.SetValue(chromedp.ID("action-due"), due),
		chromedp.Click(chromedp.ID("action-add")))
	if got := p.text("#action-owner-error"); got == "" {
		t.Fatal("no message beside the owner")
	}
	p.axeCheck("the meeting with a refused action")
	p.submit("add the action", "", "#meeting-actions-table",
		chromedp.SetValue(chromedp.ID("action-owner"), itoa(cmd.UserID)),
		chromedp.Click(chromedp.ID("action-add")))
	if got := p.text("#meeting-actions-table"); !strings.Contains(got, "Check the generators") {
		t.Fatalf("actions: %s", got)
	}
	p.do("the action list", chromedp.Navigate(base+"/desk/actions?source=meeting"), chromedp.WaitVisible(chromedp.ID("actions-table")))
	if got := p.text("#actions-table"); !strings.Contains(got, "Check the generators") {
		t.Fatalf("the one action list lacks the meeting's action: %s", got)
	}
	p.axeCheck("the action list")
	signOut()

	p.signIn(base, "e2e-approver", crisisPassword)
	p.do("open the meeting", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("minutes-approve")))
	p.submit("approve the minutes", "", "#minutes-approved", chromedp.Click(chromedp.ID("minutes-approve")))

	// The report, in a browser of its own: a page lives a minute.
	p = openPage(t, newBrowser(t, chromium))
	p.signIn(base, "e2e-editor", crisisPassword)
	p.do("the reports", chromedp.Navigate(base+"/desk/reports"), chromedp.WaitVisible(chromedp.ID("report-generate")))
	p.axeCheck("the reports")
	p.submit("generate last month's report", "", "#report-form", chromedp.Click(chromedp.ID("report-generate")))
	p.axeCheck("a draft report")
	p.submit("write the progress", "", "#report-form",
		chromedp.SendKeys(chromedp.ID("report-progress"), "颱風應急預案運作良好。"),
		chromedp.SendKeys(chromedp.ID("report-recipients"), "pmo@example.org"),
		chromedp.Click(chromedp.ID("report-save")))
	reportPath := p.path()
	signOut()

	p.signIn(base, "e2e-approver", crisisPassword)
	p.do("open the report", chromedp.Navigate(base+reportPath), chromedp.WaitVisible(chromedp.ID("report-approve")))
	p.submit("sign the report", "", "#report-signed", chromedp.Click(chromedp.ID("report-approve")))
	p.axeCheck("a signed report")

	pdfData := download(t, p, reportPath+"/report.pdf")
	text := pdftest.Text(t, pdfData)
	for _, want := range []string{"Monthly progress report", "颱風應急預案運作良好。", "Approved by"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	rows, err := xlsx.Read(bytes.NewReader(download(t, p, reportPath+"/report.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, r := range rows {
		cells = append(cells, strings.Join(r, " | "))
	}
	if all := strings.Join(cells, "\n"); !strings.Contains(all, "颱風應急預案運作良好。") || !strings.Contains(all, "Monthly progress report") {
		t.Errorf("the workbook:\n%s", all)
	}
}

// download fetches path with the page's session, as the download link
// would, and returns the bytes.
func download(t *testing.T, p *page, path string) []byte {
	t.Helper()
	js := `(async () => {
		const r = await fetch(` + "`" + path + "`" + `, {credentials: "same-origin"});
		if (!r.ok) { throw new Error("status " + r.status); }
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < b.length; i += 8192) { s += String.fromCharCode.apply(null, b.subarray(i, i + 8192)); }
		return btoa(s);
	})()`
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download %s: %v", path, err)
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("download %s: %v", path, err)
	}
	return data
}
