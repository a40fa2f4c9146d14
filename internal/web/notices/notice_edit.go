package notices

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// The notice editor: one tab per language (stacked fieldsets without
// script), Traditional ⇄ Simplified conversion for review
// (notice_edit_convert.go), a live preview with the SMS length
// (notice_preview.go), the recipients of an internal notice and the CAP
// fields.

func (h *Room) newNoticePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := blankNoticeForm()
	if a := notice.Audience(q.Get("audience")); a.Valid() {
		f.Audience = a
	}
	f.CrisisID, _ = strconv.ParseInt(q.Get("crisis"), 10, 64)
	v, err := h.noticeEditor(r, f, q.Get("template"), nil)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "notice_edit", v)
}

// createNotice saves the draft; with add_language it only adds a tab.
func (h *Room) createNotice(w http.ResponseWriter, r *http.Request) {
	f := readNoticeForm(r)
	if r.PostFormValue("add_language") != "" {
		f.Bad = nil // the rest of the form is checked when it is saved
		f.addLanguage()
		status := http.StatusOK
		if len(f.Bad) > 0 {
			status = http.StatusUnprocessableEntity
		}
		h.renderEditor(w, r, status, f, kit.MergeFields(f.Bad, nil))
		return
	}
	deps, err := h.allDepartments(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f.checkDepartments(deps)
	n := f.notice()
	if len(f.Bad) > 0 {
		h.renderEditor(w, r, http.StatusUnprocessableEntity, f, kit.MergeFields(f.Bad, notice.ValidateDraft(n)))
		return
	}
	created, err := h.Notices.Create(r.Context(), kit.Actor(r), n)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(created.ID)+"?done=notice_created")
		return
	}
	h.renderEditor(w, r, http.StatusUnprocessableEntity, f, err)
}

// renderEditor shows the form again with the field errors of err, which
// must be invalid input; any other error fails the page.
func (h *Room) renderEditor(w http.ResponseWriter, r *http.Request, status int, f noticeForm, err error) {
	fe := kit.FieldErrors{}
	if err != nil {
		var ok bool
		if fe, ok = noticeFieldErrors(h.Kit.T(r), err, f.notice().Languages()); !ok {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	v, lerr := h.noticeEditor(r, f, "", fe)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	h.Kit.Render(w, r, status, "notice_edit", v)
}

// noticeEditor fills in the crisis, its first-notice clock, the plan's
// templates and the departments around a form with its errors fe;
// template, when it names one, prefills its language.
func (h *Room) noticeEditor(r *http.Request, f noticeForm, template string, fe kit.FieldErrors) (noticeEditView, error) {
	v := newNoticeEditView(f)
	if fe != nil {
		v.Errors = fe
	}
	deps, err := h.allDepartments(r)
	if err != nil {
		return v, err
	}
	v.Departments = deps
	if f.ID != 0 {
		n, err := h.Notices.Get(r.Context(), f.ID)
		if err != nil {
			return v, err
		}
		v.Returned = returnComment(n)
	}
	if f.CrisisID != 0 {
		if err := h.crisisTemplates(r, &v, template); err != nil {
			return v, err
		}
	}
	v.Panels = h.panels(r, v.Form, v.Errors)
	return v, nil
}

// crisisTemplates adds the crisis, its first-notice clock and its plan's
// templates to the view.
func (h *Room) crisisTemplates(r *http.Request, v *noticeEditView, template string) error {
	ctx := r.Context()
	c, err := h.Crises.Get(ctx, v.Form.CrisisID)
	if err != nil {
		return err
	}
	v.Crisis = &c
	for _, ck := range c.Clocks {
		if ck.Kind == crisis.FirstNoticeClock {
			cv := kit.NewClockView(h.Kit.T(r).T("notice.first_notice_due"), ck, h.Kit.Now())
			v.FirstNotice = &cv
			break
		}
	}
	if c.PlanID == 0 {
		return nil
	}
	p, err := h.Plans.Get(ctx, c.PlanID)
	if err != nil {
		return err
	}
	chosen := -1
	if template != "" {
		chosen, _ = strconv.Atoi(template)
	}
	for i, t := range notice.Templates(p, c.Level, v.Form.Audience) {
		href := Path + "/new?crisis=" + kit.Itoa(c.ID) + "&audience=" + string(v.Form.Audience) + "&template=" + strconv.Itoa(i)
		v.Templates = append(v.Templates, templateOption{Index: i, Href: href, Language: t.Language, Headline: t.Headline, Chosen: i == chosen})
		if i == chosen {
			h.prefill(r, &v.Form, p, c, t)
		}
	}
	return nil
}

// prefill writes a plan template into the form's tab of its language.
func (h *Room) prefill(r *http.Request, f *noticeForm, p plan.Plan, c crisis.Crisis, t plan.Template) {
	typeName := ""
	if ty, err := h.Plans.Type(r.Context(), c.TypeID); err == nil {
		typeName = ty.Name.For(t.Language)
	}
	var conv crisis.Converter
	if h.Chinese != nil {
		conv = h.Chinese
	}
	values := h.inScript(r, notice.Values(c, typeName, t.Language, conv), t.Language)
	content := notice.FromTemplate(t, values)
	f.TemplatePlanID = p.ID
	notice.TemplateCAP(&f.CAP, t, values)
	// The crisis says what it can: its level's severity, its place and
	// type. A person still checks every CAP field before submitting.
	if f.CAP.Severity == "" {
		f.CAP.Severity = c.Level.CAPSeverity()
	}
	if f.CAP.Area.Description == "" {
		f.CAP.Area.Description = c.Location
	}
	if f.CAP.Event == "" {
		if ty, err := h.Plans.Type(r.Context(), c.TypeID); err == nil {
			f.CAP.Event = ty.Name.En
		}
	}
	if l, err := notice.CanonicalLanguage(content.Language); err == nil {
		content.Language = l
	}
	f.setContent(content)
	f.Active = content.Language
}

// applyTemplate fills the posted form's tab of the chosen template's
// language from it, and the CAP fields still empty: every other tab, and
// every CAP field already set, stays as typed. It saves nothing.
func (h *Room) applyTemplate(w http.ResponseWriter, r *http.Request) {
	f := readNoticeForm(r)
	f.Bad = nil // the rest of the form is checked when it is saved
	v, err := h.noticeEditor(r, f, r.PostFormValue("template"), nil)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "notice_edit", v)
}

// inScript writes the crisis's own words among values (its title,
// location, area and summary) in the Chinese script of lang, so that a
// zh-Hans template does not fill in Traditional characters; other
// languages get them as declared. A conversion that fails leaves them as
// they are, logged: the person checking the draft sees them.
func (h *Room) inScript(r *http.Request, values map[string]string, lang string) map[string]string {
	if lang != "zh-Hans" && lang != "zh-Hant" {
		return values
	}
	for _, k := range []string{"title", "location", "area", "summary"} {
		if values[k] == "" {
			continue
		}
		s, err := h.Chinese.Convert(values[k], lang)
		if err != nil {
			h.Kit.Logger().WarnContext(r.Context(), "web: convert a placeholder", "lang", lang, "err", err)
			continue
		}
		values[k] = s
	}
	return values
}
