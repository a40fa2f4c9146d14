package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
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

// termRules are the words each Chinese catalogue uses for one thing, and
// the words it must not use for it, so that a reader meets one term
// throughout: 應急預案 for a contingency plan, 時限 for a deadline, 取消
// for a notice's cancellation, 您 for "you"; in zh-Hant 電郵 for e-mail
// (as 短訊 for SMS); in zh-Hans mainland usage: 退出登录, 联系, 信息.
var termRules = []struct {
	lang, avoid, use string
}{
	{TraditionalChinese, "應變計劃", "應急預案"},
	{TraditionalChinese, "應變計畫", "應急預案"},
	{TraditionalChinese, "限時", "時限"},
	{TraditionalChinese, "撤回", "取消"},
	{TraditionalChinese, "撤銷", "取消"},
	{TraditionalChinese, "電子郵件", "電郵"},
	{TraditionalChinese, "你", "您"},
	{SimplifiedChinese, "应变计划", "应急预案"},
	{SimplifiedChinese, "限时", "时限"},
	{SimplifiedChinese, "撤回", "取消"},
	{SimplifiedChinese, "你", "您"},
	{SimplifiedChinese, "登出", "退出登录"},
	{SimplifiedChinese, "注销", "退出登录"},
	{SimplifiedChinese, "联络", "联系"},
	{SimplifiedChinese, "讯息", "信息"},
	{SimplifiedChinese, "资讯", "信息"},
	{SimplifiedChinese, "电邮", "电子邮件"},
	{SimplifiedChinese, "短讯", "短信"},
}

// messageTexts returns every text of lang's messages (each plural form),
// by key.
func messageTexts(c *Catalog, lang string) map[string][]string {
	out := map[string][]string{}
	for k, m := range c.catalogue(lang).messages {
		for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if s != "" {
				out[k] = append(out[k], s)
			}
		}
	}
	return out
}

// TestTerminology fails when a Chinese catalogue uses a word that
// termRules replace, and when a rule's word is not used at all (a rule
// nobody follows is a rule on the wrong word).
func TestTerminology(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	for _, r := range termRules {
		used := false
		for k, texts := range messageTexts(c, r.lang) {
			for _, s := range texts {
				if strings.Contains(s, r.avoid) {
					t.Errorf("%s %q uses %s; this catalogue says %s: %q", r.lang, k, r.avoid, r.use, s)
				}
				used = used || strings.Contains(s, r.use)
			}
		}
		if !used {
			t.Errorf("%s: no message uses %s, the term chosen over %s", r.lang, r.use, r.avoid)
		}
	}
}

// halfWidth finds ASCII punctuation touching a Chinese character, where
// Chinese takes the full-width form (，：；！？（）); a placeholder's
// braces and a URL's colon touch no Chinese character.
var halfWidth = regexp.MustCompile(`\p{Han}[,:;!?()]|[,;!?(]\p{Han}|\)\p{Han}`)

// typedFormat are the messages whose ASCII punctuation shows what a person
// types into a field ("緯度,經度"), which stays as typed.
var typedFormat = map[string]bool{"subscribe.field.point": true, "notice.cap.polygons_hint": true}

// TestFullWidthPunctuation fails when a Chinese message writes ASCII
// punctuation next to Chinese text.
func TestFullWidthPunctuation(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	for _, lang := range []string{TraditionalChinese, SimplifiedChinese} {
		for k, texts := range messageTexts(c, lang) {
			if typedFormat[k] {
				continue
			}
			for _, s := range texts {
				if m := halfWidth.FindString(s); m != "" {
					t.Errorf("%s %q: half-width punctuation in Chinese (%q): %q", lang, k, m, s)
				}
			}
		}
	}
}

// TestWords: durations and channels in words, in each language.
func TestWords(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	cases := []struct {
		lang string
		d    time.Duration
		want string
	}{
		{TraditionalChinese, 2 * time.Hour, "每 2 小時"},
		{SimplifiedChinese, 2 * time.Hour, "每 2 小时"},
		{English, 2 * time.Hour, "every 2 hours"},
		{English, time.Hour, "every 1 hour"},
		{English, 90 * time.Minute, "every 1 hour 30 minutes"},
		{TraditionalChinese, 7 * 24 * time.Hour, "每 1 星期"},
		{English, 8 * 24 * time.Hour, "every 8 days"},
		{SimplifiedChinese, 30 * time.Minute, "每 30 分钟"},
	}
	for _, tc := range cases {
		if got := c.For(tc.lang).Every(tc.d); got != tc.want {
			t.Errorf("%s Every(%v) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct{ lang, code, want string }{
		{TraditionalChinese, "sms", "短訊"}, {SimplifiedChinese, "sms", "短信"}, {English, "email", "E-mail"},
		{TraditionalChinese, "email", "電郵"}, {TraditionalChinese, "Fax", "Fax"},
	} {
		if got := c.For(tc.lang).Channel(tc.code); got != tc.want {
			t.Errorf("%s Channel(%q) = %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}
