package crises

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
)

// maxPlans bounds the approved plans of a type the room offers to
// activate; an office has dozens.
const maxPlans = 500

// maxDepartments is how many departments the room reads to name the
// owners of tasks: a city has dozens, and the store pages at most 500.
const maxDepartments = 500

// crisesView lists crises, open ones first.
type crisesView struct {
	Crises     []crisisview.Row
	Pager      kit.Pager
	CanDeclare bool
}

func (h *Room) crisesPage(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	list, total, err := h.Crises.List(r.Context(), crisis.Filter{Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	rows, err := h.views().Rows(r.Context(), h.Kit.T(r), list, h.Kit.Now())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "crises", crisesView{
		Crises: rows, Pager: kit.NewPager(r, page, total), CanDeclare: authz.Can(kit.Role(r), authz.DeclareCrisis),
	})
}

// views shows crises to the reader.
func (h *Room) views() crisisview.Services {
	return crisisview.Services{Crises: h.Crises, Plans: h.Plans, Log: h.Kit.Logger()}
}
