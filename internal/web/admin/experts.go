package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// ExpertsPath lists the outside experts; ExpertsPath/{id} is one.
const ExpertsPath = "/desk/admin/experts"

// expertRules explain the domain's validation of an expert.
var expertRules = kit.FieldKeys{
	"name":         "err.expert_name",
	"organisation": "err.expert_text",
	"field":        "err.expert_text",
	"email":        "err.expert_email",
	"phone":        "err.expert_phone",
	"languages":    "err.expert_languages",
}

// expertsView is the list of experts.
type expertsView struct {
	Experts []expert.Expert
	Pager   kit.Pager
}

// expertForm is the new-expert and edit-expert form.
type expertForm struct {
	ID           int64
	Name         string
	Organisation string
	Field        string
	Email        string
	Phone        string
	Languages    []string
	Active       bool
	Version      int64
	Errors       kit.FieldErrors
}

// Has reports whether the form has language l ticked.
func (f expertForm) Has(l string) bool { return slices.Contains(f.Languages, l) }

// expertView is the page around the form.
type expertView struct {
	Form      expertForm
	Languages []string
	CanAudit  bool
}

func expertFormOf(e expert.Expert) expertForm {
	return expertForm{ID: e.ID, Name: e.Name, Organisation: e.Organisation, Field: e.Field, Email: e.Email, Phone: e.Phone,
		Languages: e.Languages, Active: e.Active, Version: e.Version}
}

func expertFormFrom(r *http.Request) expertForm {
	_ = r.ParseForm()
	return expertForm{
		Name:         strings.TrimSpace(r.PostFormValue("name")),
		Organisation: strings.TrimSpace(r.PostFormValue("organisation")),
		Field:        strings.TrimSpace(r.PostFormValue("field")),
		Email:        strings.TrimSpace(r.PostFormValue("email")),
		Phone:        strings.TrimSpace(r.PostFormValue("phone")),
		Languages:    r.PostForm["languages"],
		Active:       r.PostFormValue("active") != "",
		Version:      kit.FormInt(r, "version"),
	}
}

func (f expertForm) input() expert.Input {
	return expert.Input{Name: f.Name, Organisation: f.Organisation, Field: f.Field, Email: f.Email, Phone: f.Phone,
		Languages: f.Languages, Active: f.Active, Version: f.Version}
}

func (h *Room) experts(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	xs, total, err := h.Experts.List(r.Context(), kit.Offset(page), kit.PerPage)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "experts", expertsView{Experts: xs, Pager: kit.NewPager(r, page, total)})
}

func (h *Room) renderExpert(w http.ResponseWriter, r *http.Request, status int, name string, f expertForm) {
	h.Kit.Render(w, r, status, name, expertView{Form: f, Languages: i18n.Languages, CanAudit: authz.Can(kit.Role(r), authz.ViewAudit)})
}

// saveExpert checks the form by the domain's rules, then lets save store
// it (kit.CheckAndSave).
func saveExpert(tr i18n.Translator, f expertForm, save func(expert.Input) error) (fe kit.FieldErrors, status int, err error) {
	in := f.input()
	in.Normalize()
	return kit.CheckAndSave(tr, in.Validate(), expertRules, expertRules, func() error { return save(in) })
}

func (h *Room) newExpertPage(w http.ResponseWriter, r *http.Request) {
	h.renderExpert(w, r, http.StatusOK, "expert_new", expertForm{Active: true, Languages: []string{i18n.TraditionalChinese}})
}

func (h *Room) createExpert(w http.ResponseWriter, r *http.Request) {
	f := expertFormFrom(r)
	var e expert.Expert
	fe, status, err := saveExpert(h.Kit.T(r), f, func(in expert.Input) (err error) {
		e, err = h.Experts.Create(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderExpert(w, r, status, "expert_new", f)
	default:
		kit.Redirect(w, r, ExpertsPath+"/"+strconv.FormatInt(e.ID, 10)+"?done=created")
	}
}

func (h *Room) expertPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	e, err := h.Experts.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderExpert(w, r, http.StatusOK, "expert_edit", expertFormOf(e))
}

func (h *Room) updateExpert(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := expertFormFrom(r)
	f.ID = id
	fe, status, err := saveExpert(h.Kit.T(r), f, func(in expert.Input) error {
		_, err := h.Experts.Update(r.Context(), kit.Actor(r), id, in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderExpert(w, r, status, "expert_edit", f)
	default:
		kit.Redirect(w, r, ExpertsPath+"/"+strconv.FormatInt(id, 10)+"?done=saved")
	}
}

func (h *Room) deleteExpert(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.Experts.Delete(r.Context(), kit.Actor(r), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, ExpertsPath+"?done=deleted")
}
