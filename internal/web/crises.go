package web

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
)

// crisesView lists crises, open ones first.
type crisesView struct {
	Crises     []crisisRow
	Pager      kit.Pager
	CanDeclare bool
}

// crisisRow is a crisis in a list, with its most urgent clock.
type crisisRow struct {
	Crisis   crisis.Crisis
	TypeName string
	Urgent   *kit.ClockView
}

func (h *Handler) crisesPage(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	list, total, err := h.crises.List(r.Context(), crisis.Filter{Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	rows, err := h.crisisRows(r, list)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, http.StatusOK, "crises", crisesView{
		Crises: rows, Pager: kit.NewPager(r, page, total), CanDeclare: authz.Can(kit.Role(r), authz.DeclareCrisis),
	})
}

// crisisRows names each crisis's type and most urgent clock.
func (h *Handler) crisisRows(r *http.Request, list []crisis.Crisis) ([]crisisRow, error) {
	tr := h.kit.T(r)
	names, _, err := crisisview.TypeNames(r.Context(), h.plans, tr.Lang())
	if err != nil {
		return nil, err
	}
	namer := h.clockNamer(r.Context(), tr)
	now := h.kit.Now()
	out := make([]crisisRow, 0, len(list))
	for _, c := range list {
		out = append(out, crisisRow{Crisis: c, TypeName: names[c.TypeID], Urgent: namer.urgent(c, now)})
	}
	return out, nil
}
