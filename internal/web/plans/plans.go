package plans

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
)

// plansView lists the newest version of each plan, with the version in
// force beside it when that is another.
type plansView struct {
	Plans   []planRow
	Pager   kit.Pager
	CanEdit bool
}

// planRow is a plan in a list. Lapsed and ReviewSoon are about the
// version in force.
type planRow struct {
	Plan       plan.Plan
	TypeName   string
	InForce    *plan.Plan
	Lapsed     bool
	ReviewSoon bool
}

// maxPlans bounds the approved versions read to flag lapsed plans; an
// office has dozens.
const maxPlans = 500

// maxDepartments is how many departments the room lists at once, to name
// the owners of steps: a city has dozens, and the store pages at most 500.
const maxDepartments = 500

func (h *Room) plansPage(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	page := kit.PageParam(r)
	current, total, err := h.Plans.List(r.Context(), plan.Filter{Current: true, Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	approved, _, err := h.Plans.List(r.Context(), plan.Filter{Status: plan.Approved, Limit: maxPlans})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names, _, err := crisisview.TypeNames(r.Context(), h.Plans, tr.Lang())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	inForce := map[string]plan.Plan{}
	for _, p := range approved {
		inForce[p.Code] = p
	}
	now := h.Kit.Now()
	v := plansView{Pager: kit.NewPager(r, page, total), CanEdit: authz.Can(kit.Role(r), authz.EditPlan)}
	for _, p := range current {
		row := planRow{Plan: p, TypeName: names[p.TypeID]}
		if f, ok := inForce[p.Code]; ok {
			row.Lapsed, row.ReviewSoon = f.Lapsed(now), f.ReviewSoon(now)
			if f.ID != p.ID {
				row.InForce = &f
			}
		}
		v.Plans = append(v.Plans, row)
	}
	h.Kit.Render(w, r, http.StatusOK, "plans", v)
}
