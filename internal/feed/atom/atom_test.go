package atom_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/feed/atom"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// idDay is the fixed tagging date of the test deployment.
var idDay = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func id(specific string) string { return atom.TagURI("crisisdesk.example.org", idDay, specific) }

// sampleFeed is the public notices feed: one notice in zh-Hant and en, and a
// correction of it that points back at the original.
func sampleFeed() atom.Feed {
	taipei := time.FixedZone("Asia/Taipei", 8*3600)
	published := time.Date(2026, 11, 25, 14, 5, 0, 0, taipei)
	corrected := time.Date(2026, 11, 25, 14, 32, 10, 0, taipei)
	const base = "https://crisisdesk.example.org"
	return atom.Feed{
		ID:        id("feed/notices"),
		Title:     "公共通告 Public notices",
		Subtitle:  "crisisdesk 發布的所有公共通告",
		Updated:   corrected,
		Lang:      "zh-Hant",
		Author:    atom.Person{Name: "市政府新聞處", URI: base + "/", Email: "press@example.org"},
		Rights:    "© 2026 市政府",
		Generator: "crisisdesk",
		Links: []atom.Link{
			{Href: base + "/feed.atom", Rel: atom.RelSelf, Type: "application/atom+xml"},
			{Href: base + "/", Type: "text/html"},
		},
		Entries: []atom.Entry{
			{
				ID:        id("notice/n-0002"),
				Title:     "更正：豪雨特報避難所地點",
				Updated:   corrected,
				Published: corrected,
				Lang:      "zh-Hant",
				Summary:   "更正第一則通告中的避難所地址。",
				Content:   atom.Content{Type: atom.TextType, Value: "避難所改設於中正國小（中正路 100 號），\n不是先前公告的中山國小。"},
				Links: []atom.Link{
					{Href: base + "/notices/n-0002?lang=zh-Hant", Type: "text/html", HrefLang: "zh-Hant"},
					{Href: base + "/notices/n-0001?lang=zh-Hant", Rel: atom.RelRelated, Type: "text/html", Title: "原通告"},
				},
				Categories: []atom.Category{
					{Term: "correction", Label: "更正", Scheme: base + "/schemes/kind"},
				},
			},
			{
				ID:        id("notice/n-0001/zh-Hant"),
				Title:     "豪雨特報：請避免前往河濱",
				Updated:   published,
				Published: published,
				Lang:      "zh-Hant",
				Content:   atom.Content{Type: atom.TextType, Value: "請立即離開河濱公園，前往中山國小避難。"},
				Links: []atom.Link{
					{Href: base + "/notices/n-0001?lang=zh-Hant", Type: "text/html", HrefLang: "zh-Hant"},
					{Href: base + "/notices/n-0001?lang=en", Type: "text/html", HrefLang: "en"},
				},
				Categories: []atom.Category{{Term: "alert", Scheme: base + "/schemes/kind"}},
			},
			{
				ID:        id("notice/n-0001/en"),
				Title:     "Heavy rain warning: stay away from riverside parks",
				Updated:   published,
				Published: published,
				Lang:      "en",
				Summary:   "Leave riverside parks now & go to a shelter.",
				Content:   atom.Content{Type: atom.HTMLType, Value: "<p>Leave riverside parks now and go to Zhongshan Elementary School.</p>"},
				Links: []atom.Link{
					{Href: base + "/notices/n-0001?lang=en", Type: "text/html", HrefLang: "en"},
				},
				Categories: []atom.Category{{Term: "alert", Scheme: base + "/schemes/kind"}},
				Authors:    []atom.Person{{Name: "City Press Office"}},
			},
		},
	}
}

// capIndex is the Atom index of current CAP alerts at /cap.atom.
func capIndex() atom.Feed {
	at := time.Date(2026, 11, 25, 6, 5, 0, 0, time.UTC)
	return atom.Feed{
		ID:      id("feed/cap"),
		Title:   "Current CAP alerts",
		Updated: at,
		Lang:    "en",
		Author:  atom.Person{Name: "City Press Office"},
		Links:   []atom.Link{{Href: "https://crisisdesk.example.org/cap.atom", Rel: atom.RelSelf, Type: "application/atom+xml"}},
		Entries: []atom.Entry{{
			ID:      id("notice/n-0001"),
			Title:   "Heavy rain warning",
			Updated: at,
			Summary: "Severe, Immediate, Observed",
			Links:   []atom.Link{atom.CAPLink("https://crisisdesk.example.org/notices/n-0001/cap.xml")},
		}},
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]atom.Feed{
		"notices.atom":   sampleFeed(),
		"cap-index.atom": capIndex(),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got bytes.Buffer
			if err := atom.Write(&got, f); err != nil {
				t.Fatal(err)
			}
			golden(t, name, got.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update if the change is intended)\ngot:\n%s", path, got)
	}
}

// Minimal shapes to read a written feed back with encoding/xml.
type (
	xFeed struct {
		XMLName   xml.Name  `xml:"http://www.w3.org/2005/Atom feed"`
		Lang      string    `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID        string    `xml:"id"`
		Title     xText     `xml:"title"`
		Subtitle  xText     `xml:"subtitle"`
		Updated   string    `xml:"updated"`
		Author    []xAuthor `xml:"author"`
		Links     []xLink   `xml:"link"`
		Rights    xText     `xml:"rights"`
		Generator string    `xml:"generator"`
		Entries   []xEntry  `xml:"entry"`
	}
	xEntry struct {
		Lang       string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID         string      `xml:"id"`
		Title      xText       `xml:"title"`
		Updated    string      `xml:"updated"`
		Published  string      `xml:"published"`
		Summary    xText       `xml:"summary"`
		Content    xText       `xml:"content"`
		Links      []xLink     `xml:"link"`
		Categories []xCategory `xml:"category"`
		Authors    []xAuthor   `xml:"author"`
	}
	xText struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	}
	xLink struct {
		Href     string `xml:"href,attr"`
		Rel      string `xml:"rel,attr"`
		Type     string `xml:"type,attr"`
		HrefLang string `xml:"hreflang,attr"`
		Title    string `xml:"title,attr"`
	}
	xCategory struct {
		Term   string `xml:"term,attr"`
		Label  string `xml:"label,attr"`
		Scheme string `xml:"scheme,attr"`
	}
	xAuthor struct {
		Name  string `xml:"name"`
		URI   string `xml:"uri"`
		Email string `xml:"email"`
	}
)

func parse(t *testing.T, f atom.Feed) (xFeed, []byte) {
	t.Helper()
	b, err := atom.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var x xFeed
	if err := xml.Unmarshal(b, &x); err != nil {
		t.Fatalf("output is not well-formed: %v\n%s", err, b)
	}
	return x, b
}

func TestStructure(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	x, b := parse(t, f)

	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="utf-8"?>`+"\n"+`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hant">`)) {
		t.Errorf("unexpected prologue:\n%s", b[:120])
	}
	if x.ID != f.ID || x.Title.Value != f.Title || x.Lang != "zh-Hant" {
		t.Errorf("feed id/title/lang = %q %q %q", x.ID, x.Title.Value, x.Lang)
	}
	if x.Updated != "2026-11-25T06:32:10Z" {
		t.Errorf("feed updated = %q, want RFC 3339 UTC", x.Updated)
	}
	if len(x.Author) != 1 || x.Author[0].Name != "市政府新聞處" {
		t.Errorf("feed author = %+v", x.Author)
	}
	if !hasLink(x.Links, "self", "https://crisisdesk.example.org/feed.atom") {
		t.Errorf("feed has no self link: %+v", x.Links)
	}
	if len(x.Entries) != 3 {
		t.Fatalf("got %d entries, want 3", len(x.Entries))
	}

	corr := x.Entries[0]
	if corr.Lang != "zh-Hant" || corr.Published != "2026-11-25T06:32:10Z" || corr.Content.Type != "text" {
		t.Errorf("correction entry = %+v", corr)
	}
	if !hasLink(corr.Links, "related", "https://crisisdesk.example.org/notices/n-0001?lang=zh-Hant") {
		t.Errorf("correction has no related link to the original: %+v", corr.Links)
	}
	if !strings.Contains(corr.Content.Value, "\n") {
		t.Errorf("newline in content was lost: %q", corr.Content.Value)
	}
	if len(corr.Categories) != 1 || corr.Categories[0].Term != "correction" || corr.Categories[0].Label != "更正" {
		t.Errorf("correction categories = %+v", corr.Categories)
	}

	en := x.Entries[2]
	if en.Lang != "en" || en.Content.Type != "html" || en.Summary.Value != "Leave riverside parks now & go to a shelter." {
		t.Errorf("en entry = %+v", en)
	}
	if len(en.Authors) != 1 || en.Authors[0].Name != "City Press Office" {
		t.Errorf("en entry authors = %+v", en.Authors)
	}
	if len(en.Links) != 1 || en.Links[0].Rel != "alternate" || en.Links[0].HrefLang != "en" {
		t.Errorf("en entry links = %+v", en.Links)
	}
}

func hasLink(ls []xLink, rel, href string) bool {
	for _, l := range ls {
		if l.Rel == rel && l.Href == href {
			return true
		}
	}
	return false
}

func TestCAPLink(t *testing.T) {
	t.Parallel()
	x, _ := parse(t, capIndex())
	l := x.Entries[0].Links[0]
	if l.Rel != "alternate" || l.Type != "application/cap+xml" || l.Href != "https://crisisdesk.example.org/notices/n-0001/cap.xml" {
		t.Errorf("CAP link = %+v", l)
	}
}

// TestEscaping puts a script tag in every text field and attribute and checks
// that no markup reaches the document while the text survives a round trip.
func TestEscaping(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert("x" & 'y')</script>`
	f := sampleFeed()
	f.Title, f.Subtitle, f.Rights, f.Generator = evil, evil, evil, evil
	f.Author = atom.Person{Name: evil, Email: "a@example.org"}
	f.Links[1].Title = evil
	f.Links[1].Href = "https://example.org/?a=1&b=%3Cscript%3E"
	for i := range f.Entries {
		e := &f.Entries[i]
		e.Title, e.Summary = evil, evil
		e.Content = atom.Content{Type: atom.TextType, Value: evil}
		e.Links[0].Title = evil
		e.Categories = []atom.Category{{Term: evil, Label: evil}}
		e.Authors = []atom.Person{{Name: evil}}
	}
	x, b := parse(t, f)

	if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
		t.Fatalf("unescaped markup in output:\n%s", b)
	}
	check := func(field, got string) {
		t.Helper()
		if got != evil {
			t.Errorf("%s = %q, want %q", field, got, evil)
		}
	}
	check("title", x.Title.Value)
	check("subtitle", x.Subtitle.Value)
	check("rights", x.Rights.Value)
	check("generator", x.Generator)
	check("author.name", x.Author[0].Name)
	check("links[1].title", x.Links[1].Title)
	if x.Links[1].Href != "https://example.org/?a=1&b=%3Cscript%3E" {
		t.Errorf("href = %q", x.Links[1].Href)
	}
	for _, e := range x.Entries {
		check("entry.title", e.Title.Value)
		check("entry.summary", e.Summary.Value)
		check("entry.content", e.Content.Value)
		check("entry.links[0].title", e.Links[0].Title)
		check("entry.category.term", e.Categories[0].Term)
		check("entry.category.label", e.Categories[0].Label)
		check("entry.author.name", e.Authors[0].Name)
	}
}

// TestControlCharacters checks that characters XML cannot carry are replaced
// rather than producing a document no reader can parse.
func TestControlCharacters(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	f.Title = "a\x00b\x1bc\xffd\r\ne"
	x, _ := parse(t, f)
	if want := "a\uFFFDb\uFFFDc\uFFFDd\r\ne"; x.Title.Value != want {
		t.Errorf("title = %q, want %q", x.Title.Value, want)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := atom.Write(&a, sampleFeed()); err != nil {
		t.Fatal(err)
	}
	if err := atom.Write(&b, sampleFeed()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two writes of the same feed differ")
	}
}

func TestWriteRefusesInvalidFeed(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	f.ID = ""
	var b bytes.Buffer
	if err := atom.Write(&b, f); err == nil {
		t.Fatal("Write accepted a feed without id")
	}
	if b.Len() != 0 {
		t.Errorf("Write wrote %d bytes of an invalid feed", b.Len())
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	if err := atom.Validate(sampleFeed()); err != nil {
		t.Fatalf("sample feed: %v", err)
	}
	tests := []struct {
		name   string
		edit   func(*atom.Feed)
		field  string
		reason string
	}{
		{"feed id missing", func(f *atom.Feed) { f.ID = "" }, "id", "required"},
		{"feed id relative", func(f *atom.Feed) { f.ID = "/feed" }, "id", "absolute IRI"},
		{"feed id https without host", func(f *atom.Feed) { f.ID = "https:feed" }, "id", "absolute IRI"},
		{"feed id with space", func(f *atom.Feed) { f.ID = "tag:example.org,2026:a b" }, "id", "absolute IRI"},
		{"feed title blank", func(f *atom.Feed) { f.Title = "  " }, "title", "required"},
		{"feed updated missing", func(f *atom.Feed) { f.Updated = time.Time{} }, "updated", "required"},
		{"feed lang invalid", func(f *atom.Feed) { f.Lang = "zh_Hant" }, "lang", "language tag"},
		{"no self link", func(f *atom.Feed) { f.Links = f.Links[1:] }, "links", `rel="self"`},
		{"two self links", func(f *atom.Feed) { f.Links = append(f.Links, f.Links[0]) }, "links", `one rel="self"`},
		{"link href relative", func(f *atom.Feed) { f.Links[1].Href = "/" }, "links[1].href", "absolute IRI"},
		{"link rel unknown", func(f *atom.Feed) { f.Links[1].Rel = "next page" }, "links[1].rel", "registered"},
		{"link type invalid", func(f *atom.Feed) { f.Links[1].Type = "html" }, "links[1].type", "media type"},
		{"feed alternate duplicate", func(f *atom.Feed) {
			f.Links = append(f.Links, atom.Link{Href: "https://example.org/other", Rel: "alternate", Type: "TEXT/HTML"})
		}, "links[2]", "more than one alternate"},
		{"author name missing", func(f *atom.Feed) { f.Author = atom.Person{Email: "a@example.org"} }, "author.name", "required"},
		{"author uri relative", func(f *atom.Feed) { f.Author.URI = "about" }, "author.uri", "absolute IRI"},
		{"author email invalid", func(f *atom.Feed) { f.Author.Email = "press" }, "author.email", "email"},
		{"no feed author and entry without author", func(f *atom.Feed) { f.Author = atom.Person{} }, "entries[0].authors", "required"},
		{"entry id missing", func(f *atom.Feed) { f.Entries[1].ID = "" }, "entries[1].id", "required"},
		{"entry title missing", func(f *atom.Feed) { f.Entries[1].Title = "" }, "entries[1].title", "required"},
		{"entry updated missing", func(f *atom.Feed) { f.Entries[2].Updated = time.Time{} }, "entries[2].updated", "required"},
		{"entry published out of range", func(f *atom.Feed) {
			f.Entries[0].Published = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "entries[0].published", "year"},
		{"entry lang invalid", func(f *atom.Feed) { f.Entries[0].Lang = "中文" }, "entries[0].lang", "language tag"},
		{"entry alternate duplicate", func(f *atom.Feed) {
			f.Entries[1].Links[1].HrefLang = "zh-hant"
		}, "entries[1].links[1]", "more than one alternate"},
		{"entry explicit alternate duplicates implicit one", func(f *atom.Feed) {
			f.Entries[2].Links = append(f.Entries[2].Links, atom.Link{Href: "https://example.org/x", Rel: "alternate", Type: "text/html", HrefLang: "en"})
		}, "entries[2].links[1]", "more than one alternate"},
		{"entry content xhtml", func(f *atom.Feed) { f.Entries[0].Content.Type = "xhtml" }, "entries[0].content.type", "not supported"},
		{"entry without content or alternate", func(f *atom.Feed) {
			f.Entries[0].Content = atom.Content{}
			f.Entries[0].Links = f.Entries[0].Links[1:]
		}, "entries[0].content", "alternate link"},
		{"entry author empty", func(f *atom.Feed) { f.Entries[2].Authors = []atom.Person{{}} }, "entries[2].authors[0].name", "required"},
		{"category term missing", func(f *atom.Feed) { f.Entries[0].Categories[0].Term = "" }, "entries[0].categories[0].term", "required"},
		{"category scheme relative", func(f *atom.Feed) { f.Entries[0].Categories[0].Scheme = "kind" }, "entries[0].categories[0].scheme", "absolute IRI"},
		{"duplicate entry version", func(f *atom.Feed) {
			f.Entries[2].ID = f.Entries[1].ID
		}, "entries[2].id", "entries[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := sampleFeed()
			tt.edit(&f)
			err := atom.Validate(f)
			var fe *atom.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %v, want a *FieldError", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Reason, tt.reason) {
				t.Errorf("Validate = %q %q, want field %q with reason containing %q", fe.Field, fe.Reason, tt.field, tt.reason)
			}
		})
	}
}

func TestValidateAuthorsOnEveryEntry(t *testing.T) {
	t.Parallel()
	f := sampleFeed()
	f.Author = atom.Person{}
	for i := range f.Entries {
		f.Entries[i].Authors = []atom.Person{{Name: "Press"}}
	}
	if err := atom.Validate(f); err != nil {
		t.Errorf("feed without author but with authors on every entry: %v", err)
	}
}

func TestTagURI(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 1, 15, 23, 30, 0, 0, time.FixedZone("Asia/Taipei", 8*3600))
	tests := []struct {
		name, authority, specific, want string
	}{
		{"plain", "crisisdesk.example.org", "notice/42", "tag:crisisdesk.example.org,2026-01-15:notice/42"},
		{"authority lower-cased", " CrisisDesk.Example.ORG ", "x", "tag:crisisdesk.example.org,2026-01-15:x"},
		{"email authority", "press@example.org", "feed", "tag:press@example.org,2026-01-15:feed"},
		{"escaped specific", "example.org", "a b#c%d/中", "tag:example.org,2026-01-15:a%20b%23c%25d/%E4%B8%AD"},
		{"allowed punctuation kept", "example.org", "n-1.2_3~!$&'()*+,;=:@/?", "tag:example.org,2026-01-15:n-1.2_3~!$&'()*+,;=:@/?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := atom.TagURI(tt.authority, day, tt.specific); got != tt.want {
				t.Errorf("TagURI = %q, want %q", got, tt.want)
			}
		})
	}
}
