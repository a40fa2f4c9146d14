// Package hanzi converts Chinese text between Traditional and Simplified
// characters with OpenCC's dictionaries (phrases as well as characters), so
// that an officer who wrote a notice in one script can start the other
// version with one click. The result is a draft for a person to read: no
// conversion is published unseen.
package hanzi

import (
	"fmt"
	"sync"

	"github.com/longbridgeapp/opencc"

	"crisisdesk/internal/notice"
)

// Converter converts with OpenCC's dictionaries. Each direction's
// dictionaries are loaded on its first use — they take about 10 MB and a
// moment to build, which a server that never converts should not pay at
// start-up. It is safe for concurrent use.
type Converter struct {
	mu       sync.Mutex // the library does not promise concurrent use
	toHans   func() (*opencc.OpenCC, error)
	toHant   func() (*opencc.OpenCC, error)
	glyphs   func() (*opencc.OpenCC, error) // nil: OpenCC's standard forms
	variants string
}

// New makes a converter for variant, the Traditional standard: "hk" (Hong
// Kong), "tw" (Taiwan, with its phrasing) or "" (OpenCC's standard
// Traditional).
func New(variant string) (*Converter, error) {
	toHans, toHant, glyphs := "t2s", "s2t", ""
	switch variant {
	case "":
	case "hk":
		toHans, toHant, glyphs = "hk2s", "s2hk", "t2hk"
	case "tw":
		toHans, toHant, glyphs = "tw2sp", "s2twp", "t2tw"
	default:
		return nil, fmt.Errorf("hanzi: variant %q: want hk, tw or empty", variant)
	}
	c := &Converter{variants: variant, toHans: loader(toHans), toHant: loader(toHant)}
	if glyphs != "" {
		c.glyphs = loader(glyphs)
	}
	return c, nil
}

// loader loads the named OpenCC conversion once, on first call.
func loader(name string) func() (*opencc.OpenCC, error) {
	return sync.OnceValues(func() (*opencc.OpenCC, error) {
		cc, err := opencc.New(name)
		if err != nil {
			return nil, fmt.Errorf("hanzi: load %s: %w", name, err)
		}
		return cc, nil
	})
}

// Convert returns s in the script of lang: "zh-Hans" or "zh-Hant".
func (c *Converter) Convert(s, lang string) (string, error) {
	var load func() (*opencc.OpenCC, error)
	switch lang {
	case "zh-Hans":
		load = c.toHans
	case "zh-Hant":
		load = c.toHant
	default:
		return "", fmt.Errorf("hanzi: convert to %q: want zh-Hans or zh-Hant", lang)
	}
	cc, err := load()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return cc.Convert(s)
}

// Glyphs writes Traditional Chinese text s in the variant's glyph
// standard: Hong Kong forms (温, 衞, 閲) for hk, Taiwan forms for tw, and
// s unchanged for OpenCC's standard. The UI's Traditional catalogue goes
// through it (i18n.NewGlyphs), so that the pages write each character as
// converted notices do. Its dictionary is a few hundred characters.
func (c *Converter) Glyphs(s string) (string, error) {
	if c.glyphs == nil {
		return s, nil
	}
	cc, err := c.glyphs()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return cc.Convert(s)
}

// Content converts every field of a notice's content into lang, to start
// that language's version of the notice.
func (c *Converter) Content(in notice.Content, lang string) (notice.Content, error) {
	out := notice.Content{Language: lang}
	for _, f := range []struct {
		from string
		to   *string
	}{{in.Headline, &out.Headline}, {in.Body, &out.Body}, {in.Instruction, &out.Instruction}, {in.Contact, &out.Contact}} {
		v, err := c.Convert(f.from, lang)
		if err != nil {
			return out, err
		}
		*f.to = v
	}
	return out, nil
}

// Fill gives a Chinese reader their script: when n has no content in lang
// (zh-Hans or zh-Hant) but has one in the other Chinese script, it returns
// a copy of n with that content converted and added, and true, so that
// whatever picks n's content in lang finds it. The conversion is made on
// render and never stored; the caller marks the text as converted
// (Converted). Otherwise, and for any other lang, n comes back as it is.
func (c *Converter) Fill(n notice.Notice, lang string) (notice.Notice, bool, error) {
	other := map[string]string{"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}[lang]
	if c == nil || other == "" || n.Content(lang) != nil {
		return n, false, nil
	}
	from := n.Content(other)
	if from == nil {
		return n, false, nil
	}
	conv, err := c.Content(*from, lang)
	if err != nil {
		return n, false, err
	}
	conv.ConvertedFrom = other
	n.Contents = append(append(make([]notice.Content, 0, len(n.Contents)+1), n.Contents...), conv)
	return n, true, nil
}
