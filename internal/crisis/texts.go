package crisis

import (
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Languages are the languages a crisis's wording may have a version in.
var Languages = []string{"zh-Hant", "zh-Hans", "en"}

// Wording is a crisis's title, location and summary in one language.
type Wording struct {
	Title    string `json:"title,omitempty"`
	Location string `json:"location,omitempty"`
	Summary  string `json:"summary,omitempty"`
}

// Empty reports whether w says nothing.
func (w Wording) Empty() bool { return w.Title == "" && w.Location == "" && w.Summary == "" }

// Texts are a crisis's wordings by language (one of Languages). The
// crisis's own Title, Location and Summary are the declared text: what
// fills a language without a version of its own.
type Texts map[string]Wording

// Converter writes Chinese text in the other script (hanzi.Converter).
type Converter interface {
	Convert(s, lang string) (string, error)
}

// Normalize trims every wording and drops the empty ones.
func (ts Texts) Normalize() Texts {
	if len(ts) == 0 {
		return nil
	}
	out := Texts{}
	for lang, w := range ts {
		w = Wording{Title: Text(w.Title), Location: Text(w.Location), Summary: Text(w.Summary)}
		if !w.Empty() {
			out[lang] = w
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// check adds to f what is wrong with the wordings: an unknown language,
// text that cannot be published, a title or summary too long.
func (ts Texts) check(f *fault.Fields) {
	for lang, w := range ts {
		at := "texts." + lang
		if !knownLanguage(lang) {
			f.Add(at, "must be one of zh-Hant, zh-Hans, en")
			continue
		}
		checkWording(f, at, w)
	}
}

func knownLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// In returns the crisis's wording in lang, field by field: the language's
// own version; else, for Chinese, the other script's version converted
// (conv may be nil); else the declared text, converted into lang's script
// when lang is Chinese.
func (c Crisis) In(lang string, conv Converter) Wording {
	own := c.Texts[lang]
	var other Wording
	switch lang {
	case "zh-Hant":
		other = c.Texts["zh-Hans"]
	case "zh-Hans":
		other = c.Texts["zh-Hant"]
	}
	declared := Wording{Title: c.Title, Location: c.Location, Summary: c.Summary}
	pick := func(mine, theirs, decl string) string {
		switch {
		case mine != "":
			return mine
		case theirs != "":
			return convert(conv, theirs, lang)
		case lang == "zh-Hant" || lang == "zh-Hans":
			return convert(conv, decl, lang)
		}
		return decl
	}
	return Wording{
		Title:    pick(own.Title, other.Title, declared.Title),
		Location: pick(own.Location, other.Location, declared.Location),
		Summary:  pick(own.Summary, other.Summary, declared.Summary),
	}
}

// Prefill returns ts with the missing Chinese script written by converting
// the one given, so that a form offers both to check.
func (ts Texts) Prefill(conv Converter) Texts {
	if conv == nil {
		return ts
	}
	out := Texts{}
	for k, v := range ts {
		out[k] = v
	}
	hant, hans := out["zh-Hant"], out["zh-Hans"]
	fill := func(dst *string, src, lang string) {
		if *dst == "" && src != "" {
			*dst = convert(conv, src, lang)
		}
	}
	fill(&hans.Title, hant.Title, "zh-Hans")
	fill(&hans.Location, hant.Location, "zh-Hans")
	fill(&hans.Summary, hant.Summary, "zh-Hans")
	fill(&hant.Title, hans.Title, "zh-Hant")
	fill(&hant.Location, hans.Location, "zh-Hant")
	fill(&hant.Summary, hans.Summary, "zh-Hant")
	if !hant.Empty() {
		out["zh-Hant"] = hant
	}
	if !hans.Empty() {
		out["zh-Hans"] = hans
	}
	return out
}

func convert(conv Converter, s, lang string) string {
	if conv == nil || s == "" {
		return s
	}
	if out, err := conv.Convert(s, lang); err == nil {
		return out
	}
	return s
}

// checkWording checks one language's version as Declaration.Validate
// checks the declared text; its fields are named at.title and so on.
func checkWording(f *fault.Fields, at string, w Wording) {
	plaintext.CheckLine(f, at+".title", w.Title)
	plaintext.CheckLine(f, at+".location", w.Location)
	plaintext.Check(f, at+".summary", w.Summary)
	if utf8.RuneCountInString(w.Title) > 200 {
		f.Add(at+".title", "must be 1–200 characters")
	}
	if utf8.RuneCountInString(w.Summary) > 5000 {
		f.Add(at+".summary", "must be at most 5000 characters")
	}
}
