package pdf_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/pdf"
	"crisisdesk/internal/pdf/pdftest"
)

// TestChineseIsRealText writes Traditional and Simplified Chinese and
// English, and reads the text back with pdftotext; the font is a subset.
func TestChineseIsRealText(t *testing.T) {
	t.Parallel()
	d := pdf.New(pdf.Meta{Title: "月度進度報告", Author: "crisisdesk", Lang: "zh-Hant", Created: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Footer: "2026-11"})
	d.Title("月度進度報告 2026年11月")
	d.Heading("進度 Progress")
	d.Para("颱風應急預案已完成桌面演練。The typhoon plan's tabletop exercise is done.")
	d.Bullets([]string{"发言人培训逾期", strings.Repeat("長段落測試，", 40)})
	d.Table([]string{"數字", "本月"}, [][]string{{"危機", "2"}, {"通告", "5"}})
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:16])
	}
	if buf.Len() > 400_000 {
		t.Errorf("the PDF is %d bytes: the font is not subset", buf.Len())
	}
	text := pdftest.Text(t, buf.Bytes())
	for _, want := range []string{"月度進度報告", "颱風應急預案已完成桌面演練", "发言人培训逾期", "The typhoon plan", "危機", "通告"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext does not find %q in:\n%s", want, text)
		}
	}
}
