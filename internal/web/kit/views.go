package kit

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
)

// templateFS holds the partials every room may use, the layout among
// them, and the kit's own page, error.html.
//
//go:embed templates
var templateFS embed.FS

// views holds every page of every room parsed once per language, with that
// language's translator bound to the template function t. All pages of a
// language share one template set: each page's "title" and "content" are
// renamed to "title:PAGE" and "content:PAGE" and wrapped by a generated
// "page:PAGE" between the layout's parts. So the layout and partials are
// parsed once per language, not copied into every page (which held about
// 40 MB).
type views struct {
	sets  map[string]func() (*template.Template, error) // language → every page, parsed on first use
	pages map[string]bool                               // the page names
}

// pageDefine matches a page's own title and content definitions.
var pageDefine = regexp.MustCompile(`\{\{-?\s*define\s+"(title|content)"\s*-?\}\}`)

// otherDefine matches any other definition.
var otherDefine = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

// source collects the text of the pages and partials of the rooms, once
// for every language.
type source struct {
	text      strings.Builder
	pages     map[string]bool
	definedBy map[string]string // template name → the file defining it
}

// add reads one room's templates: the pages at the root of fsys and the
// partials under partials/; room names the room in errors.
func (s *source) add(room string, fsys fs.FS) error {
	partials, err := fs.Glob(fsys, "partials/*.html")
	if err != nil {
		return fmt.Errorf("web: list the templates of %s: %w", room, err)
	}
	for _, name := range partials {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("web: read %s/%s: %w", room, name, err)
		}
		if err := s.define(room+"/"+name, string(b)); err != nil {
			return err
		}
		s.text.Write(b)
	}
	pages, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return fmt.Errorf("web: list the templates of %s: %w", room, err)
	}
	for _, name := range pages {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("web: read %s/%s: %w", room, name, err)
		}
		page := strings.TrimSuffix(path.Base(name), ".html")
		if s.pages[page] {
			return fmt.Errorf("web: two rooms have the page %q (%s/%s)", page, room, name)
		}
		s.pages[page] = true
		text := pageDefine.ReplaceAllString(string(b), `{{define "${1}:`+page+`"}}`)
		if err := s.define(room+"/"+name, text); err != nil {
			return err
		}
		s.text.WriteString(text)
		if strings.Contains(text, `{{define "content:`+page+`"}}`) { // else a page of parts only
			fmt.Fprintf(&s.text, `{{define "page:%[1]s"}}{{template "layout-open" .}}{{template "title:%[1]s" .}}{{template "layout-middle" .}}{{template "content:%[1]s" .}}{{template "layout-close" .}}{{end}}`, page)
		}
	}
	return nil
}

// define records the templates file defines, refusing a name defined
// twice.
func (s *source) define(file, text string) error {
	for _, m := range otherDefine.FindAllStringSubmatch(text, -1) {
		if prev, dup := s.definedBy[m[1]]; dup {
			return fmt.Errorf("web: template %q is defined by both %s and %s", m[1], prev, file)
		}
		s.definedBy[m[1]] = file
	}
	return nil
}

func parseViews(cat *i18n.Catalog, a *assets, loc *time.Location, rooms []Pages) (*views, error) {
	src := &source{pages: map[string]bool{}, definedBy: map[string]string{}}
	kitPages, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := src.add("kit", kitPages); err != nil {
		return nil, err
	}
	for _, p := range rooms {
		if err := src.add(p.Room, p.Templates); err != nil {
			return nil, err
		}
	}
	v := &views{sets: make(map[string]func() (*template.Template, error), len(i18n.Languages)), pages: src.pages}
	text := src.text.String()
	for _, lang := range i18n.Languages {
		v.sets[lang] = sync.OnceValues(func() (*template.Template, error) { return parseLanguage(cat, lang, a, loc, text) })
	}
	// The default language is parsed now, so that a broken template stops
	// the start; the same text parses alike in the others, when first used.
	if _, err := v.sets[i18n.Default](); err != nil {
		return nil, err
	}
	return v, nil
}

// parseLanguage parses text as lang's template set, with lang's translator
// bound to t.
func parseLanguage(cat *i18n.Catalog, lang string, a *assets, loc *time.Location, text string) (*template.Template, error) {
	tr := cat.For(lang)
	t, err := template.New("web").Funcs(template.FuncMap{
		"t":           tr.T,
		"duration":    func(d plan.Duration) string { return durationWords(tr, d) },
		"every":       func(d plan.Duration) string { return tr.Every(time.Duration(d)) },
		"channel":     tr.Channel,
		"static":      a.URL,
		"datetime":    func(t time.Time) string { return FormatTime(t, loc) },
		"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":        DateText,
		"row":         RowName,
		"fid":         fieldID,
		"fe":          fieldMessage,
		"size":        formatSize,
		"inc":         func(i int) int { return i + 1 },
		"dict":        dict,
		"list":        func(s ...string) []string { return s },
		"levels":      func() []catalog.Level { return catalog.Levels },
		"minPassword": func() int { return account.MinPasswordLength },
	}).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("web: parse templates (%s): %w", lang, err)
	}
	return t, nil
}

// lookup returns the template set of lang and the name of page's whole
// document in it.
func (v *views) lookup(lang, page string) (*template.Template, string, error) {
	set, ok := v.sets[lang]
	if !ok || !v.pages[page] {
		return nil, "", fmt.Errorf("web: no template %q for %q", page, lang)
	}
	t, err := set()
	if err != nil {
		return nil, "", err
	}
	return t, "page:" + page, nil
}

// fieldID turns a field name such as steps[2].deadline into an HTML id,
// steps-2-deadline.
func fieldID(name string) string {
	return strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(name)
}

// fieldMsg is a field's error message with the id it goes by, for the
// row-error template.
type fieldMsg struct {
	ID  string
	Msg string
}

func fieldMessage(fe FieldErrors, name string) fieldMsg {
	return fieldMsg{ID: fieldID(name) + "-error", Msg: fe[name]}
}

// dict builds a map from alternating keys and values, to pass several
// values to a partial.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}
