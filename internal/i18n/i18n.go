// Package i18n holds the staff UI's message catalogues — Traditional Chinese,
// Simplified Chinese and English — embedded in the binary, and chooses the
// language of a request.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The languages crisisdesk speaks, in the order the language picker lists
// them. Default is the one used when nothing else decides.
const (
	TraditionalChinese = "zh-Hant"
	SimplifiedChinese  = "zh-Hans"
	English            = "en"
	Default            = TraditionalChinese
)

// Languages lists the supported languages.
var Languages = []string{TraditionalChinese, SimplifiedChinese, English}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	_, ok := Canonical(lang)
	return ok
}

// Canonical returns the constant of Languages equal to lang, and whether
// there is one. A caller that keeps a language read from a request (a
// cookie, a query, a header) keeps this constant, never the request's
// bytes, which may be a view of a buffer the next request rewrites.
func Canonical(lang string) (string, bool) {
	for _, l := range Languages {
		if l == lang {
			return l, true
		}
	}
	return "", false
}

//go:embed locales/*.toml
var locales embed.FS

// Catalog is the set of catalogues. It is safe for concurrent use. The
// default language is parsed by New; the others when first asked for, so
// that a server pays at start-up for the language it speaks first only.
type Catalog struct {
	langs map[string]func() (*catalogue, error)
}

// Glyphs rewrites Traditional Chinese text in the office's glyph standard
// (hanzi.Converter.Glyphs).
type Glyphs func(string) (string, error)

// catalogue is one language: its own go-i18n bundle, so that a message
// missing in one language is never silently taken from another.
type catalogue struct {
	lang      string
	localizer *goi18n.Localizer
	messages  map[string]*goi18n.Message
}

// New makes the catalogue of every language from the embedded files and
// parses the default one. It fails when that one is missing or malformed;
// the others are parsed on first use (the catalogue tests parse every
// language, so a broken file never ships).
func New() (*Catalog, error) { return NewGlyphs(nil) }

// NewGlyphs is New with the Traditional Chinese messages written in the
// glyph standard of glyphs as they load — Hong Kong or Taiwan forms, the
// office's chinese-variant — so that the pages, the e-mails and the
// notices converted from Simplified write each character alike. The
// catalogue itself is written in OpenCC's standard forms. nil leaves it
// as written.
func NewGlyphs(glyphs Glyphs) (*Catalog, error) {
	c := &Catalog{langs: make(map[string]func() (*catalogue, error), len(Languages))}
	for _, lang := range Languages {
		g := glyphs
		if lang != TraditionalChinese {
			g = nil
		}
		c.langs[lang] = sync.OnceValues(func() (*catalogue, error) { return load(lang, g) })
	}
	if _, err := c.langs[Default](); err != nil {
		return nil, err
	}
	return c, nil
}

// catalogue returns lang's catalogue, parsing it on first use; nil for an
// unsupported language or one that does not parse.
func (c *Catalog) catalogue(lang string) *catalogue {
	load, ok := c.langs[lang]
	if !ok {
		return nil
	}
	cat, err := load()
	if err != nil {
		return nil
	}
	return cat
}

// Check parses every language's catalogue, for tests and for start-up
// checks that want every failure now.
func (c *Catalog) Check() error {
	for _, lang := range Languages {
		if _, err := c.langs[lang](); err != nil {
			return err
		}
	}
	return nil
}

// load reads lang's catalogue: locales/LANG.toml and any area files
// locales/AREA.LANG.toml (one per feature, so that a feature's strings sit
// together). A key defined twice is an error. glyphs, when set, rewrites
// every message.
func load(lang string, glyphs Glyphs) (*catalogue, error) {
	tag, err := language.Parse(lang)
	if err != nil {
		return nil, fmt.Errorf("i18n: language %q: %w", lang, err)
	}
	names, err := fs.Glob(locales, "locales/*"+lang+".toml")
	if err != nil {
		return nil, fmt.Errorf("i18n: list %s catalogues: %w", lang, err)
	}
	bundle := goi18n.NewBundle(tag)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	cat := &catalogue{lang: lang, localizer: goi18n.NewLocalizer(bundle, lang), messages: map[string]*goi18n.Message{}}
	found := false
	for _, name := range names {
		base := path.Base(name)
		if base != lang+".toml" && !strings.HasSuffix(base, "."+lang+".toml") {
			continue // zh-Hant.toml also matches *Hant.toml of another language
		}
		found = true
		buf, err := locales.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", name, err)
		}
		msgs, err := goi18n.ParseMessageBytes(buf, toml.Unmarshal)
		if err != nil {
			return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
		}
		for _, m := range msgs {
			if glyphs != nil {
				for _, s := range []*string{&m.Zero, &m.One, &m.Two, &m.Few, &m.Many, &m.Other} {
					if *s == "" {
						continue
					}
					if *s, err = glyphs(*s); err != nil {
						return nil, fmt.Errorf("i18n: %s: key %q: glyphs: %w", name, m.ID, err)
					}
				}
			}
			if _, dup := cat.messages[m.ID]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q defined twice", name, m.ID)
			}
			cat.messages[m.ID] = m
		}
		if err := bundle.AddMessages(tag, msgs...); err != nil {
			return nil, fmt.Errorf("i18n: load %s: %w", name, err)
		}
	}
	if !found {
		return nil, fmt.Errorf("i18n: no catalogue for %s", lang)
	}
	return cat, nil
}

// For returns the translator for lang; an unsupported lang gets Default.
func (c *Catalog) For(lang string) Translator {
	cat := c.catalogue(lang)
	if cat == nil {
		cat = c.catalogue(Default)
	}
	return Translator{cat: cat}
}

// Keys returns the message keys of lang, sorted; nil for an unsupported
// language. Tests use it to compare the catalogues.
func (c *Catalog) Keys(lang string) []string {
	cat := c.catalogue(lang)
	if cat == nil {
		return nil
	}
	keys := make([]string, 0, len(cat.messages))
	for k := range cat.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether lang has a non-empty message for key.
func (c *Catalog) Has(lang, key string) bool {
	cat := c.catalogue(lang)
	if cat == nil {
		return false
	}
	m, ok := cat.messages[key]
	return ok && strings.TrimSpace(m.Other) != ""
}

// Translator speaks one language. The zero value returns keys unchanged.
type Translator struct {
	cat *catalogue
}

// Lang returns the translator's language.
func (t Translator) Lang() string {
	if t.cat == nil {
		return ""
	}
	return t.cat.lang
}

// T returns the message for key. Args are name–value pairs for the
// message's placeholders: T("users.total", "Count", 5) fills {{.Count}} and,
// because the name is Count, also picks the plural form. A missing key comes
// back as the key itself, so that it shows up rather than vanishing (the
// catalogue tests keep that from shipping).
func (t Translator) T(key string, args ...any) string {
	if t.cat == nil {
		return key
	}
	m, ok := t.cat.messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 && !strings.Contains(m.Other, "{{") {
		return m.Other
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			continue
		}
		data[name] = args[i+1]
	}
	lc := &goi18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if n, ok := data["Count"]; ok {
		lc.PluralCount = n
	}
	s, err := t.cat.localizer.Localize(lc)
	if s == "" && err != nil {
		return key
	}
	return s
}
