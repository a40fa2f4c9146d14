package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/press"
	"crisisdesk/internal/resource"
)

// TestBrowserMediaAndResources works the media desk and the inventory in
// the browser: the editor answers a journalist's inquiry on the typhoon
// before its reply clock runs out (an empty reply first comes back with
// the field named), allocates sandbags to the crisis and sees the
// inventory go down (more than is on hand is refused), then exports the
// inventory to XLSX and the test reads the workbook back with excelize.
func TestBrowserMediaAndResources(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	officeFor(t, a)
	ctx := context.Background()
	user := func(name string) authz.Actor {
		u, err := a.Store.Accounts().UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor(authz.SourceCLI)
	}
	ed, cmd := user("e2e-editor"), user("e2e-commander")
	c, err := a.Store.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon Koinu", TypeID: typhoonType(t, a), Level: catalog.LevelII,
		Location: "Harbour", OccurredAt: time.Now().Add(-15 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	j, err := a.Store.Press().AddJournalist(ctx, ed, press.Journalist{Name: "Sarah Mitchell", Outlet: "The Coastal Post", Language: "en",
		Email: "s.mitchell@coastalpost.example", Channels: []string{"email"}, Consent: true, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	q, err := a.Store.Press().LogInquiry(ctx, ed, press.Inquiry{CrisisID: c.ID, JournalistID: j.ID, Channel: press.ChannelEmail,
		Question: "How many households have been evacuated?", ReceivedAt: now.Add(-5 * time.Minute), OwnerID: ed.UserID, ReplyBy: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	bags, err := a.Store.Resources().AddItem(ctx, cmd, resource.Item{Name: "Sandbags", Category: "flood", Unit: "bags", Quantity: 500,
		Minimum: 100, Location: "Depot A"})
	if err != nil {
		t.Fatal(err)
	}

	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	p.signIn(base, "e2e-editor", crisisPassword)

	// The inquiry, before its clock runs out.
	p.do("open the media desk", chromedp.Navigate(base+"/desk/media"), chromedp.WaitVisible(chromedp.ID("inquiries-table")))
	p.axeCheck("/desk/media")
	p.submit("open the inquiry", "", "#answer-form", chromedp.Click(chromedp.CSS(fmt.Sprintf("#inquiry-row-%d a", q.ID))))
	p.axeCheck("the inquiry")
	if clock := p.text("#inquiry-clock"); !strings.Contains(clock, q.Ref()) {
		t.Fatalf("the inquiry's clock: %q", clock)
	}
	p.submit("answer with nothing", "", "#error-summary",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("answer-reply").removeAttribute("required")`),
		chromedp.Click(chromedp.ID("answer-submit")))
	if !strings.Contains(p.text("#reply-error"), "reply") {
		t.Errorf("the empty reply's message: %q", p.text("#reply-error"))
	}
	p.axeCheck("the inquiry with an error")
	p.submit("answer", "", "#inquiry-reply",
		chromedp.SendKeys(chromedp.ID("answer-reply"), "412 households in districts 3 and 4, as of 18:00."),
		chromedp.Click(chromedp.ID("answer-submit")))
	p.axeCheck("the answered inquiry")
	if state := p.text("#inquiry-state"); !strings.Contains(state, "on time") {
		t.Errorf("the answered inquiry's state: %q", state)
	}
	d, err := a.Store.DeadlineOf(ctx, press.DeadlineKind, deadline.Subject{Kind: press.SubjectKind, ID: q.ID})
	if err != nil || d.State(time.Now()) != deadline.Met {
		t.Fatalf("the reply clock after the answer: %+v %v", d, err)
	}

	// Supplies to the crisis.
	p.do("open the inventory", chromedp.Navigate(base+"/desk/resources"), chromedp.WaitVisible(chromedp.ID("items-table")))
	p.axeCheck("/desk/resources")
	rowQty := fmt.Sprintf("#item-row-%d .item-quantity", bags.ID)
	if got := p.text(rowQty); got != "500" {
		t.Fatalf("sandbags on hand before: %q", got)
	}
	p.submit("open the sandbags", "", "#move-form", chromedp.Click(chromedp.CSS(fmt.Sprintf("#item-row-%d a", bags.ID))))
	p.axeCheck("the sandbags")
	target := chromedp.SetValue(chromedp.ID("move-target"), fmt.Sprintf("crisis:%d", c.ID))
	p.submit("allocate more than on hand", "", "#error-summary",
		chromedp.SendKeys(chromedp.ID("move-quantity"), "600"), target, chromedp.Click(chromedp.ID("move-submit")))
	if !strings.Contains(p.text("#quantity-error"), "below zero") {
		t.Errorf("allocating 600 of 500: %q", p.text("#quantity-error"))
	}
	p.axeCheck("the sandbags with an error")
	p.submit("allocate 150 to the typhoon", "", "#movements-table",
		chromedp.SetValue(chromedp.ID("move-quantity"), "150"), target, chromedp.Click(chromedp.ID("move-submit")))
	if on := p.text("#item-on-hand"); !strings.Contains(on, "350 bags") {
		t.Errorf("on hand after the allocation: %q", on)
	}
	if mv := p.text("#movements-table"); !strings.Contains(mv, "-150") || !strings.Contains(mv, "Typhoon Koinu") {
		t.Errorf("movements: %q", mv)
	}
	p.do("back to the inventory", chromedp.Navigate(base+"/desk/resources"), chromedp.WaitVisible(chromedp.ID("items-table")))
	if got := p.text(rowQty); got != "350" {
		t.Fatalf("sandbags on hand after: %q", got)
	}

	// The inventory as a workbook, fetched by the signed-in page.
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("items-xlsx").href`))
	if err != nil {
		t.Fatal(err)
	}
	b64, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.getElementById("items-xlsx").href);
		if (!r.ok) { return "status " + r.status; }
		const b = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const x of b) { s += String.fromCharCode(x); }
		return btoa(s);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %v", href, err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("the export %s: %q", href, b64[:min(len(b64), 40)])
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read the workbook: %v", err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Inventory")
	if err != nil || len(rows) != 2 {
		t.Fatalf("the workbook's rows: %v %v", rows, err)
	}
	if !slices.Equal(rows[0], resource.ItemColumns) {
		t.Errorf("header %v, want %v", rows[0], resource.ItemColumns)
	}
	if want := []string{"Sandbags", "flood", "bags", "350", "100", "Depot A", "bought"}; !slices.Equal(rows[1][:len(want)], want) {
		t.Errorf("sandbags row %v, want it to start %v", rows[1], want)
	}
}
