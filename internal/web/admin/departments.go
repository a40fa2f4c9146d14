package admin

import (
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/kit"
)

// departmentsView is the department list.
type departmentsView struct {
	Departments []account.Department
	Pager       kit.Pager
	CanManage   bool
}

func (h *Room) departments(w http.ResponseWriter, r *http.Request) {
	page := kit.PageParam(r)
	deps, total, err := h.Accounts.ListDepartments(r.Context(), kit.Offset(page), kit.PerPage)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "departments", departmentsView{
		Departments: deps, Pager: kit.NewPager(r, page, total), CanManage: authz.Can(kit.Role(r), authz.ManageDepartment),
	})
}
