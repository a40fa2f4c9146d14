package plans

import (
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/web/kit"
)

// planEditView is the plan editor page: the form and the choices of its
// selects.
type planEditView struct {
	Form          planForm
	Plan          plan.Plan // the stored version; zero when new
	IsNew         bool
	Editable      bool
	Notice        string // why the form cannot be saved, or what saving does
	DraftID       int64  // the version in preparation, when editing another is refused
	Types         []option
	Owners        ownerOptions
	Phases        []plan.Phase
	Levels        []catalog.Level
	Audiences     []plan.Audience
	CommAudiences []string
	Languages     []string
	Placeholders  string          // "{{title}} {{type}} …", for the templates' hint
	Items         []resource.Item // the inventory a resource may refer to
}

// option is a choice of a select.
type option struct {
	Value string
	Label string
}

// ownerOptions are who may own a step: roles, or departments by code.
type ownerOptions struct {
	Roles       []option
	Departments []option
}

// renderPlanEdit shows the editor with its choices filled in.
func (h *Room) renderPlanEdit(w http.ResponseWriter, r *http.Request, status int, v planEditView) {
	tr := h.Kit.T(r)
	types, err := h.Plans.Types(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	deps, _, err := h.Accounts.ListDepartments(r.Context(), 0, maxDepartments)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, t := range types {
		v.Types = append(v.Types, option{Value: kit.Itoa(t.ID), Label: t.Name.For(tr.Lang())})
	}
	v.Owners = ownersFor(tr, deps, v.Form.Steps)
	v.Phases, v.Levels = plan.Phases, catalog.Levels
	v.Audiences = []plan.Audience{plan.Public, plan.Internal, plan.Media}
	v.CommAudiences, v.Languages = plan.CommAudiences, i18n.Languages
	for _, p := range plan.Placeholders {
		v.Placeholders += "{{" + p + "}} "
	}
	if v.Items, err = h.Items.Items(r.Context()); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "plan_edit", v)
}

// ownersFor lists the roles and departments; a department code a step
// names but no department has any more stays in the list, so that saving
// does not silently drop it.
func ownersFor(tr i18n.Translator, deps []account.Department, steps []stepRow) ownerOptions {
	var o ownerOptions
	for _, role := range authz.Roles {
		o.Roles = append(o.Roles, option{Value: "role:" + string(role), Label: tr.T("role." + string(role))})
	}
	known := map[string]bool{}
	for _, d := range deps {
		o.Departments = append(o.Departments, option{Value: "dept:" + d.Code, Label: d.Name + " (" + d.Code + ")"})
		known["dept:"+d.Code] = true
	}
	for _, s := range steps {
		if len(s.Owner) > 5 && s.Owner[:5] == "dept:" && !known[s.Owner] {
			o.Departments = append(o.Departments, option{Value: s.Owner, Label: s.Owner[5:]})
			known[s.Owner] = true
		}
	}
	return o
}
