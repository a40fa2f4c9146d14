package web

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
)

func (h *Handler) newDepartmentPage(w http.ResponseWriter, r *http.Request) {
	h.renderDepartment(w, r, http.StatusOK, "department_new", departmentForm{})
}

func (h *Handler) createDepartment(w http.ResponseWriter, r *http.Request) {
	f := departmentFormFrom(r)
	var d account.Department
	fe, status, err := saveDepartment(h.translator(r), f, func(in account.DepartmentInput) (err error) {
		d, err = h.accounts.CreateDepartment(r.Context(), actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderDepartment(w, r, status, "department_new", f)
	default:
		redirect(w, r, "/admin/departments/"+strconv.FormatInt(d.ID, 10)+"?done=created")
	}
}

func (h *Handler) departmentPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	d, err := h.accounts.Department(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderDepartment(w, r, http.StatusOK, "department_edit", departmentFormOf(d))
}

// updateDepartment saves an edit made from the version in the form.
func (h *Handler) updateDepartment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	f := departmentFormFrom(r)
	f.ID = id
	fe, status, err := saveDepartment(h.translator(r), f, func(in account.DepartmentInput) error {
		_, err := h.accounts.UpdateDepartment(r.Context(), actor(r), id, in)
		return err
	})
	switch {
	case err != nil:
		h.fail(w, r, err)
	case fe != nil:
		f.Errors = fe
		h.renderDepartment(w, r, status, "department_edit", f)
	default:
		redirect(w, r, "/admin/departments/"+strconv.FormatInt(id, 10)+"?done=saved")
	}
}

// deleteDepartment removes a department no one belongs to; otherwise the
// edit page says why not.
func (h *Handler) deleteDepartment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := h.accounts.DeleteDepartment(r.Context(), actor(r), id)
	if err == nil {
		redirect(w, r, "/admin/departments?done=deleted")
		return
	}
	if !fault.Is(err, fault.Conflict) {
		h.fail(w, r, err)
		return
	}
	d, derr := h.accounts.Department(r.Context(), id)
	if derr != nil {
		h.fail(w, r, derr)
		return
	}
	f := departmentFormOf(d)
	f.Errors = fieldErrors{"": h.translator(r).T("err.department_in_use")}
	h.renderDepartment(w, r, http.StatusConflict, "department_edit", f)
}
