package atom

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Write validates f and writes it to w as an Atom 1.0 document. Nothing is
// written when f is invalid, and the document is written in one call so a
// failure never leaves half a feed behind the caller's back.
func Write(w io.Writer, f Feed) error {
	if err := Validate(f); err != nil {
		return err
	}
	var b bytes.Buffer
	encodeFeed(&b, f)
	_, err := w.Write(b.Bytes())
	return err
}

// Marshal validates f and returns it as an Atom 1.0 document.
func Marshal(f Feed) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// FormatTime formats t as Atom wants it: RFC 3339 in UTC, whole seconds.
func FormatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func encodeFeed(b *bytes.Buffer, f Feed) {
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<feed xmlns="` + Namespace + `"`)
	attr(b, "xml:lang", f.Lang)
	b.WriteString(">\n")
	elem(b, 1, "id", f.ID)
	elem(b, 1, "title", f.Title)
	elem(b, 1, "subtitle", f.Subtitle)
	elem(b, 1, "updated", FormatTime(f.Updated))
	person(b, 1, f.Author)
	for _, l := range f.Links {
		link(b, 1, l)
	}
	elem(b, 1, "generator", f.Generator)
	elem(b, 1, "rights", f.Rights)
	for _, e := range f.Entries {
		entry(b, e)
	}
	b.WriteString("</feed>\n")
}

func entry(b *bytes.Buffer, e Entry) {
	indent(b, 1)
	b.WriteString("<entry")
	attr(b, "xml:lang", e.Lang)
	b.WriteString(">\n")
	elem(b, 2, "id", e.ID)
	elem(b, 2, "title", e.Title)
	elem(b, 2, "updated", FormatTime(e.Updated))
	if !e.Published.IsZero() {
		elem(b, 2, "published", FormatTime(e.Published))
	}
	for _, p := range e.Authors {
		person(b, 2, p)
	}
	for _, l := range e.Links {
		link(b, 2, l)
	}
	for _, c := range e.Categories {
		indent(b, 2)
		b.WriteString("<category")
		attr(b, "term", c.Term)
		attr(b, "scheme", c.Scheme)
		attr(b, "label", c.Label)
		b.WriteString("/>\n")
	}
	elem(b, 2, "summary", e.Summary)
	if e.Content != (Content{}) {
		indent(b, 2)
		b.WriteString(`<content type="` + contentType(e.Content) + `">`)
		text(b, e.Content.Value)
		b.WriteString("</content>\n")
	}
	indent(b, 1)
	b.WriteString("</entry>\n")
}

func contentType(c Content) string {
	if c.Type == "" {
		return TextType
	}
	return c.Type
}

func person(b *bytes.Buffer, depth int, p Person) {
	if p.IsZero() {
		return
	}
	indent(b, depth)
	b.WriteString("<author>\n")
	elem(b, depth+1, "name", p.Name)
	elem(b, depth+1, "uri", p.URI)
	elem(b, depth+1, "email", p.Email)
	indent(b, depth)
	b.WriteString("</author>\n")
}

func link(b *bytes.Buffer, depth int, l Link) {
	indent(b, depth)
	b.WriteString("<link")
	attr(b, "rel", relOf(l))
	attr(b, "type", l.Type)
	attr(b, "hreflang", l.HrefLang)
	attr(b, "href", l.Href)
	attr(b, "title", l.Title)
	if l.Length > 0 {
		attr(b, "length", strconv.FormatInt(l.Length, 10))
	}
	b.WriteString("/>\n")
}

func relOf(l Link) string {
	if l.Rel == "" {
		return RelAlternate
	}
	return l.Rel
}

// elem writes <name>value</name> on its own line, or nothing when value is
// empty: every optional Atom element here is absent rather than empty.
func elem(b *bytes.Buffer, depth int, name, value string) {
	if value == "" {
		return
	}
	indent(b, depth)
	b.WriteString("<" + name + ">")
	text(b, value)
	b.WriteString("</" + name + ">\n")
}

func attr(b *bytes.Buffer, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" " + name + `="`)
	escape(b, value, true)
	b.WriteByte('"')
}

func indent(b *bytes.Buffer, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
}

func text(b *bytes.Buffer, s string) { escape(b, s, false) }

// escape writes s as XML character data. Characters XML 1.0 cannot carry
// (most C0 controls, invalid UTF-8, U+FFFE/U+FFFF) become U+FFFD so the
// document stays well-formed whatever the notice text holds. In attributes,
// quotes and whitespace other than space are escaped too, the latter so
// attribute-value normalisation does not turn them into spaces.
func escape(b *bytes.Buffer, s string, inAttr bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && inAttr:
			b.WriteString("&quot;")
		case r == '\'' && inAttr:
			b.WriteString("&apos;")
		case r == '\r':
			b.WriteString("&#xD;")
		case (r == '\n' || r == '\t') && inAttr:
			b.WriteString("&#x" + strconv.FormatInt(int64(r), 16) + ";")
		case !isXMLChar(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
}

// isXMLChar reports whether r is allowed by the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}
