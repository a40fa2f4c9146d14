package web

import (
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

// departmentsView is the department list.
type departmentsView struct {
	Departments []account.Department
	Pager       pager
	CanManage   bool
}

func (h *Handler) departments(w http.ResponseWriter, r *http.Request) {
	page := pageParam(r)
	deps, total, err := h.accounts.ListDepartments(r.Context(), offset(page), perPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "departments", departmentsView{
		Departments: deps, Pager: newPager(r, page, total), CanManage: authz.Can(role(r), authz.ManageDepartment),
	})
}
