package work

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/workplan"
)

// programmeRules explain the domain's validation of a new programme.
var programmeRules = kit.FieldKeys{
	"title":     "work.err.programme_title",
	"starts_on": "work.err.starts_on",
}

// programmesView lists the programmes and offers a new one.
type programmesView struct {
	Programmes []workplan.Programme
	CanEdit    bool
	Title      string
	StartsOn   string
	Template   bool
	Errors     kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v programmesView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) programmesPage(w http.ResponseWriter, r *http.Request) {
	h.renderProgrammes(w, r, http.StatusOK, programmesView{Template: true, StartsOn: kit.DateText(h.Kit.Now())})
}

func (h *Room) renderProgrammes(w http.ResponseWriter, r *http.Request, status int, v programmesView) {
	ps, err := h.Work.Programmes(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Programmes, v.CanEdit = ps, authz.Can(kit.Role(r), authz.EditWork)
	h.Kit.Render(w, r, status, "work_programmes", v)
}

func (h *Room) createProgramme(w http.ResponseWriter, r *http.Request) {
	v := programmesView{Title: r.PostFormValue("title"), StartsOn: r.PostFormValue("starts_on"), Template: r.PostFormValue("template") != ""}
	p, err := h.Work.CreateProgramme(r.Context(), kit.Actor(r), v.Title, h.day(v.StartsOn), v.Template)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(p.ID)+"?done=programme_created")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, programmeRules)
	if !ok || fault.Is(err, fault.Conflict) {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors = fe
	h.renderProgrammes(w, r, http.StatusUnprocessableEntity, v)
}
