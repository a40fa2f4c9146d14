package plans

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// planView is one plan version with its signatures, its other versions
// and the sign-off step the reader may take.
type planView struct {
	Doc        planDoc
	Plan       plan.Plan
	Versions   []plan.Plan
	InForce    *plan.Plan // the approved version, when this is another
	Lapsed     bool
	ReviewSoon bool
	CanEdit    bool // edit, and submit a draft
	CanReview  bool // review or return a submitted version
	CanApprove bool // approve or return a reviewed version
	CanDeclare bool // "Declare a crisis with this plan": an approved plan, a commander
	Comment    string
	Errors     kit.FieldErrors
}

func (h *Room) planPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.planOf(w, r)
	if !ok {
		return
	}
	h.renderPlan(w, r, http.StatusOK, p, planView{})
}

// renderPlan shows a plan version; v carries a refused step's message.
func (h *Room) renderPlan(w http.ResponseWriter, r *http.Request, status int, p plan.Plan, v planView) {
	tr := h.Kit.T(r)
	doc, err := h.planDoc(r.Context(), tr, p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	versions, err := h.Plans.Versions(r.Context(), p.Code)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	now := h.Kit.Now()
	v.Doc, v.Plan, v.Versions = doc, p, versions
	v.Lapsed, v.ReviewSoon = p.Lapsed(now), p.ReviewSoon(now)
	for i, other := range versions {
		if other.Status == plan.Approved && other.ID != p.ID {
			v.InForce = &versions[i]
		}
	}
	ro := kit.Role(r)
	v.CanEdit = authz.Can(ro, authz.EditPlan)
	v.CanReview = authz.Can(ro, authz.ReviewPlan) && p.Status == plan.Submitted
	v.CanApprove = authz.Can(ro, authz.ApprovePlan) && p.Status == plan.Reviewed
	v.CanDeclare = authz.Can(ro, authz.DeclareCrisis) && p.Status == plan.Approved && !p.Lapsed(now)
	h.Kit.Render(w, r, status, "plan", v)
}
