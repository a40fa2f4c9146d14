package plans

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

func (h *Room) newPlanPage(w http.ResponseWriter, r *http.Request) {
	typeID, _ := strconv.ParseInt(r.URL.Query().Get("type"), 10, 64)
	f := planForm{TypeID: typeID, ReviewMonths: strconv.Itoa(plan.DefaultReviewMonths),
		ActivationDeadline: plan.DefaultActivation.String(), FirstNoticeDue: plan.DefaultFirstNotice.String()}
	f.grow("steps", "")
	h.renderPlanEdit(w, r, http.StatusOK, planEditView{Form: f, IsNew: true, Editable: true})
}

// createPlan starts a plan at version 1, a draft with the user as author.
func (h *Room) createPlan(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := planFormFrom(r)
	v := planEditView{Form: f, IsNew: true, Editable: true}
	if add := kit.AddRow(r); add != "" {
		v.Form.grow(add, tr.Lang())
		h.renderPlanEdit(w, r, http.StatusOK, v)
		return
	}
	body, bad := f.body()
	if f.Code == "" {
		bad.Add("code", "is required")
	}
	if f.TypeID == 0 {
		bad.Add("type_id", "choose a crisis type")
	}
	err := planErrors(bad, f.Title, body)
	var p plan.Plan
	if err == nil {
		p, err = h.Plans.Create(r.Context(), kit.Actor(r), f.Code, f.TypeID, f.Title, body)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(p.ID)+"?done=created")
		return
	}
	fe, ok := planFieldErrors(tr, err, planRules, f)
	if !ok {
		if fe, ok = planFieldErrors(tr, err, planRefusals, f); !ok {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	v.Form.Errors = fe
	h.renderPlanEdit(w, r, http.StatusUnprocessableEntity, v)
}
