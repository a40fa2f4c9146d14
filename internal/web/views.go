package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// views holds every page parsed once per language, with that language's
// translator bound to the template function t. All pages of a language
// share one template set: each page's "title" and "content" are renamed
// to "title:PAGE" and "content:PAGE" and wrapped by a generated "page:PAGE"
// between the layout's parts. So the layout and partials are parsed once
// per language, not copied into every page (which held about 40 MB).
type views struct {
	sets  map[string]*template.Template // language → every page
	pages map[string]bool               // the page names
}

// pageDefine matches a page's own title and content definitions.
var pageDefine = regexp.MustCompile(`\{\{-?\s*define\s+"(title|content)"\s*-?\}\}`)

// otherDefine matches any other definition in a page.
var otherDefine = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

func parseViews(cat *i18n.Catalog, a *assets, loc *time.Location) (*views, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	// Read and rename the pages once; the text is the same in every language.
	var src strings.Builder
	v := &views{sets: make(map[string]*template.Template), pages: make(map[string]bool, len(names))}
	definedBy := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("web: read %s: %w", name, err)
		}
		page := strings.TrimSuffix(path.Base(name), ".html")
		text := pageDefine.ReplaceAllString(string(b), `{{define "${1}:`+page+`"}}`)
		for _, m := range otherDefine.FindAllStringSubmatch(text, -1) {
			if prev, dup := definedBy[m[1]]; dup {
				return nil, fmt.Errorf("web: template %q is defined by both %s and %s", m[1], prev, name)
			}
			definedBy[m[1]] = name
		}
		v.pages[page] = true
		src.WriteString(text)
		if strings.Contains(text, `{{define "content:`+page+`"}}`) { // else a page of parts only
			fmt.Fprintf(&src, `{{define "page:%[1]s"}}{{template "layout-open" .}}{{template "title:%[1]s" .}}{{template "layout-middle" .}}{{template "content:%[1]s" .}}{{template "layout-close" .}}{{end}}`, page)
		}
	}
	for _, lang := range i18n.Languages {
		tr := cat.For(lang)
		t, err := template.New("layout").Funcs(template.FuncMap{
			"t":           tr.T,
			"static":      a.URL,
			"datetime":    func(t time.Time) string { return formatTime(t, loc) },
			"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
			"date":        dateText,
			"row":         rowName,
			"fid":         fieldID,
			"fe":          fieldMessage,
			"size":        formatSize,
			"inc":         func(i int) int { return i + 1 },
			"dict":        dict,
			"list":        func(s ...string) []string { return s },
			"levels":      func() []catalog.Level { return catalog.Levels },
			"minPassword": func() int { return account.MinPasswordLength },
			"agent":       func(kind string) string { return agentText(tr, kind) },
		}).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
		if err == nil {
			t, err = t.New("pages").Parse(src.String())
		}
		if err != nil {
			return nil, fmt.Errorf("web: parse templates: %w", err)
		}
		v.sets[lang] = t
	}
	return v, nil
}

// lookup returns the template set of lang and the name of page's whole
// document in it.
func (v *views) lookup(lang, page string) (*template.Template, string, error) {
	t, ok := v.sets[lang]
	if !ok || !v.pages[page] {
		return nil, "", fmt.Errorf("web: no template %q for %q", page, lang)
	}
	return t, "page:" + page, nil
}

// formatTime shows a time to the minute in loc (nil: UTC), followed by the
// zone, so that a time is never ambiguous: "2026-11-26 16:04 HKT"; the zero
// time is blank.
func formatTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return t.Format("2006-01-02 15:04 ") + i18n.ZoneLabel(t)
}

// formatSize writes a file size in KiB or MiB.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
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

func fieldMessage(fe fieldErrors, name string) fieldMsg {
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
