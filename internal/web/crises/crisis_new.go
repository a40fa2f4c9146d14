package crises

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// declarePage shows the empty form: no level chosen, the occurrence left
// to be told (unknown: the clocks count from detection). From a plan's
// page (?plan_id=) its crisis type is chosen and the plan named.
func (h *Room) declarePage(w http.ResponseWriter, r *http.Request) {
	f := declareForm{PlanID: kit.QueryInt(r, "plan_id"), TypeID: kit.QueryInt(r, "type_id"), Activate: true}
	h.renderDeclare(w, r, http.StatusOK, f)
}

// declare opens a crisis and its first clocks, then shows its room.
func (h *Room) declare(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := declareFormFrom(r)
	if r.PostFormValue("fill") != "" {
		// "Fill the other Chinese script": the form again, with the
		// script not written converted from the one that is, to check.
		if h.Chinese != nil {
			f.Texts = f.Texts.Prefill(h.Chinese)
		}
		h.renderDeclare(w, r, http.StatusOK, f)
		return
	}
	d, bad := f.declaration()
	var err error
	if len(bad) > 0 {
		err = kit.MergeFields(bad, d.Validate(h.Kit.Now()))
	}
	var c crisis.Crisis
	if err == nil {
		c, err = h.Crises.Declare(r.Context(), kit.Actor(r), d)
	}
	if err == nil {
		done := "declared"
		if f.Activate && h.activateInForce(r, c) {
			done = "activated"
		}
		kit.Redirect(w, r, Path+"/"+kit.Itoa(c.ID)+"?done="+done)
		return
	}
	fe, ok := kit.InvalidFields(tr, err, declareRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderDeclare(w, r, http.StatusUnprocessableEntity, f)
}

func (h *Room) renderDeclare(w http.ResponseWriter, r *http.Request, status int, f declareForm) {
	tr := h.Kit.T(r)
	types, err := h.Plans.Types(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	approved, _, err := h.Plans.List(r.Context(), plan.Filter{Status: plan.Approved, Limit: 500})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	now := h.Kit.Now()
	planned := map[int64]bool{}
	for _, p := range approved {
		if !p.Lapsed(now) {
			planned[p.TypeID] = true
		}
		if p.ID == f.PlanID {
			v := p
			f.Plan = &v
			if f.TypeID == 0 {
				f.TypeID = p.TypeID
			}
		}
	}
	v := declareView{Form: f, Levels: catalog.Levels, Zones: kit.Zones}
	for _, c := range catalog.Categories {
		g := typeGroup{Category: c}
		for _, t := range types {
			if t.Category == c {
				label := t.Name.For(tr.Lang())
				if planned[t.ID] {
					label = tr.T("crises.type_with_plan", "Type", label)
				} else {
					v.Unplanned = true
				}
				g.Types = append(g.Types, option{Value: kit.Itoa(t.ID), Label: label, Planned: planned[t.ID]})
			}
		}
		if len(g.Types) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	if f.TypeID != 0 {
		// The past lessons of the type, for the commander to read first.
		if v.Lessons, err = h.Lessons.ForType(r.Context(), f.TypeID, 3); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	h.Kit.Render(w, r, status, "crisis_new", v)
}

// activateInForce activates, right after declaring c, the one approved
// plan of its type, when there is exactly one and the user may command;
// otherwise the room offers the choice. A failure leaves the crisis
// declared, as the room then shows, and is logged.
func (h *Room) activateInForce(r *http.Request, c crisis.Crisis) bool {
	if !authz.Can(kit.Role(r), authz.CommandCrisis) {
		return false
	}
	ps, _, err := h.Plans.List(r.Context(), plan.Filter{Status: plan.Approved, TypeID: c.TypeID, Limit: 2})
	if err != nil || len(ps) != 1 {
		return false
	}
	if _, err := h.Crises.Activate(r.Context(), kit.Actor(r), c.ID, ps[0].ID); err != nil {
		h.Kit.Logger().WarnContext(r.Context(), "web: activate the plan on declaring", "crisis", c.ID, "plan", ps[0].ID, "err", err)
		return false
	}
	return true
}
