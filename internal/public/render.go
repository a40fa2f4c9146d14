package public

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"crisisdesk/internal/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/public.css
var stylesheet []byte

// pageNames are the templates under templates/, each defining "content".
var pageNames = []string{"home", "notice", "crisis", "error"}

// ExerciseMark is shown on every drill, on every surface, in both scripts
// the public reads, whatever the page's language.
const ExerciseMark = "演練 EXERCISE"

func (s *Site) parse() error {
	s.pages = make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("public: parse %s: %w", name, err)
		}
		s.pages[name] = t
	}
	sum := sha256.Sum256(stylesheet)
	s.cssPath = "/public/site." + hex.EncodeToString(sum[:6]) + ".css"
	s.cssEntry = newEntry(rendered{body: stylesheet, ctype: "text/css; charset=utf-8", until: farFuture}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return nil
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// page is what the layout needs; Data is the page's own view.
type page struct {
	Lang  string
	Title string
	CSS   string
	Langs []langLink
	Feed  string // this page's Atom feed, for the alternate link
	Mark  string
	Org   orgView // who speaks
	Data  any
	tr    i18n.Translator
	loc   *time.Location
}

// T translates key; args are name–value pairs.
func (p page) T(key string, args ...any) string { return p.tr.T(key, args...) }

// Time formats t for a reader in the site's zone, with the zone named so
// that it is never ambiguous ("2026-11-26 16:04 HKT"); zero is empty.
func (p page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return t.Format("2006-01-02 15:04 ") + i18n.ZoneLabel(t)
}

// Clock formats t as the hour and minute in the site's zone, with the
// zone named, and the date before them when t is not today there
// ("16:04 HKT").
func (p page) Clock(t time.Time, now time.Time) string {
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	t, now = t.In(loc), now.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04 ") + i18n.ZoneLabel(t)
	}
	return p.Time(t)
}

// ISO formats t for a <time datetime>.
func (p page) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// langLink is one entry of the language switcher: a plain link.
type langLink struct {
	Code, Label, Href string
	Current           bool
}

func (s *Site) langLinks(r *http.Request, lang string) []langLink {
	out := make([]langLink, 0, len(i18n.Languages))
	for _, l := range i18n.Languages {
		q := url.Values{"lang": {l}}
		out = append(out, langLink{Code: l, Label: s.catalog.For(l).T("language." + l),
			Href: r.URL.Path + "?" + q.Encode(), Current: l == lang})
	}
	return out
}

// html renders page name into a buffer, so that an error is a clean 500
// and never half a page.
func (s *Site) html(r *http.Request, lang, name, title string, data any) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("public: no page %q", name)
	}
	tr := s.catalog.For(lang)
	org, _, err := s.org(r.Context(), tr)
	if err != nil {
		return nil, err
	}
	p := page{Lang: lang, Title: title, CSS: s.cssPath, Langs: s.langLinks(r, lang), Mark: ExerciseMark,
		Org: org, Data: data, tr: tr, loc: s.loc}
	if f, ok := data.(interface{ feed() string }); ok {
		p.Feed = f.feed()
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		return nil, fmt.Errorf("public: render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

func (s *Site) htmlPage(r *http.Request, lang, name, title string, data any) (rendered, error) {
	b, err := s.html(r, lang, name, title, data)
	return rendered{body: b, ctype: "text/html; charset=utf-8", lang: lang}, err
}

// marks are a line of a correction with the words screen readers say
// before each change.
type marks struct {
	Ops            []diffOp
	Removed, Added string
}

// Marks pairs a line of a correction with the page's words for changes.
func (p page) Marks(ops []diffOp) marks {
	return marks{Ops: ops, Removed: p.T("public.diff.removed"), Added: p.T("public.diff.added")}
}

// pn is a notice with its page, for the partials.
type pn struct {
	P page
	N noticeView
}

// With pairs the page with a notice (or a version of one) for a partial.
func (p page) With(n any) pn {
	switch v := n.(type) {
	case noticeView:
		return pn{P: p, N: v}
	case *version:
		return pn{P: p, N: v.noticeView}
	case version:
		return pn{P: p, N: v.noticeView}
	}
	return pn{P: p}
}
