package rumours

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/web/kit"
)

// listView is the register, newest first seen first.
type listView struct {
	Rumours []rumour.Rumour
	Pager   kit.Pager
	Open    bool
	CanEdit bool
}

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	open := r.URL.Query().Get("open") == "1"
	list, total, err := h.Rumours.List(r.Context(), rumour.Filter{Open: open, Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "rumours", listView{Rumours: list, Pager: kit.NewPager(r, page, total), Open: open,
		CanEdit: authz.Can(kit.Role(r), authz.EditRumour)})
}
