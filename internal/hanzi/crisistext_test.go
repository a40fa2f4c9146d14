package hanzi

import (
	"testing"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
)

// A notice's placeholders fill from its language's version of the crisis,
// converted by the real converter when only the other script has one.
func TestPlaceholdersFromCrisisTexts(t *testing.T) {
	t.Parallel()
	conv, err := New("hk")
	if err != nil {
		t.Fatal(err)
	}
	c := crisis.Crisis{Title: "Typhoon", Location: "Harbour", Summary: "Signal 8",
		Texts: crisis.Texts{"zh-Hant": {Title: "颱風警告", Location: "海旁"}, "en": {Title: "Typhoon warning"}}}
	tests := []struct{ lang, title, location, summary string }{
		{"zh-Hant", "颱風警告", "海旁", "Signal 8"},
		{"zh-Hans", "台风警告", "海旁", "Signal 8"},
		{"en", "Typhoon warning", "Harbour", "Signal 8"},
	}
	for _, tt := range tests {
		v := notice.Values(c, "", tt.lang, conv)
		if v["title"] != tt.title || v["location"] != tt.location || v["summary"] != tt.summary {
			t.Errorf("%s: title %q, location %q, summary %q", tt.lang, v["title"], v["location"], v["summary"])
		}
	}
	// Declared in Simplified, a Traditional notice reads Traditional.
	c = crisis.Crisis{Title: "台风警告", Location: "东区"}
	if v := notice.Values(c, "", "zh-Hant", conv); v["title"] != "颱風警告" || v["location"] != "東區" {
		t.Errorf("zh-Hant from the declared text: %v", v)
	}
}
