package web

import (
	"net/http"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/web/kit"
)

func (h *Handler) declarePage(w http.ResponseWriter, r *http.Request) {
	f := declareForm{Level: catalog.LevelIV.String(), OccurredAt: h.kit.Now().UTC().Format(kit.DatetimeLocal)}
	h.renderDeclare(w, r, http.StatusOK, f)
}

// declare opens a crisis and its first clocks, then shows its room.
func (h *Handler) declare(w http.ResponseWriter, r *http.Request) {
	tr := h.kit.T(r)
	f := declareFormFrom(r)
	d, bad := f.declaration()
	var err error
	if len(bad) > 0 {
		err = kit.MergeFields(bad, d.Validate(h.kit.Now()))
	}
	var c crisis.Crisis
	if err == nil {
		c, err = h.crises.Declare(r.Context(), kit.Actor(r), d)
	}
	if err == nil {
		kit.Redirect(w, r, "/desk/crises/"+kit.Itoa(c.ID)+"?done=declared")
		return
	}
	fe, ok := kit.InvalidFields(tr, err, declareRules)
	if !ok {
		h.kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderDeclare(w, r, http.StatusUnprocessableEntity, f)
}

func (h *Handler) renderDeclare(w http.ResponseWriter, r *http.Request, status int, f declareForm) {
	tr := h.kit.T(r)
	types, err := h.plans.Types(r.Context())
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := declareView{Form: f, Levels: catalog.Levels, Zones: kit.Zones}
	for _, c := range catalog.Categories {
		g := typeGroup{Category: c}
		for _, t := range types {
			if t.Category == c {
				g.Types = append(g.Types, option{Value: kit.Itoa(t.ID), Label: t.Name.For(tr.Lang())})
			}
		}
		if len(g.Types) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	h.kit.Render(w, r, status, "crisis_new", v)
}
