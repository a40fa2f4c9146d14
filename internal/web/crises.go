package web

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
)

// crisesView lists crises, open ones first.
type crisesView struct {
	Crises     []crisisRow
	Pager      pager
	CanDeclare bool
}

// crisisRow is a crisis in a list, with its most urgent clock.
type crisisRow struct {
	Crisis   crisis.Crisis
	TypeName string
	Urgent   *clockView
}

func (h *Handler) crisesPage(w http.ResponseWriter, r *http.Request) {
	page := pageParam(r)
	list, total, err := h.crises.List(r.Context(), crisis.Filter{Offset: offset(page), Limit: perPage})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.crisisRows(r, list)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "crises", crisesView{
		Crises: rows, Pager: newPager(r, page, total), CanDeclare: authz.Can(role(r), authz.DeclareCrisis),
	})
}

// crisisRows names each crisis's type and most urgent clock.
func (h *Handler) crisisRows(r *http.Request, list []crisis.Crisis) ([]crisisRow, error) {
	tr := h.translator(r)
	names, _, err := h.typeNames(r.Context(), tr.Lang())
	if err != nil {
		return nil, err
	}
	namer := h.clockNamer(r.Context(), tr)
	now := h.clock.Now()
	out := make([]crisisRow, 0, len(list))
	for _, c := range list {
		out = append(out, crisisRow{Crisis: c, TypeName: names[c.TypeID], Urgent: namer.urgent(c, now)})
	}
	return out, nil
}
