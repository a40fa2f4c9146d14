package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"crisisdesk/internal/app"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/notice"
)

// TestBrowserNoticeEditor: an editor writes the Traditional Chinese tab,
// sees the preview and the SMS count follow the typing, converts it into
// Simplified Chinese with one click, reviews the converted text, switches
// tabs to write the English and saves the draft in three languages.
func TestBrowserNoticeEditor(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	c := releaseOffice(t, a)
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)
	// until waits for a JavaScript condition on the page.
	until := func(step, cond string) {
		t.Helper()
		p.do(step, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingMutation()))
	}
	js := strconv.Quote

	p.signIn(base, "rel-editor", crisisPassword)
	p.do("open the editor", chromedp.Navigate(fmt.Sprintf("%s/desk/notices/new?crisis=%d", base, c.ID)),
		chromedp.WaitVisible(chromedp.ID("notice-form")))

	// The languages are tabs: Traditional Chinese open, the others hidden.
	p.do("the tabs show", chromedp.WaitVisible(chromedp.ID("tab-zh-Hant")), chromedp.WaitVisible(chromedp.ID("zh-Hant-headline")),
		chromedp.WaitNotVisible(chromedp.ID("zh-Hans-headline")), chromedp.WaitNotVisible(chromedp.ID("en-headline")))

	const (
		headline    = "颱風警告：請留在室內"
		instruction = "遠離海旁及窗戶。"
	)
	p.do("write the Traditional Chinese",
		chromedp.SendKeys(chromedp.ID("zh-Hant-headline"), headline),
		chromedp.SendKeys(chromedp.ID("zh-Hant-body"), "八號風球現正生效。"),
		chromedp.SendKeys(chromedp.ID("zh-Hant-instruction"), instruction))
	until("the preview follows the typing",
		`(document.getElementById("preview-headline") || {}).textContent === `+js(headline))
	// The SMS is counted as the sender sends it: the headline, the
	// instruction, the link and the STOP line.
	until("the SMS follows the typing",
		`((document.getElementById("sms-zh-Hant") || {}).dataset || {}).text?.startsWith(`+js(headline+" "+instruction+" ")+`)`)
	text, err := chromedp.Run(p.ctx, chromedp.AttributeValue(chromedp.ID("sms-zh-Hant"), "data-text"))
	if err != nil || !strings.HasSuffix(text.Value, "回覆 STOP 取消訂閱") || !strings.Contains(text.Value, "/notices/") {
		t.Fatalf("the SMS as sent: %q %v", text.Value, err)
	}
	want := sms.Count(text.Value)
	until("the SMS count is the sent text's",
		`(document.querySelector("#sms-zh-Hant [data-sms=units]") || {}).textContent === `+js(strconv.Itoa(want.Units))+
			` && document.querySelector("#sms-zh-Hant [data-sms=encoding]").textContent === `+js(want.Encoding)+
			` && document.querySelector("#sms-zh-Hant [data-sms=segments]").textContent === `+js(strconv.Itoa(want.Segments)))

	// One click converts into Simplified Chinese, for review.
	// The page stays (htmx swaps the tab in): the mark set here survives.
	p.do("convert to Simplified", chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.samePage = "yes"`),
		chromedp.Click(chromedp.ID("convert-zh-Hant-zh-Hans")))
	until("the Simplified tab opens with the converted text, in the same page",
		`document.querySelector("#zh-Hans-headline[data-converted]") !== null && document.getElementById("zh-Hans-headline").value === `+
			js("台风警告：请留在室内")+` && document.getElementById("tab-zh-Hans").getAttribute("aria-selected") === "true"`+
			` && document.documentElement.dataset.samePage === "yes"`)
	p.do("the converted fields are marked", chromedp.WaitVisible(chromedp.ID("zh-Hans-headline-converted")),
		chromedp.WaitVisible(chromedp.ID("zh-Hans-instruction-converted")), chromedp.WaitNotVisible(chromedp.ID("zh-Hant-headline")))
	until("the preview shows the Simplified text", `(document.getElementById("preview-headline") || {}).textContent === `+js("台风警告：请留在室内"))
	p.do("review the headline", chromedp.SendKeys(chromedp.ID("zh-Hans-headline"), kb.End+"！"))
	until("an edited field loses its mark", `document.getElementById("zh-Hans-headline-converted") === null && `+
		`!document.getElementById("zh-Hans-headline").hasAttribute("data-converted") && document.getElementById("zh-Hans-body-converted") !== null`)

	// The English tab.
	p.do("open the English tab", chromedp.Click(chromedp.ID("tab-en")), chromedp.WaitVisible(chromedp.ID("en-headline")),
		chromedp.WaitNotVisible(chromedp.ID("zh-Hans-headline")))
	p.do("write the English",
		chromedp.SendKeys(chromedp.ID("en-headline"), "Typhoon warning: stay indoors"),
		chromedp.SendKeys(chromedp.ID("en-body"), "Signal No. 8 is in force."))
	until("the preview and the SMS count follow in English",
		`(document.getElementById("preview-headline") || {}).textContent === "Typhoon warning: stay indoors" && `+
			`document.querySelector("#sms-en [data-sms=encoding]").textContent === "GSM-7"`)

	n := saveDraft(t, p, a)
	hans := n.Content("zh-Hans")
	if got := n.Languages(); len(got) != 3 || hans == nil || hans.Headline != "台风警告：请留在室内！" ||
		hans.Instruction != "远离海旁及窗户。" || n.Content("en") == nil || n.Status != notice.Draft {
		t.Fatalf("saved %v %+v", got, n.Contents)
	}
}

// TestBrowserNoticeEditorWithoutScript: with JavaScript off the languages
// are stacked fieldsets, and converting, previewing, adding a language and
// saving are plain form posts.
func TestBrowserNoticeEditorWithoutScript(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base, a := startApp(t, "first-admin-password-1")
	c := releaseOffice(t, a)
	browser := newBrowser(t, chromium, scriptOff)
	p := openPage(t, browser)

	p.signIn(base, "rel-editor", crisisPassword)
	p.do("open the editor", chromedp.Navigate(fmt.Sprintf("%s/desk/notices/new?crisis=%d", base, c.ID)),
		chromedp.WaitVisible(chromedp.ID("notice-form")))
	p.do("every language is shown, and no tabs", chromedp.WaitVisible(chromedp.ID("zh-Hant-headline")),
		chromedp.WaitVisible(chromedp.ID("zh-Hans-headline")), chromedp.WaitVisible(chromedp.ID("en-headline")),
		chromedp.WaitNotVisible(chromedp.ID("tab-en")))

	p.do("write the Traditional Chinese", chromedp.SendKeys(chromedp.ID("zh-Hant-headline"), "颱風警告"),
		chromedp.SendKeys(chromedp.ID("zh-Hant-body"), "八號風球現正生效。"))
	p.submit("convert", "", "#zh-Hans-headline-converted", chromedp.Click(chromedp.ID("convert-zh-Hant-zh-Hans")))
	if v, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.ID("zh-Hans-headline"))); err != nil || v != "台风警告" {
		t.Fatalf("converted headline %q %v", v, err)
	}
	p.submit("preview", "", "#preview-headline", chromedp.Click(chromedp.ID("preview-zh-Hans")))
	if h := p.text("#preview-headline"); h != "台风警告" {
		t.Fatalf("preview headline %q", h)
	}
	p.submit("add a language", "", "#ja-headline",
		chromedp.SendKeys(chromedp.ID("new-language"), "ja"), chromedp.Click(chromedp.ID("add-language")))
	n := saveDraft(t, p, a,
		chromedp.SendKeys(chromedp.ID("ja-headline"), "台風警報"),
		chromedp.SendKeys(chromedp.ID("ja-body"), "シグナル8が発令されました。"))
	if got := n.Languages(); len(got) != 3 || got[1] != "zh-Hans" || got[2] != "ja" || n.Content("zh-Hans").Body != "八号风球现正生效。" {
		t.Fatalf("saved %v %+v", got, n.Contents)
	}
}

// saveDraft does actions in the editor, fills in the CAP fields every draft
// needs, saves, and returns the notice as stored.
func saveDraft(t *testing.T, p *page, a *app.App, actions ...chromedp.Action[chromedp.Void]) notice.Notice {
	t.Helper()
	p.submit("save the draft", "", "#notice-submit", append(actions,
		chromedp.SendKeys(chromedp.ID("cap-event"), "Typhoon"),
		chromedp.SetValue(chromedp.ID("cap-category"), "Met"),
		chromedp.SetValue(chromedp.ID("cap-urgency"), "Expected"),
		chromedp.SetValue(chromedp.ID("cap-severity"), "Severe"),
		chromedp.SetValue(chromedp.ID("cap-certainty"), "Likely"),
		chromedp.SendKeys(chromedp.ID("cap-area"), "Harbour district"),
		chromedp.Click(chromedp.ID("notice-save")))...)
	id, err := strconv.ParseInt(p.path()[len("/desk/notices/"):], 10, 64)
	if err != nil {
		t.Fatalf("saved at %s: %v", p.path(), err)
	}
	n, err := a.Store.Notices().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
