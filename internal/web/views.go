package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

// views holds every page parsed once per language, with that language's
// translator bound to the template function t.
type views struct {
	pages map[string]map[string]*template.Template // language → page → template
}

func parseViews(cat *i18n.Catalog, a *assets, loc *time.Location) (*views, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	v := &views{pages: make(map[string]map[string]*template.Template)}
	for _, lang := range i18n.Languages {
		tr := cat.For(lang)
		base, err := template.New("layout").Funcs(template.FuncMap{
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
		if err != nil {
			return nil, fmt.Errorf("web: parse layout: %w", err)
		}
		v.pages[lang] = make(map[string]*template.Template, len(names))
		for _, name := range names {
			t, err := base.Clone()
			if err == nil {
				t, err = t.ParseFS(templateFS, name)
			}
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", name, err)
			}
			v.pages[lang][strings.TrimSuffix(path.Base(name), ".html")] = t
		}
	}
	return v, nil
}

func (v *views) lookup(lang, name string) (*template.Template, error) {
	t, ok := v.pages[lang][name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q for %q", name, lang)
	}
	return t, nil
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
