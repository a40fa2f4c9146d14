package message

import (
	"strings"
	"testing"

	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/notice"
)

// TestSimplifiedRecipient: a notice written in Traditional Chinese and
// English reaches a Simplified Chinese recipient in Simplified — subject,
// text, HTML and SMS — with a line saying it was converted; a Traditional
// recipient gets the text as written, and without a converter the
// Simplified recipient does too.
func TestSimplifiedRecipient(t *testing.T) {
	t.Parallel()
	n := typhoon()
	n.Contents = []notice.Content{n.Contents[0], n.Contents[2]} // no zh-Hans
	conv, err := hanzi.New("hk")
	if err != nil {
		t.Fatal(err)
	}
	r := newRenderer(t).WithChinese(conv)
	const written, converted = "請留在室內，遠離窗戶。", "请留在室内，远离窗户。"
	p := r.Render(n, "zh-Hans", typhoonLinks())
	if p.Lang != "zh-Hans" {
		t.Errorf("language %q, want zh-Hans", p.Lang)
	}
	for part, s := range map[string]string{"subject": p.Subject, "text": p.Text, "html": p.HTML, "sms": p.SMS} {
		if !strings.Contains(s, "八号烈风信号") || strings.Contains(s, "八號烈風信號") {
			t.Errorf("%s is not in Simplified: %q", part, s)
		}
	}
	for part, s := range map[string]string{"text": p.Text, "html": p.HTML} {
		if !strings.Contains(s, converted) || !strings.Contains(s, "本文由繁体中文版本自动转换。") {
			t.Errorf("%s lacks the converted text or its mark: %q", part, s)
		}
	}
	if hant := r.Render(n, "zh-Hant", typhoonLinks()); !strings.Contains(hant.Text, written) || strings.Contains(hant.Text, "自動轉換") {
		t.Errorf("the Traditional recipient's text: %q", hant.Text)
	}
	if plain := newRenderer(t).Render(n, "zh-Hans", typhoonLinks()); !strings.Contains(plain.Text, written) {
		t.Errorf("without a converter the text should stay as written: %q", plain.Text)
	}
}
