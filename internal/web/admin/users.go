package admin

import (
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/kit"
)

// usersView is the user list.
type usersView struct {
	Query       string
	Users       []account.User
	Departments map[int64]string
	Pager       kit.Pager
	CanManage   bool
}

func (h *Room) users(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := kit.PageParam(r)
	users, total, err := h.Accounts.ListUsers(r.Context(), account.UserFilter{Query: q, Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	deps, _, err := h.Accounts.ListDepartments(r.Context(), 0, maxDepartments)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names := make(map[int64]string, len(deps))
	for _, d := range deps {
		names[d.ID] = d.Name
	}
	h.Kit.Render(w, r, http.StatusOK, "users", usersView{
		Query: q, Users: users, Departments: names, Pager: kit.NewPager(r, page, total),
		CanManage: authz.Can(kit.Role(r), authz.ManageUsers),
	})
}
