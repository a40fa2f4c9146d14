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

// Converter holds the loaded dictionaries. Loading takes a moment, so make
// one and share it; it is safe for concurrent use.
type Converter struct {
	mu       sync.Mutex // the library does not promise concurrent use
	toHans   *opencc.OpenCC
	toHant   *opencc.OpenCC
	variants string
}

// Variant chooses the Traditional standard: "hk" (Hong Kong), "tw"
// (Taiwan, with its phrasing) or "" (OpenCC's standard Traditional).
func New(variant string) (*Converter, error) {
	toHans, toHant := "t2s", "s2t"
	switch variant {
	case "":
	case "hk":
		toHans, toHant = "hk2s", "s2hk"
	case "tw":
		toHans, toHant = "tw2sp", "s2twp"
	default:
		return nil, fmt.Errorf("hanzi: variant %q: want hk, tw or empty", variant)
	}
	c := &Converter{variants: variant}
	var err error
	if c.toHans, err = opencc.New(toHans); err != nil {
		return nil, fmt.Errorf("hanzi: load %s: %w", toHans, err)
	}
	if c.toHant, err = opencc.New(toHant); err != nil {
		return nil, fmt.Errorf("hanzi: load %s: %w", toHant, err)
	}
	return c, nil
}

// Convert returns s in the script of lang: "zh-Hans" or "zh-Hant".
func (c *Converter) Convert(s, lang string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch lang {
	case "zh-Hans":
		return c.toHans.Convert(s)
	case "zh-Hant":
		return c.toHant.Convert(s)
	}
	return "", fmt.Errorf("hanzi: convert to %q: want zh-Hans or zh-Hant", lang)
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
