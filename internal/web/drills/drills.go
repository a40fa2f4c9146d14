package drills

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/web/kit"
)

// listView lists the drills, newest start first.
type listView struct {
	Drills  []drill.Drill
	Pager   kit.Pager
	CanPlan bool
}

func (h *Room) drillsPage(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	ds, total, err := h.Drills.List(r.Context(), drill.Filter{Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "drills", listView{Drills: ds, Pager: kit.NewPager(r, page, total),
		CanPlan: authz.Can(kit.Role(r), authz.PlanDrill)})
}
