package plans

import (
	"context"
	"net/http"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

func (h *Room) planEditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.planOf(w, r)
	if !ok {
		return
	}
	v, err := h.planEditState(r.Context(), h.Kit.T(r), p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Form = planFormOf(p)
	h.renderPlanEdit(w, r, http.StatusOK, v)
}

// savePlan saves the editor. The form carries the lock of the version it
// was opened from: if someone saved in between, the save is refused, not
// merged. Saving an approved version makes a new draft version.
func (h *Room) savePlan(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	stored, ok := h.planOf(w, r)
	if !ok {
		return
	}
	v, err := h.planEditState(r.Context(), tr, stored)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f := planFormFrom(r)
	f.ID, f.Code, f.TypeID = stored.ID, stored.Code, stored.TypeID
	v.Form = f
	if add := kit.AddRow(r); add != "" {
		v.Form.grow(add, tr.Lang())
		h.renderPlanEdit(w, r, http.StatusOK, v)
		return
	}
	if !v.Editable {
		v.Form.Errors = kit.FieldErrors{"": v.Notice}
		h.renderPlanEdit(w, r, http.StatusConflict, v)
		return
	}
	body, bad := f.body()
	err = planErrors(bad, f.Title, body)
	if err == nil && stored.Lock != f.Lock {
		err = fault.New(fault.Conflict, "stale")
	}
	var saved plan.Plan
	if err == nil {
		saved, err = h.Plans.Save(r.Context(), kit.Actor(r), stored.ID, f.Lock, f.Title, body)
	}
	switch {
	case err == nil && saved.ID != stored.ID:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(saved.ID)+"?done=new_version")
		return
	case err == nil:
		kit.Redirect(w, r, Path+"/"+kit.Itoa(saved.ID)+"?done=saved")
		return
	case fault.Is(err, fault.Conflict):
		v.Form.Errors = kit.FieldErrors{"": tr.T("err.stale")}
		h.renderPlanEdit(w, r, http.StatusConflict, v)
		return
	}
	fe, ok := planFieldErrors(tr, err, planRules, f)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Form.Errors = fe
	h.renderPlanEdit(w, r, http.StatusUnprocessableEntity, v)
}

// planOf reads the plan version of the route, or answers the error.
func (h *Room) planOf(w http.ResponseWriter, r *http.Request) (plan.Plan, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return plan.Plan{}, false
	}
	p, err := h.Plans.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return p, false
	}
	return p, true
}

// planEditState says whether a version can be saved and what saving
// does: a draft is changed in place; an approved or superseded version
// becomes a new draft version unless one is already in preparation; a
// version waiting for a signature cannot be changed.
func (h *Room) planEditState(ctx context.Context, tr i18n.Translator, p plan.Plan) (planEditView, error) {
	v := planEditView{Plan: p, Editable: true}
	switch p.Status {
	case plan.Submitted, plan.Reviewed:
		v.Editable, v.Notice = false, tr.T("plan.edit_locked")
	case plan.Approved, plan.Superseded:
		versions, err := h.Plans.Versions(ctx, p.Code)
		if err != nil {
			return v, err
		}
		next := 0
		for _, other := range versions {
			next = max(next, other.Version+1)
			switch other.Status {
			case plan.Draft, plan.Submitted, plan.Reviewed:
				v.DraftID = other.ID
			}
		}
		if v.DraftID != 0 {
			v.Editable, v.Notice = false, tr.T("plan.edit_draft_exists")
		} else {
			v.Notice = tr.T("plan.edit_new_version", "Next", next, "Version", p.Version)
		}
	}
	return v, nil
}
