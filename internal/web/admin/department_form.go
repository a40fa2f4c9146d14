package admin

import (
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// departmentRules explain the domain's validation of a department;
// departmentRefusals what the service refuses once it passes.
var (
	departmentRules = kit.FieldKeys{
		"code":  "err.department_code",
		"name":  "err.department_name",
		"email": "err.email",
	}
	departmentRefusals = kit.FieldKeys{
		"code": "err.department_code_taken",
	}
)

// departmentForm is the new-department and edit-department form.
type departmentForm struct {
	ID      int64
	Code    string
	Name    string
	Email   string
	Version int64
	Errors  kit.FieldErrors
}

// departmentView is the page around the form.
type departmentView struct {
	Form      departmentForm
	CanManage bool
	CanAudit  bool
}

func departmentFormOf(d account.Department) departmentForm {
	return departmentForm{ID: d.ID, Code: d.Code, Name: d.Name, Email: d.Email, Version: d.Version}
}

func departmentFormFrom(r *http.Request) departmentForm {
	return departmentForm{
		Code:    strings.TrimSpace(r.PostFormValue("code")),
		Name:    strings.TrimSpace(r.PostFormValue("name")),
		Email:   strings.TrimSpace(r.PostFormValue("email")),
		Version: kit.FormInt(r, "version"),
	}
}

func (f departmentForm) input() account.DepartmentInput {
	return account.DepartmentInput{Code: f.Code, Name: f.Name, Email: f.Email, Version: f.Version}
}

func (h *Room) renderDepartment(w http.ResponseWriter, r *http.Request, status int, name string, f departmentForm) {
	h.Kit.Render(w, r, status, name, departmentView{
		Form: f, CanManage: authz.Can(kit.Role(r), authz.ManageDepartment), CanAudit: authz.Can(kit.Role(r), authz.ViewAudit),
	})
}

// saveDepartment checks the form by the domain's rules, then lets save
// store it. It returns the field errors and status when the form must be
// shown again, or an error the form cannot show, for fail. A conflict is a
// stale version (a taken code is an invalid field).
func saveDepartment(tr i18n.Translator, f departmentForm, save func(account.DepartmentInput) error) (fe kit.FieldErrors, status int, err error) {
	in := f.input()
	in.Normalize()
	return kit.CheckAndSave(tr, in.Validate(), departmentRules, departmentRefusals, func() error { return save(in) })
}
