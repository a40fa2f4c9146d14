package web

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
)

// noticeLanguages are the languages the editor offers, one fieldset each.
var noticeLanguages = []string{"zh-Hant", "zh-Hans", "en"}

// noticeForm is what the editor shows and reads back.
type noticeForm struct {
	CrisisID       int64
	Kind           notice.Kind
	Audience       notice.Audience
	Contents       []notice.Content // one per noticeLanguages, blank when omitted
	CAP            notice.CAPInfo
	Polygons       string // one per line
	TemplatePlanID int64
}

// templateOption is one plan template the editor can start from.
type templateOption struct {
	Href     string
	Language string
	Headline string
	Chosen   bool
}

type noticeEditView struct {
	Form        noticeForm
	Crisis      *crisis.Crisis
	FirstNotice *clockView
	Templates   []templateOption
	Kinds       []notice.Kind
	Audiences   []notice.Audience
	Categories  []string
	Urgencies   []string
	Severities  []string
	Certainties []string
	Errors      fieldErrors
}

func (h *Handler) newNoticePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := noticeForm{Kind: notice.Alert, Audience: notice.Public}
	if a := notice.Audience(q.Get("audience")); a.Valid() {
		f.Audience = a
	}
	f.CrisisID, _ = strconv.ParseInt(q.Get("crisis"), 10, 64)
	f.Contents = make([]notice.Content, len(noticeLanguages))
	for i, l := range noticeLanguages {
		f.Contents[i].Language = l
	}
	v, err := h.noticeEditor(r, f, q.Get("template"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "notice_edit", v)
}

func (h *Handler) createNotice(w http.ResponseWriter, r *http.Request) {
	f := readNoticeForm(r)
	n := notice.Notice{CrisisID: f.CrisisID, Kind: f.Kind, Audience: f.Audience, CAP: f.CAP, TemplatePlanID: f.TemplatePlanID}
	var langs []string // the language of each content sent, by index
	for _, c := range f.Contents {
		if c.Headline == "" && c.Body == "" && c.Instruction == "" && c.Contact == "" {
			continue
		}
		n.Contents = append(n.Contents, c)
		langs = append(langs, c.Language)
	}
	created, err := h.notices.Create(r.Context(), actor(r), n)
	if err == nil {
		redirect(w, r, "/desk/notices/"+itoa64(created.ID)+"?done=notice_created")
		return
	}
	fe, ok := noticeFieldErrors(h.translator(r), err, langs)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v, lerr := h.noticeEditor(r, f, "")
	if lerr != nil {
		h.fail(w, r, lerr)
		return
	}
	v.Errors = fe
	h.render(w, r, http.StatusUnprocessableEntity, "notice_edit", v)
}

// noticeEditor fills in the crisis, its first-notice clock and the plan's
// templates around a form; template, when it names one, prefills its
// language.
func (h *Handler) noticeEditor(r *http.Request, f noticeForm, template string) (noticeEditView, error) {
	v := noticeEditView{Form: f, Kinds: []notice.Kind{notice.Alert, notice.Update, notice.AllClear},
		Audiences: notice.Audiences, Categories: notice.Categories, Urgencies: notice.Urgencies,
		Severities: notice.Severities, Certainties: notice.Certainties, Errors: fieldErrors{}}
	if f.CrisisID == 0 {
		return v, nil
	}
	ctx := r.Context()
	c, err := h.crises.Get(ctx, f.CrisisID)
	if err != nil {
		return v, err
	}
	v.Crisis = &c
	for _, ck := range c.Clocks {
		if ck.Kind == crisis.FirstNoticeClock {
			cv := newClockView(h.translator(r).T("notice.first_notice_due"), ck, h.clock.Now())
			v.FirstNotice = &cv
			break
		}
	}
	if c.PlanID == 0 {
		return v, nil
	}
	p, err := h.plans.Get(ctx, c.PlanID)
	if err != nil {
		return v, err
	}
	chosen := -1
	if template != "" {
		chosen, _ = strconv.Atoi(template)
	}
	for i, t := range notice.Templates(p, c.Level, f.Audience) {
		href := "/desk/notices/new?crisis=" + itoa64(c.ID) + "&audience=" + string(f.Audience) + "&template=" + strconv.Itoa(i)
		v.Templates = append(v.Templates, templateOption{Href: href, Language: t.Language, Headline: t.Headline, Chosen: i == chosen})
		if i == chosen {
			h.prefill(r, &v.Form, p, c, t)
		}
	}
	return v, nil
}

// prefill writes a plan template into the form's fieldset of its language.
func (h *Handler) prefill(r *http.Request, f *noticeForm, p plan.Plan, c crisis.Crisis, t plan.Template) {
	typeName := ""
	if ty, err := h.plans.Type(r.Context(), c.TypeID); err == nil {
		typeName = ty.Name.For(t.Language)
	}
	content := notice.FromTemplate(t, notice.Values(c, typeName, t.Language))
	f.TemplatePlanID = p.ID
	// The crisis says what it can: its level's severity, its place and
	// type. A person still checks every CAP field before submitting.
	if f.CAP.Severity == "" {
		f.CAP.Severity = c.Level.CAPSeverity()
	}
	if f.CAP.Area.Description == "" {
		f.CAP.Area.Description = c.Location
	}
	if f.CAP.Event == "" {
		if ty, err := h.plans.Type(r.Context(), c.TypeID); err == nil {
			f.CAP.Event = ty.Name.En
		}
	}
	for i := range f.Contents {
		if f.Contents[i].Language == content.Language {
			f.Contents[i] = content
			return
		}
	}
	f.Contents = append(f.Contents, content)
}

// readNoticeForm reads the editor's post.
func readNoticeForm(r *http.Request) noticeForm {
	val := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f := noticeForm{CrisisID: formInt(r, "crisis_id"), Kind: notice.Kind(val("kind")), Audience: notice.Audience(val("audience")),
		TemplatePlanID: formInt(r, "template_plan_id"), Polygons: val("polygons")}
	for _, l := range noticeLanguages {
		f.Contents = append(f.Contents, notice.Content{Language: l, Headline: val(l + ".headline"), Body: val(l + ".body"),
			Instruction: val(l + ".instruction"), Contact: val(l + ".contact")})
	}
	f.CAP = notice.CAPInfo{Event: val("event"), Category: val("category"), Urgency: val("urgency"),
		Severity: val("severity"), Certainty: val("certainty"), Area: notice.Area{Description: val("area")}}
	for line := range strings.SplitSeq(f.Polygons, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			f.CAP.Area.Polygons = append(f.CAP.Area.Polygons, line)
		}
	}
	return f
}

// noticeFieldKeys explain the domain's field errors; contents[i].x is
// shown beside field x of language i's fieldset.
var noticeFieldKeys = fieldKeys{
	"kind":                 "err.notice_kind",
	"audience":             "err.notice_audience",
	"departments":          "err.notice_audience",
	"contents":             "err.notice_contents",
	"headline":             "err.notice_headline",
	"body":                 "err.notice_body",
	"instruction":          "err.notice_too_long",
	"contact":              "err.notice_too_long",
	"cap.event":            "err.notice_event",
	"cap.category":         "err.notice_cap_choice",
	"cap.urgency":          "err.notice_cap_choice",
	"cap.severity":         "err.notice_cap_choice",
	"cap.certainty":        "err.notice_cap_choice",
	"cap.area.description": "err.notice_area",
}

// noticeFieldErrors maps the domain's field names to the editor's: the
// content of index i to its language's fieldset ("en.headline"), every
// polygon to "polygons", anything unknown to the form as a whole.
func noticeFieldErrors(tr i18n.Translator, err error, langs []string) (fieldErrors, bool) {
	if _, ok := invalidFields(tr, err, nil); !ok {
		return nil, false
	}
	fe := fieldErrors{}
	for _, e := range fieldsOf(err) {
		field, key := e.Field, ""
		switch {
		case strings.HasPrefix(field, "contents[") && strings.Contains(field, "]."):
			i, _ := strconv.Atoi(field[len("contents["):strings.Index(field, "]")])
			sub := field[strings.Index(field, "].")+2:]
			key = noticeFieldKeys[sub]
			if i >= 0 && i < len(langs) && key != "" {
				field = langs[i] + "." + sub
			}
		case strings.HasPrefix(field, "cap.area.polygons"):
			field = "polygons"
			key = "err.notice_polygon"
		default:
			key = noticeFieldKeys[field]
		}
		if key == "" {
			field, key = "", "err.invalid"
		}
		if _, dup := fe[field]; !dup {
			fe[field] = tr.T(key)
		}
	}
	return fe, true
}
