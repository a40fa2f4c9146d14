package notice

import "testing"

func TestHeadline(t *testing.T) {
	t.Parallel()
	n := Notice{Contents: []Content{{Language: "zh-Hant", Headline: "颱風警告"}, {Language: "en", Headline: "Typhoon warning"}}}
	for _, c := range []struct {
		name, lang, want string
		n                Notice
	}{
		{"in the language asked for", "en", "Typhoon warning", n},
		{"else in the first language", "ja", "颱風警告", n},
		{"none without content", "en", "", Notice{}},
	} {
		if got := c.n.Headline(c.lang); got != c.want {
			t.Errorf("%s: Headline(%q) = %q, want %q", c.name, c.lang, got, c.want)
		}
	}
}
