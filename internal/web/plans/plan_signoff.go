package plans

import (
	"context"
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// The three signatures. Each form posts a comment; the review and
// approval forms have a second button, decision=return, that sends the
// version back to its author with the comment as the reason.

func (h *Room) submitPlan(w http.ResponseWriter, r *http.Request) {
	h.signPlan(w, r, "", h.Plans.Submit, "submitted")
}

func (h *Room) reviewPlan(w http.ResponseWriter, r *http.Request) {
	h.signPlan(w, r, plan.Submitted, h.Plans.Review, "reviewed")
}

func (h *Room) approvePlan(w http.ResponseWriter, r *http.Request) {
	h.signPlan(w, r, plan.Reviewed, h.Plans.Approve, "approved")
}

type signFunc func(ctx context.Context, a authz.Actor, id int64, comment string) (plan.Plan, error)

// signPlan takes a sign-off step, or returns the version when asked and
// it is at the stage this route signs (returning is refused at any other
// stage, whatever the service would allow).
func (h *Room) signPlan(w http.ResponseWriter, r *http.Request, stage plan.Status, sign signFunc, done string) {
	tr := h.Kit.T(r)
	p, ok := h.planOf(w, r)
	if !ok {
		return
	}
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	var err error
	switch {
	case stage != "" && r.PostFormValue("decision") == "return":
		if p.Status != stage {
			err = fault.New(fault.Conflict, "not at this stage")
			break
		}
		_, err = h.Plans.Return(r.Context(), kit.Actor(r), p.ID, comment)
		done = "returned"
	default:
		_, err = sign(r.Context(), kit.Actor(r), p.ID, comment)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(p.ID)+"?done="+done)
		return
	}
	v := planView{Comment: comment}
	status := http.StatusConflict
	switch fault.CodeOf(err) {
	case fault.Forbidden:
		// The route checked the role: what is left is the rule that
		// three different people sign.
		status, v.Errors = http.StatusForbidden, kit.FieldErrors{"": tr.T("err.plan_three_people")}
	case fault.Conflict:
		v.Errors = kit.FieldErrors{"": tr.T("err.plan_stage")}
	case fault.Invalid:
		status = http.StatusUnprocessableEntity
		if fault.As(err).Field == "comment" {
			v.Errors = kit.FieldErrors{"comment": tr.T("err.return_reason")}
		} else {
			v.Errors = kit.FieldErrors{"": tr.T("err.plan_incomplete")}
		}
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	if current, gerr := h.Plans.Get(r.Context(), p.ID); gerr == nil {
		p = current
	}
	h.renderPlan(w, r, status, p, v)
}
