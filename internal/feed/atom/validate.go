package atom

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// FieldError is the error Validate returns: the offending field, named by
// its path in the Feed (for example "entries[1].links[0].href"), and why.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return "atom: " + e.Field + ": " + e.Reason
}

// Validate checks f against the MUST rules of RFC 4287 that a writer can
// break, plus the SHOULD that a feed carries a rel="self" link, which feed
// readers and CAP aggregators rely on. It returns the first problem found as
// a *FieldError, in document order, or nil.
//
// The rules: the feed has an id, title and updated; it has an author or every
// entry has one; it has exactly one self link; each entry has an id, title
// and updated, and content or an alternate link; no feed or entry has two
// alternate links with the same type and hreflang; no two entries share both
// id and updated; ids, hrefs, schemes and URIs are absolute IRIs; content is
// "text" or "html"; languages look like BCP 47 tags.
func Validate(f Feed) error {
	v := validator{}
	v.iri("id", f.ID)
	v.required("title", f.Title)
	v.time("updated", f.Updated, true)
	v.lang("lang", f.Lang)
	v.person("author", f.Author)
	v.links("links", f.Links)
	if v.err == nil {
		self := 0
		for _, l := range f.Links {
			if l.Rel == RelSelf {
				self++
			}
		}
		switch {
		case self == 0:
			v.fail("links", `a feed must have a rel="self" link`)
		case self > 1:
			v.fail("links", `a feed must have one rel="self" link, not several`)
		}
	}
	type version struct {
		id      string
		updated int64
	}
	seen := make(map[version]int, len(f.Entries))
	for i, e := range f.Entries {
		p := fmt.Sprintf("entries[%d]", i)
		v.entry(p, e, f.Author.IsZero())
		if v.err != nil {
			return v.err
		}
		k := version{e.ID, e.Updated.Unix()}
		if j, dup := seen[k]; dup {
			v.fail(p+".id", fmt.Sprintf("entries[%d] has the same id and updated time", j))
			return v.err
		}
		seen[k] = i
	}
	return v.err
}

// validator keeps the first failure so each check can be written as a plain
// call without an if after it.
type validator struct{ err error }

func (v *validator) fail(field, reason string) {
	if v.err == nil {
		v.err = &FieldError{Field: field, Reason: reason}
	}
}

func (v *validator) entry(p string, e Entry, needAuthor bool) {
	v.iri(p+".id", e.ID)
	v.required(p+".title", e.Title)
	v.time(p+".updated", e.Updated, true)
	v.time(p+".published", e.Published, false)
	v.lang(p+".lang", e.Lang)
	if needAuthor && len(e.Authors) == 0 {
		v.fail(p+".authors", "required when the feed has no author")
	}
	for i, a := range e.Authors {
		f := fmt.Sprintf("%s.authors[%d]", p, i)
		if a.IsZero() {
			v.fail(f+".name", "required")
		}
		v.person(f, a)
	}
	v.links(p+".links", e.Links)
	switch e.Content.Type {
	case "", TextType, HTMLType:
	default:
		v.fail(p+".content.type", fmt.Sprintf("%q is not supported; use %q or %q", e.Content.Type, TextType, HTMLType))
	}
	if e.Content == (Content{}) && !hasAlternate(e.Links) {
		v.fail(p+".content", "an entry without content must have an alternate link")
	}
	for i, c := range e.Categories {
		f := fmt.Sprintf("%s.categories[%d]", p, i)
		v.required(f+".term", c.Term)
		if c.Scheme != "" {
			v.iri(f+".scheme", c.Scheme)
		}
	}
}

func (v *validator) links(p string, ls []Link) {
	type key struct{ typ, lang string }
	alt := map[key]bool{}
	for i, l := range ls {
		f := fmt.Sprintf("%s[%d]", p, i)
		v.iri(f+".href", l.Href)
		v.lang(f+".hreflang", l.HrefLang)
		if l.Rel != "" && !registeredRel(l.Rel) && !isAbsIRI(l.Rel) {
			v.fail(f+".rel", fmt.Sprintf("%q is neither a registered relation nor an absolute IRI", l.Rel))
		}
		if l.Type != "" && !isMediaType(l.Type) {
			v.fail(f+".type", fmt.Sprintf("%q is not a media type", l.Type))
		}
		if l.Length < 0 {
			v.fail(f+".length", "must not be negative")
		}
		if relOf(l) == RelAlternate {
			// Media types and language tags compare case-insensitively.
			k := key{strings.ToLower(l.Type), strings.ToLower(l.HrefLang)}
			if alt[k] {
				v.fail(f, "more than one alternate link with the same type and hreflang")
			}
			alt[k] = true
		}
	}
}

func (v *validator) person(p string, a Person) {
	if a.IsZero() {
		return
	}
	v.required(p+".name", a.Name)
	if a.URI != "" {
		v.iri(p+".uri", a.URI)
	}
	if a.Email != "" && (strings.Count(a.Email, "@") != 1 || strings.ContainsAny(a.Email, " \t\r\n<>")) {
		v.fail(p+".email", "not an email address")
	}
}

func (v *validator) required(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.fail(field, "required")
	}
}

func (v *validator) time(field string, t time.Time, required bool) {
	switch {
	case t.IsZero():
		if required {
			v.fail(field, "required")
		}
	case t.UTC().Year() < 1 || t.UTC().Year() > 9999:
		v.fail(field, "year out of range for RFC 3339")
	}
}

func (v *validator) iri(field, s string) {
	switch {
	case s == "":
		v.fail(field, "required")
	case !isAbsIRI(s):
		v.fail(field, fmt.Sprintf("%q is not an absolute IRI", s))
	}
}

func (v *validator) lang(field, s string) {
	if s != "" && !isLangTag(s) {
		v.fail(field, fmt.Sprintf("%q is not a language tag", s))
	}
}

func hasAlternate(ls []Link) bool {
	for _, l := range ls {
		if relOf(l) == RelAlternate {
			return true
		}
	}
	return false
}

func registeredRel(rel string) bool {
	switch rel {
	case RelAlternate, RelRelated, RelSelf, RelEnclosure, RelVia:
		return true
	}
	return false
}

// isAbsIRI reports whether s is an absolute IRI: a scheme, no whitespace or
// control characters, and a host for the web schemes, where "https:foo" is
// always a mistake.
func isAbsIRI(s string) bool {
	for _, r := range s {
		if r <= 0x20 || r == 0x7F || r == '<' || r == '>' || r == '"' || !isXMLChar(r) {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "tag", "urn", "mailto":
		return u.Opaque != ""
	}
	return true
}

// isLangTag checks the shape of a BCP 47 tag: alphabetic primary subtag of
// up to 8 letters, then alphanumeric subtags of up to 8, joined by hyphens.
func isLangTag(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !alpha && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// isMediaType checks the type/subtype shape of a media type, ignoring
// parameters.
func isMediaType(s string) bool {
	s, _, _ = strings.Cut(s, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(s), "/")
	return ok && isToken(typ) && isToken(sub)
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c <= 0x20 || c >= 0x7F || strings.ContainsRune(`()<>@,;:\"/[]?=`, c) {
			return false
		}
	}
	return true
}
