package admin

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

func (h *Room) newDepartmentPage(w http.ResponseWriter, r *http.Request) {
	h.renderDepartment(w, r, http.StatusOK, "department_new", departmentForm{})
}

func (h *Room) createDepartment(w http.ResponseWriter, r *http.Request) {
	f := departmentFormFrom(r)
	var d account.Department
	fe, status, err := saveDepartment(h.Kit.T(r), f, func(in account.DepartmentInput) (err error) {
		d, err = h.Accounts.CreateDepartment(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderDepartment(w, r, status, "department_new", f)
	default:
		kit.Redirect(w, r, DepartmentsPath+"/"+strconv.FormatInt(d.ID, 10)+"?done=created")
	}
}

func (h *Room) departmentPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	d, err := h.Accounts.Department(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderDepartment(w, r, http.StatusOK, "department_edit", departmentFormOf(d))
}

// updateDepartment saves an edit made from the version in the form.
func (h *Room) updateDepartment(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := departmentFormFrom(r)
	f.ID = id
	fe, status, err := saveDepartment(h.Kit.T(r), f, func(in account.DepartmentInput) error {
		_, err := h.Accounts.UpdateDepartment(r.Context(), kit.Actor(r), id, in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderDepartment(w, r, status, "department_edit", f)
	default:
		kit.Redirect(w, r, DepartmentsPath+"/"+strconv.FormatInt(id, 10)+"?done=saved")
	}
}

// deleteDepartment removes a department no one belongs to; otherwise the
// edit page says why not.
func (h *Room) deleteDepartment(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := h.Accounts.DeleteDepartment(r.Context(), kit.Actor(r), id)
	if err == nil {
		kit.Redirect(w, r, DepartmentsPath+"?done=deleted")
		return
	}
	if !fault.Is(err, fault.Conflict) {
		h.Kit.Fail(w, r, err)
		return
	}
	d, derr := h.Accounts.Department(r.Context(), id)
	if derr != nil {
		h.Kit.Fail(w, r, derr)
		return
	}
	f := departmentFormOf(d)
	f.Errors = kit.FieldErrors{"": h.Kit.T(r).T("err.department_in_use")}
	h.renderDepartment(w, r, http.StatusConflict, "department_edit", f)
}
