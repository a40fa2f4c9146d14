package web

import (
	"net/http"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
)

func (h *Handler) declarePage(w http.ResponseWriter, r *http.Request) {
	f := declareForm{Level: catalog.LevelIV.String(), OccurredAt: h.clock.Now().UTC().Format(datetimeLocal)}
	h.renderDeclare(w, r, http.StatusOK, f)
}

// declare opens a crisis and its first clocks, then shows its room.
func (h *Handler) declare(w http.ResponseWriter, r *http.Request) {
	tr := h.translator(r)
	f := declareFormFrom(r)
	d, bad := f.declaration()
	var err error
	if len(bad) > 0 {
		err = mergeFields(bad, d.Validate(h.clock.Now()))
	}
	var c crisis.Crisis
	if err == nil {
		c, err = h.crises.Declare(r.Context(), actor(r), d)
	}
	if err == nil {
		redirect(w, r, "/desk/crises/"+itoa64(c.ID)+"?done=declared")
		return
	}
	fe, ok := invalidFields(tr, err, declareRules)
	if !ok {
		h.fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderDeclare(w, r, http.StatusUnprocessableEntity, f)
}

// mergeFields joins the form's own errors with the domain's.
func mergeFields(bad fault.Fields, err error) error {
	if err != nil {
		bad = append(bad, fieldsOf(err)...)
	}
	return bad.Err()
}

func (h *Handler) renderDeclare(w http.ResponseWriter, r *http.Request, status int, f declareForm) {
	tr := h.translator(r)
	types, err := h.plans.Types(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := declareView{Form: f, Levels: catalog.Levels, Zones: zones}
	for _, c := range catalog.Categories {
		g := typeGroup{Category: c}
		for _, t := range types {
			if t.Category == c {
				g.Types = append(g.Types, option{Value: itoa64(t.ID), Label: t.Name.For(tr.Lang())})
			}
		}
		if len(g.Types) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	h.render(w, r, status, "crisis_new", v)
}
