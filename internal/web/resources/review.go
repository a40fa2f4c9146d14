package resources

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/web/kit"
)

var reviewRules = kit.FieldKeys{"decisions": "resource.err.decisions"}

// reviewView is the weekly review: the shortfalls, the form to complete
// it, and the reviews before.
type reviewView struct {
	Shortfalls resource.Shortfalls
	Reviews    []resource.Review
	NextDue    time.Time // zero before the first review
	Overdue    bool
	Decisions  string
	CanReview  bool
	Errors     kit.FieldErrors
	Clock      *kit.DeadlineView // the weekly clock; nil before the first review
}

// FormErrors implements kit.Form.
func (v reviewView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) reviewPage(w http.ResponseWriter, r *http.Request) {
	h.renderReview(w, r, http.StatusOK, reviewView{})
}

func (h *Room) renderReview(w http.ResponseWriter, r *http.Request, status int, v reviewView) {
	ctx := r.Context()
	now := h.Kit.Now()
	var err error
	if v.Shortfalls, err = h.Resources.Shortfalls(ctx); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Shortfalls.Uncovered, err = h.Cover.Uncovered(ctx, now, now.Add(resource.ReviewEvery)); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Reviews, err = h.Resources.Reviews(ctx, 10); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if len(v.Reviews) > 0 {
		v.NextDue = v.Reviews[0].NextDue
		v.Overdue = now.After(v.NextDue)
	}
	switch d, err := h.Resources.ReviewClock(ctx); {
	case err == nil:
		dv := kit.NewDeadlineView(h.Kit.T(r), d, now)
		v.Clock = &dv
	case !fault.Is(err, fault.NotFound):
		h.Kit.Fail(w, r, err)
		return
	}
	v.CanReview = authz.Can(kit.Role(r), authz.ReviewResources)
	h.Kit.Render(w, r, status, "resource_review", v)
}

func (h *Room) completeReview(w http.ResponseWriter, r *http.Request) {
	decisions := strings.TrimSpace(r.PostFormValue("decisions"))
	_, err := h.Resources.CompleteReview(r.Context(), kit.Actor(r), decisions)
	if err == nil {
		kit.Redirect(w, r, ReviewPath+"?done=resource_reviewed")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, reviewRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderReview(w, r, http.StatusUnprocessableEntity, reviewView{Decisions: decisions, Errors: fe})
}
