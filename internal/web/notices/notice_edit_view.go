package notices

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/web/kit"
)

// templateOption is one plan template the editor can start from.
type templateOption struct {
	Index    int
	Href     string
	Language string
	Headline string
	Chosen   bool
}

type noticeEditView struct {
	Form        noticeForm
	Crisis      *crisis.Crisis
	FirstNotice *kit.ClockView
	Templates   []templateOption
	Panels      []langPanel
	Preview     *previewView // the preview asked for without script
	Kinds       []notice.Kind
	Audiences   []notice.Audience
	Departments []account.Department
	Roles       []authz.Role
	Zones       []kit.ZoneOption
	Categories  []string
	Urgencies   []string
	Severities  []string
	Certainties []string
	Errors      kit.FieldErrors
	// Returned is the approver's return, shown above the form of a draft
	// that came back; Conflict marks a save refused because someone else
	// saved first.
	Returned *notice.Step
	Conflict bool
}

// Action is where the form saves: the draft being edited, or a new one.
func (v noticeEditView) Action() string {
	if v.Form.ID != 0 {
		return Path + "/" + kit.Itoa(v.Form.ID) + "/edit"
	}
	return Path + "/new"
}

func newNoticeEditView(f noticeForm) noticeEditView {
	return noticeEditView{Form: f, Kinds: []notice.Kind{notice.Alert, notice.Update}, Audiences: notice.Audiences,
		Roles: authz.Roles, Zones: kit.Zones, Categories: notice.Categories, Urgencies: notice.Urgencies,
		Severities: notice.Severities, Certainties: notice.Certainties, Errors: kit.FieldErrors{}}
}

// Chose reports whether the form picks department id, for the template.
func (v noticeEditView) Chose(id int64) bool { return slices.Contains(v.Form.Departments, id) }

// ChoseRole reports whether the form picks role r, for the template.
func (v noticeEditView) ChoseRole(r authz.Role) bool { return slices.Contains(v.Form.Roles, r) }

// langPanel is one language's tab of the editor.
type langPanel struct {
	Lang    string
	Label   string
	Content notice.Content
	Active  bool
	// Converted is the text a conversion wrote into this tab, carried in
	// hidden fields; Marks names the fields still as converted.
	Converted *notice.Content
	Marks     map[string]bool
	Converts  []convertButton
	Errors    kit.FieldErrors
	Message   string // why a conversion into this tab did nothing
}

// convertButton converts one script into the other.
type convertButton struct {
	ID, Href, To, Label string
}

// scriptConversions are the one-click conversions, from the script of a tab to
// the script of another.
var scriptConversions = []struct{ from, to, key string }{
	{"zh-Hant", "zh-Hans", "editor.convert_to_hans"},
	{"zh-Hans", "zh-Hant", "editor.convert_to_hant"},
}

// panels lays out the form's languages as tabs.
func (h *Room) panels(r *http.Request, f noticeForm, fe kit.FieldErrors) []langPanel {
	tr := h.Kit.T(r)
	out := make([]langPanel, 0, len(f.Contents))
	for _, c := range f.Contents {
		out = append(out, panelOf(tr, f, c.Language, fe))
	}
	return out
}

func panelOf(tr i18n.Translator, f noticeForm, lang string, fe kit.FieldErrors) langPanel {
	p := langPanel{Lang: lang, Label: languageLabel(tr, lang), Content: f.content(lang), Active: lang == f.Active, Errors: fe}
	if conv, ok := f.Converted[lang]; ok {
		p.Converted = &conv
		p.Marks = map[string]bool{
			"headline":    conv.Headline != "" && conv.Headline == p.Content.Headline,
			"body":        conv.Body != "" && conv.Body == p.Content.Body,
			"instruction": conv.Instruction != "" && conv.Instruction == p.Content.Instruction,
			"contact":     conv.Contact != "" && conv.Contact == p.Content.Contact,
		}
	}
	for _, cv := range scriptConversions {
		if cv.from == lang {
			href := Path + "/convert?from=" + cv.from + "&to=" + cv.to
			p.Converts = append(p.Converts, convertButton{ID: "convert-" + cv.from + "-" + cv.to, Href: href, To: cv.to, Label: tr.T(cv.key)})
		}
	}
	return p
}

// languageLabel names a language in the UI's language, or by its code
// when the catalogue has no name for it.
func languageLabel(tr i18n.Translator, lang string) string {
	name := "language." + lang
	if s := tr.T(name); s != name {
		return s
	}
	return lang
}

// allDepartments lists every department, for the recipients of an
// internal notice.
func (h *Room) allDepartments(r *http.Request) ([]account.Department, error) {
	const page = 500
	var out []account.Department
	for off := 0; ; off += page {
		deps, total, err := h.Accounts.ListDepartments(r.Context(), off, page)
		if err != nil {
			return nil, err
		}
		out = append(out, deps...)
		if len(deps) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// checkDepartments refuses departments that do not exist (a stale form).
func (f *noticeForm) checkDepartments(deps []account.Department) {
	if f.Audience != notice.Internal {
		return
	}
	for _, id := range f.Departments {
		if !slices.ContainsFunc(deps, func(d account.Department) bool { return d.ID == id }) {
			f.Bad.Add("departments", "department %d does not exist", id)
			return
		}
	}
}

// noticeFieldKeys explain the domain's field errors; contents[i].x is
// shown beside field x of language i's tab.
var noticeFieldKeys = kit.FieldKeys{
	"kind":                 "err.notice_kind",
	"audience":             "editor.err.audience",
	"departments":          "editor.err.recipients",
	"roles":                "editor.err.roles",
	"contents":             "err.notice_contents",
	"language":             "editor.err.language",
	"headline":             "err.notice_headline",
	"body":                 "err.notice_body",
	"instruction":          "err.notice_too_long",
	"contact":              "err.notice_too_long",
	"cap.event":            "err.notice_event",
	"cap.category":         "err.notice_cap_choice",
	"cap.urgency":          "err.notice_cap_choice",
	"cap.severity":         "err.notice_cap_choice",
	"cap.certainty":        "err.notice_cap_choice",
	"effective":            "editor.err.time", // as typed: not a time
	"expires":              "editor.err.time",
	"cap.expires":          "editor.err.expires", // before effective
	"cap.area.description": "err.notice_area",
	"polygons":             "err.notice_polygon",
	"circles":              "editor.err.circle",
	"geocodes":             "editor.err.geocode",
	"new_language":         "editor.err.language_code",
}

// noticeFieldErrors maps the domain's field names to the editor's: the
// content of index i to its language's tab ("en.headline"), every
// polygon, circle and geocode to its box, the roles and departments to
// the recipients, anything unknown to the form as a whole. langs are the
// languages of the notice as validated, by index.
func noticeFieldErrors(tr i18n.Translator, err error, langs []string) (kit.FieldErrors, bool) {
	if _, ok := kit.InvalidFields(tr, err, nil); !ok {
		return nil, false
	}
	fe := kit.FieldErrors{}
	for _, e := range kit.FieldsOf(err) {
		field, key := editorField(e.Field, langs)
		msgKey, known := noticeFieldKeys[key]
		if !known {
			field, msgKey = "", "err.invalid"
		}
		msg, isText := kit.TextMessage(tr, e)
		if !isText {
			msg = tr.T(msgKey)
		}
		if _, dup := fe[field]; !dup {
			fe[field] = msg
		}
		if _, dup := fe[""]; isText && !dup {
			// At the top too: the field may be in a tab not shown.
			fe[""] = msg
		}
	}
	return fe, true
}

// editorField returns where the editor shows the domain's field and which
// entry of noticeFieldKeys explains it.
func editorField(field string, langs []string) (where, key string) {
	box := func(s string) string { // "cap.area.circles[2]" → "circles"
		s = s[strings.LastIndex(s, ".")+1:]
		if i := strings.Index(s, "["); i >= 0 {
			s = s[:i]
		}
		return s
	}
	switch {
	case strings.HasPrefix(field, "contents[") && strings.Contains(field, "]."):
		i, _ := strconv.Atoi(field[len("contents["):strings.Index(field, "]")])
		sub := field[strings.Index(field, "].")+2:]
		if i >= 0 && i < len(langs) {
			return langs[i] + "." + sub, sub
		}
		return "", ""
	case strings.HasPrefix(field, "cap.area.") && strings.Contains(field, "["):
		return box(field), box(field)
	case strings.HasPrefix(field, "roles"):
		return "departments", "roles"
	}
	return field, field
}
