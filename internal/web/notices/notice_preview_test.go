package notices_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/crisis"
)

// previewSMSCell reads one cell of a language's row of the SMS table.
func previewSMSCell(t *testing.T, body, lang, cell string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr id="sms-` + regexp.QuoteMeta(lang) + `"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("no SMS row for %s\n%s", lang, body)
	}
	m := regexp.MustCompile(`<td data-sms="` + cell + `">([^<]*)</td>`).FindStringSubmatch(row[1])
	if m == nil {
		return ""
	}
	return m[1]
}

// previewSMSText is the SMS text the preview shows for lang.
func previewSMSText(t *testing.T, body, lang string) string {
	t.Helper()
	m := regexp.MustCompile(`<tr id="sms-` + regexp.QuoteMeta(lang) + `"[^>]* data-text="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no SMS text for %s\n%s", lang, body)
	}
	return html.UnescapeString(m[1])
}

func TestNoticePreview(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)

	form := noticeForm(w.Crisis.ID)
	form.Set("en.body", "<script>alert(1)</script>\nSecond line")
	form.Set("en.contact", "Hotline 2123 4567")
	form.Set("area", "Harbour <north>")
	form.Set("active", "en")
	res := author.Scripted(http.MethodPost, "/desk/notices/preview", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="preview-headline">Stay indoors</h1>`, "&lt;script&gt;alert(1)&lt;/script&gt;",
		`id="preview-instruction"`, "Keep away from the shore.", `id="preview-contact">Hotline 2123 4567</dd>`,
		"Harbour &lt;north&gt;", `class="level level-yellow" id="preview-level">Level III</span>`, `lang="en"`)
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("the preview does not escape the text")
	}
	if strings.Contains(res.Body, "<html") || strings.Contains(res.Body, `id="preview-exercise"`) {
		t.Error("the htmx answer should be the preview alone, with no exercise mark for a real crisis")
	}

	// The SMS is counted as the sender sends it to a subscriber: the
	// headline, the instruction, the link and the STOP line.
	for _, c := range []struct{ lang, text, stop string }{
		{"en", "Stay indoors Keep away from the shore.", "Reply STOP to unsubscribe"},
		{"zh-Hant", "留在室內", "回覆 STOP 取消訂閱"},
	} {
		text := previewSMSText(t, res.Body, c.lang)
		if !strings.HasPrefix(text, c.text+" ") || !strings.Contains(text, "/notices/1000000 ") || !strings.HasSuffix(text, c.stop) {
			t.Errorf("%s SMS %q: want the text, the link and the STOP line", c.lang, text)
		}
		want := sms.Count(text)
		if got := previewSMSCell(t, res.Body, c.lang, "encoding"); got != want.Encoding {
			t.Errorf("%s encoding %q, want %q", c.lang, got, want.Encoding)
		}
		if got := previewSMSCell(t, res.Body, c.lang, "segments"); got != fmt.Sprint(want.Segments) {
			t.Errorf("%s segments %q, want %d", c.lang, got, want.Segments)
		}
		if got := previewSMSCell(t, res.Body, c.lang, "units"); got != fmt.Sprint(want.Units) {
			t.Errorf("%s units %q, want %d", c.lang, got, want.Units)
		}
	}
	if previewSMSCell(t, res.Body, "en", "encoding") != "GSM-7" || previewSMSCell(t, res.Body, "zh-Hant", "encoding") != "UCS-2" {
		t.Error("English should be GSM-7 and Chinese UCS-2")
	}
	if got := previewSMSCell(t, res.Body, "zh-Hans", "segments"); got != "" {
		t.Errorf("an empty language has segments %q", got)
	}

	// A long Chinese instruction is shortened to what the sender sends:
	// two segments, the link and the STOP line kept.
	form.Set("zh-Hant.instruction", strings.Repeat("請留在室內，遠離窗戶。", 10))
	form.Set("active", "zh-Hant")
	res = author.Scripted(http.MethodPost, "/desk/notices/preview", form)
	text := previewSMSText(t, res.Body, "zh-Hant")
	if !strings.Contains(text, "…") || !strings.HasSuffix(text, "回覆 STOP 取消訂閱") {
		t.Errorf("long SMS %q: want it shortened with an ellipsis, the STOP line kept", text)
	}
	if got := previewSMSCell(t, res.Body, "zh-Hant", "segments"); got != "2" {
		t.Errorf("segments %q, want 2", got)
	}
	apptest.WantBody(t, res, `<tr id="sms-zh-Hant" class="sms-long" data-text=`, `id="preview-headline">留在室內</h1>`, `lang="zh-Hant"`)

	// Without script the preview button re-renders the editor with it.
	form.Set("preview", "en")
	res = author.PostForm("/desk/notices/preview", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="notice-form"`, `id="preview-headline">Stay indoors</h1>`, `id="sms-table"`, `name="active" id="notice-active" value="en"`)

	// Observers do not preview drafts.
	watcher, _ := e.SignedIn("watcher", authz.Observer)
	apptest.WantStatus(t, watcher.Scripted(http.MethodPost, "/desk/notices/preview", form), http.StatusForbidden)
}

func TestNoticePreviewOfADrill(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	author, _ := e.SignedIn("author", authz.Editor)
	drill, err := e.Store.Crises().Declare(context.Background(), apptest.As(w.Commander), crisis.Declaration{Title: "Flood drill", TypeID: w.Type.ID,
		Level: catalog.LevelI, Exercise: true, Location: "River", OccurredAt: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	form := noticeForm(drill.ID)
	form.Set("active", "zh-Hant")
	res := author.Scripted(http.MethodPost, "/desk/notices/preview", form)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="preview-exercise">演練 EXERCISE</strong>`, `class="public-look is-exercise"`,
		`class="level level-red" id="preview-level"`, "This is an exercise.")

	// A language with nothing written says so.
	form.Set("active", "zh-Hans")
	apptest.WantBody(t, author.Scripted(http.MethodPost, "/desk/notices/preview", form), `id="preview-empty"`)
}
