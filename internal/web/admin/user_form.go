package admin

import (
	"context"
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// userRules explain the domain's validation of a user; userRefusals what
// the account service refuses once it passes (see kit.FieldKeys).
var (
	userRules = kit.FieldKeys{
		"name":          "err.user_name",
		"display_name":  "err.display_name",
		"email":         "err.email",
		"role":          "err.role",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
	userRefusals = kit.FieldKeys{
		"name":          "err.user_name_taken",
		"role":          "err.last_admin",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
)

// userForm is the new-user and edit-user form. Name and Password are only
// used when creating.
type userForm struct {
	ID           int64
	Name         string
	DisplayName  string
	Email        string
	Role         authz.Role
	DepartmentID int64
	Language     string
	Password     string
	MustChange   bool
	Version      int64
	Errors       kit.FieldErrors
}

// userView is the page around the form, with the choices its selects
// offer.
type userView struct {
	Form        userForm
	User        account.User // the stored user, when editing
	Departments []account.Department
	Roles       []authz.Role
	Languages   []string
	CanManage   bool
	CanAudit    bool
}

func userFormOf(u account.User) userForm {
	return userForm{
		ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Email: u.Email, Role: u.Role,
		DepartmentID: u.DepartmentID, Language: u.Language, Version: u.Version,
	}
}

func userFormFrom(r *http.Request) userForm {
	return userForm{
		Name:         strings.TrimSpace(r.PostFormValue("name")),
		DisplayName:  strings.TrimSpace(r.PostFormValue("display_name")),
		Email:        strings.TrimSpace(r.PostFormValue("email")),
		Role:         authz.Role(r.PostFormValue("role")),
		DepartmentID: kit.FormInt(r, "department_id"),
		Language:     r.PostFormValue("language"),
		Password:     r.PostFormValue("password"),
		MustChange:   r.PostFormValue("must_change") != "",
		Version:      kit.FormInt(r, "version"),
	}
}

// maxDepartments is how many departments the user pages list at once: a
// city has dozens, and the store pages at most 500.
const maxDepartments = 500

// userView fills in the choices.
func (h *Room) userView(ctx context.Context, r *http.Request, f userForm) (userView, error) {
	deps, _, err := h.Accounts.ListDepartments(ctx, 0, maxDepartments)
	if err != nil {
		return userView{}, err
	}
	return userView{
		Form: f, Departments: deps, Roles: authz.Roles, Languages: i18n.Languages,
		CanManage: authz.Can(kit.Role(r), authz.ManageUsers), CanAudit: authz.Can(kit.Role(r), authz.ViewAudit),
	}, nil
}

// renderUserForm shows the form again, or fails cleanly if even the
// choices cannot be read.
func (h *Room) renderUserForm(w http.ResponseWriter, r *http.Request, status int, name string, f userForm, u account.User) {
	v, err := h.userView(r.Context(), r, f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.User = u
	h.Kit.Render(w, r, status, name, v)
}
