// Package atom writes Atom 1.0 syndication feeds (RFC 4287).
//
// It knows nothing about notices or crises: callers build a Feed value and
// hand it to Write, which validates it against the RFC's MUST rules and then
// emits deterministic bytes, so the same Feed always yields the same file
// (golden tests, ETags and pre-rendered files depend on that).
//
// Every text field is written as plain text and XML-escaped, so markup in a
// title or summary reaches the reader as inert characters. The one exception
// is Content of type "html": Atom readers decode it and then render it as
// HTML, so its Value must already be safe markup (built with html/template or
// html.EscapeString); Write escapes it once more for XML, as the RFC requires.
//
// # CAP index feeds
//
// The "Atom index of current alerts" that CAP aggregators poll is an ordinary
// feed: one entry per current alert, each with an alternate link of type
// application/cap+xml pointing at the CAP document (see CAPLink). Nothing else
// about it is special, so there is no separate writer.
package atom

import "time"

// Namespace is the Atom 1.0 XML namespace written on the feed element.
const Namespace = "http://www.w3.org/2005/Atom"

// Content types accepted in Content.Type. "xhtml" is refused by Validate:
// it would embed caller markup in the feed unescaped.
const (
	TextType = "text"
	HTMLType = "html"
)

// Link relations defined by RFC 4287 section 4.2.7.2. Any absolute IRI is
// also accepted as a relation.
const (
	RelAlternate = "alternate"
	RelRelated   = "related"
	RelSelf      = "self"
	RelEnclosure = "enclosure"
	RelVia       = "via"
)

// CAPMediaType is the media type of a CAP 1.2 document.
const CAPMediaType = "application/cap+xml"

// Feed is an atom:feed document.
type Feed struct {
	ID        string    // permanent, absolute IRI; see TagURI
	Title     string    // required
	Subtitle  string    // optional
	Updated   time.Time // required; last significant change to the feed
	Links     []Link    // must include rel="self"
	Author    Person    // required unless every entry has an author
	Rights    string    // optional
	Generator string    // optional, e.g. "crisisdesk"
	Lang      string    // xml:lang of the feed, e.g. "zh-Hant"; optional
	Entries   []Entry   // written in the given order
}

// Entry is an atom:entry.
type Entry struct {
	ID         string    // permanent, absolute IRI; see TagURI
	Title      string    // required
	Updated    time.Time // required
	Published  time.Time // optional; zero means absent
	Summary    string    // optional plain text
	Content    Content   // optional; without it the entry needs an alternate link
	Links      []Link
	Categories []Category
	Authors    []Person // required when the feed has no author
	Lang       string   // xml:lang of the entry, overriding the feed's
}

// Content is the atom:content of an entry. Type is TextType (the default when
// empty) or HTMLType; for HTMLType, Value must already be safe HTML.
type Content struct {
	Type  string
	Value string
}

// Link is an atom:link.
type Link struct {
	Href     string // absolute IRI, required
	Rel      string // empty means "alternate"
	Type     string // media type, optional
	HrefLang string // language of the resource, optional
	Title    string // optional
	Length   int64  // size in bytes, optional (useful for enclosures)
}

// Category is an atom:category.
type Category struct {
	Term   string // required
	Label  string // optional, human-readable
	Scheme string // optional absolute IRI
}

// Person is an atom:author. A zero Person means "no author".
type Person struct {
	Name  string // required when any field is set
	URI   string // optional absolute IRI
	Email string // optional
}

// IsZero reports whether p has no fields set.
func (p Person) IsZero() bool { return p == Person{} }

// CAPLink returns the link an entry of a CAP index feed carries to its CAP
// 1.2 document: rel="alternate", type="application/cap+xml". Add HrefLang
// when there is one CAP document per language; two CAP links in one entry
// must differ in HrefLang, or Validate refuses them.
func CAPLink(href string) Link {
	return Link{Href: href, Rel: RelAlternate, Type: CAPMediaType}
}
