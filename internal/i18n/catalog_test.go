package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func newCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	// Every language parses, not only the default New parses at once.
	if err := c.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	return c
}

// TestCataloguesComplete fails when a key of any language is missing or
// empty in another.
func TestCataloguesComplete(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	all := map[string]bool{}
	for _, lang := range Languages {
		keys := c.Keys(lang)
		if len(keys) == 0 {
			t.Fatalf("%s: no messages", lang)
		}
		for _, k := range keys {
			all[k] = true
		}
	}
	for _, lang := range Languages {
		for k := range all {
			if !c.Has(lang, k) {
				t.Errorf("%s: key %q is missing or empty", lang, k)
			}
		}
	}
}

var placeholderRe = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestPlaceholdersAgree fails when a translation drops or invents a
// placeholder, which would show a blank or "<no value>".
func TestPlaceholdersAgree(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	names := func(lang, key string) []string {
		m := c.catalogue(lang).messages[key]
		var out []string
		for _, src := range []string{m.One, m.Other} {
			for _, sub := range placeholderRe.FindAllStringSubmatch(src, -1) {
				out = append(out, sub[1])
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for _, k := range c.Keys(English) {
		want := names(English, k)
		for _, lang := range Languages[:2] {
			if got := names(lang, k); !slices.Equal(got, want) {
				t.Errorf("%s %q: placeholders %v, English has %v", lang, k, got, want)
			}
		}
	}
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	cases := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"plain zh-Hant", TraditionalChinese, "signin.title", nil, "登入"},
		{"plain zh-Hans", SimplifiedChinese, "signin.title", nil, "登录"},
		{"plain en", English, "signin.title", nil, "Sign in"},
		{"argument", English, "dashboard.welcome", []any{"Name", "Ada"}, "Welcome, Ada."},
		{"plural one", English, "users.total", []any{"Count", 1}, "1 user"},
		{"plural other", English, "users.total", []any{"Count", 3}, "3 users"},
		{"chinese count", TraditionalChinese, "users.total", []any{"Count", 1}, "共 1 位使用者"},
		{"missing key", English, "no.such.key", nil, "no.such.key"},
		{"unknown language gets default", "fr", "signin.title", nil, "登入"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := c.For(tc.lang).T(tc.key, tc.args...); got != tc.want {
				t.Errorf("T(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestArgumentsAreNotTemplates(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	got := c.For(English).T("dashboard.welcome", "Name", "{{.Name}}<b>")
	if !strings.Contains(got, "{{.Name}}<b>") {
		t.Errorf("argument was interpreted: %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, preferred, accept, want string
	}{
		{"nothing", "", "", TraditionalChinese},
		{"preference wins", SimplifiedChinese, "en", SimplifiedChinese},
		{"unknown preference ignored", "fr", "en-GB", English},
		{"taiwan", "", "zh-TW,zh;q=0.9", TraditionalChinese},
		{"hong kong", "", "zh-HK", TraditionalChinese},
		{"macao", "", "zh-MO", TraditionalChinese},
		{"hant script", "", "zh-Hant-TW", TraditionalChinese},
		{"mainland", "", "zh-CN,zh;q=0.9,en;q=0.8", SimplifiedChinese},
		{"singapore", "", "zh-SG", SimplifiedChinese},
		{"hans script", "", "zh-Hans-HK", SimplifiedChinese},
		{"bare zh", "", "zh", SimplifiedChinese},
		{"underscore", "", "zh_TW", TraditionalChinese},
		{"english", "", "en-US,en;q=0.9", English},
		{"quality order", "", "en;q=0.5, zh-TW;q=0.8", TraditionalChinese},
		{"skip unsupported", "", "fr-FR, de;q=0.9, en;q=0.1", English},
		{"q zero refused", "", "en;q=0, zh-CN;q=0.1", SimplifiedChinese},
		{"garbage", "", ";;;,=q", TraditionalChinese},
		{"wildcard", "", "*", TraditionalChinese},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Negotiate(tc.preferred, tc.accept); got != tc.want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tc.preferred, tc.accept, got, tc.want)
			}
		})
	}
}
