package i18n

import (
	"strings"
	"testing"
	"unicode"

	"crisisdesk/internal/hanzi"
)

// bothScripts are Traditional characters that are also the Simplified
// form of another (准 of 準, 台 of 臺): correct in zh-Hant, though
// OpenCC, one character at a time, would convert them.
var bothScripts = map[rune]bool{'准': true, '游': true, '台': true, '里': true, '群': true}

// TestScripts fails when the Simplified catalogue holds a Traditional
// character (each message must come back unchanged from the conversion
// into Simplified) or the Traditional one a Simplified character (one that
// converts, on its own, into another). A language's own name is written
// in its own script ("简体中文" in every catalogue), so language.* keys
// are left out.
func TestScripts(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	conv, err := hanzi.New("")
	if err != nil {
		t.Fatal(err)
	}
	convert := func(s, lang string) string {
		t.Helper()
		out, err := conv.Convert(s, lang)
		if err != nil {
			t.Fatalf("convert %q to %s: %v", s, lang, err)
		}
		return out
	}
	for k, texts := range messageTexts(c, SimplifiedChinese) {
		for _, s := range texts {
			if got := convert(s, SimplifiedChinese); got != s && !strings.HasPrefix(k, "language.") {
				t.Errorf("zh-Hans %q holds Traditional characters:\n  have %s\n  want %s", k, s, got)
			}
		}
	}
	for k, texts := range messageTexts(c, TraditionalChinese) {
		for _, s := range texts {
			for _, r := range s {
				if !unicode.Is(unicode.Han, r) || bothScripts[r] || strings.HasPrefix(k, "language.") {
					continue
				}
				if got := convert(string(r), TraditionalChinese); got != string(r) {
					t.Errorf("zh-Hant %q holds the Simplified %c (%s): %s", k, r, got, s)
				}
			}
		}
	}
}

// TestGlyphs: with the Hong Kong standard the Traditional messages use
// Hong Kong forms, and the other languages are left alone.
func TestGlyphs(t *testing.T) {
	t.Parallel()
	conv, err := hanzi.New("hk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewGlyphs(conv.Glyphs)
	if err != nil {
		t.Fatal(err)
	}
	plain := newCatalog(t)
	for _, tc := range []struct{ lang, key, plain, hk string }{
		{TraditionalChinese, "category.public_health", "公共衛生", "公共衞生"},
		{SimplifiedChinese, "category.public_health", "公共卫生", "公共卫生"},
	} {
		if got := plain.For(tc.lang).T(tc.key); got != tc.plain {
			t.Errorf("%s %q as written = %q, want %q", tc.lang, tc.key, got, tc.plain)
		}
		if got := c.For(tc.lang).T(tc.key); got != tc.hk {
			t.Errorf("%s %q in Hong Kong forms = %q, want %q", tc.lang, tc.key, got, tc.hk)
		}
	}
}
