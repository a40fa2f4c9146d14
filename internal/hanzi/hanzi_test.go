package hanzi

import (
	"sync"
	"testing"

	"crisisdesk/internal/notice"
)

func TestConvert(t *testing.T) {
	t.Parallel()
	c, err := New("hk")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, lang, want string
	}{
		{"颱風警告：請留在室內，遠離海旁。", "zh-Hans", "台风警告：请留在室内，远离海旁。"},
		{"台风警告：请留在室内，远离海旁。", "zh-Hant", "颱風警告：請留在室內，遠離海旁。"},
		{"Signal No. 8 <script>", "zh-Hans", "Signal No. 8 <script>"},
		{"", "zh-Hant", ""},
	}
	for _, tt := range tests {
		got, err := c.Convert(tt.in, tt.lang)
		if err != nil || got != tt.want {
			t.Errorf("Convert(%q, %s) = %q, %v; want %q", tt.in, tt.lang, got, err, tt.want)
		}
	}
	if _, err := c.Convert("x", "en"); err == nil {
		t.Error("converting to English accepted")
	}
	if _, err := New("mars"); err == nil {
		t.Error("unknown variant accepted")
	}
}

func TestContentAndConcurrency(t *testing.T) {
	t.Parallel()
	c, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	in := notice.Content{Language: "zh-Hant", Headline: "暫停供應學校午餐", Body: "衛生部正調查。", Instruction: "請勿食用。", Contact: "熱線 1823"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			out, err := c.Content(in, "zh-Hans")
			if err != nil || out.Language != "zh-Hans" || out.Headline != "暂停供应学校午餐" || out.Body != "卫生部正调查。" || out.Contact != "热线 1823" {
				t.Errorf("Content = %+v, %v", out, err)
			}
		})
	}
	wg.Wait()
}

// TestFill: a notice without a Simplified text gets one converted from its
// Traditional one, marked; one that has it, or a language that is not
// Chinese, is left alone; a nil converter converts nothing.
func TestFill(t *testing.T) {
	t.Parallel()
	c, err := New("hk")
	if err != nil {
		t.Fatal(err)
	}
	n := notice.Notice{Contents: []notice.Content{
		{Language: "zh-Hant", Headline: "颱風警告", Body: "請留在室內。"},
		{Language: "en", Headline: "Typhoon warning", Body: "Stay indoors."},
	}}
	got, ok, err := c.Fill(n, "zh-Hans")
	if err != nil || !ok {
		t.Fatalf("Fill zh-Hans: %v %v", ok, err)
	}
	hans := got.Content("zh-Hans")
	if hans == nil || hans.Headline != "台风警告" || hans.Body != "请留在室内。" || hans.ConvertedFrom != "zh-Hant" {
		t.Errorf("converted content: %+v", hans)
	}
	if len(n.Contents) != 2 {
		t.Errorf("Fill changed the notice it was given: %d contents", len(n.Contents))
	}
	for _, tc := range []struct {
		name string
		c    *Converter
		n    notice.Notice
		lang string
	}{
		{"has it", c, got, "zh-Hans"},
		{"not Chinese", c, n, "en"},
		{"no other script", c, notice.Notice{Contents: n.Contents[1:]}, "zh-Hans"},
		{"nil converter", nil, n, "zh-Hans"},
	} {
		out, ok, err := tc.c.Fill(tc.n, tc.lang)
		if err != nil || ok || len(out.Contents) != len(tc.n.Contents) {
			t.Errorf("%s: Fill = %d contents, %v, %v; want it unchanged", tc.name, len(out.Contents), ok, err)
		}
	}
}
