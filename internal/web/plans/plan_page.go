package plans

import (
	"fmt"
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/i18n"
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
	// Gaps are the warnings of plan.TemplateGaps, worded: templates that
	// would not give a notice ready to send.
	Gaps []string
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
	v.Gaps = templateGaps(tr, p.Body)
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

// templateGaps words plan.TemplateGaps for the reader: "Template 2
// (English, level II): Instruction is empty".
func templateGaps(tr i18n.Translator, b plan.Body) []string {
	var out []string
	for _, g := range plan.TemplateGaps(b) {
		var i int
		var field string
		if _, err := fmt.Sscanf(g.Field, "templates[%d]", &i); err != nil || i < 0 || i >= len(b.Templates) {
			continue
		}
		field = g.Field[strings.Index(g.Field, "].")+2:]
		key := map[string]string{"body": "plan.body", "instruction": "notice.instruction", "contact": "notice.contact"}[field]
		label := ""
		if key != "" {
			label = tr.T(key)
		} else if c, ok := strings.CutPrefix(field, "cap."); ok {
			label = "CAP · " + tr.T("notice.cap."+c)
		}
		t := b.Templates[i]
		out = append(out, tr.T("plan.template_gap", "N", i+1, "Language", tr.T("language."+t.Language),
			"Level", t.Level.String(), "Field", label))
	}
	return out
}
