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
