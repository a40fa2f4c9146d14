package web

import (
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

// usersView is the user list.
type usersView struct {
	Query       string
	Users       []account.User
	Departments map[int64]string
	Pager       pager
	CanManage   bool
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := pageParam(r)
	users, total, err := h.accounts.ListUsers(r.Context(), account.UserFilter{Query: q, Offset: offset(page), Limit: perPage})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	deps, _, err := h.accounts.ListDepartments(r.Context(), 0, maxDepartments)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := make(map[int64]string, len(deps))
	for _, d := range deps {
		names[d.ID] = d.Name
	}
	h.render(w, r, http.StatusOK, "users", usersView{
		Query: q, Users: users, Departments: names, Pager: newPager(r, page, total),
		CanManage: authz.Can(role(r), authz.ManageUsers),
	})
}
