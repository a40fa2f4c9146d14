package team

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/teamview"
)

// roleRules explain the domain's validation of a role.
var roleRules = kit.FieldKeys{
	"key":      "team.err.role_key",
	"name":     "team.err.name",
	"deputies": "team.err.deputies",
	"requires": "team.err.requires",
}

// roleRow is a role with its deputies' and courses' names.
type roleRow struct {
	team.Role
	Title    string
	Deputies []string
	Requires []string
}

// Requires reports whether the role requires course id.
func (r roleRow) RequiresCourse(id int64) bool { return slices.Contains(r.Role.Requires, id) }

// DeputyList is the deputies' ids as the form holds them.
func (r roleRow) DeputyList() string {
	var s []string
	for _, id := range r.Role.Deputies {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ", ")
}

// rolesView lists the roles with a form for each and one to add a role.
type rolesView struct {
	Roles     []roleRow
	Members   []team.Member
	Courses   []team.Course
	CanManage bool
	Key, Name string
	Errors    kit.FieldErrors
}

// FormErrors opens the page with the form's errors.
func (v rolesView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) rolesView(r *http.Request) (rolesView, error) {
	ctx := r.Context()
	v := rolesView{CanManage: authz.Can(kit.Role(r), authz.ManageTeam)}
	roles, err := h.Team.Roles(ctx)
	if err != nil {
		return v, err
	}
	if v.Members, err = h.Team.Members(ctx, false); err != nil {
		return v, err
	}
	if v.Courses, err = h.Team.Courses(ctx); err != nil {
		return v, err
	}
	who := map[int64]string{}
	for _, m := range v.Members {
		who[m.ID] = m.Name
	}
	course := map[int64]string{}
	for _, c := range v.Courses {
		course[c.ID] = c.Title
	}
	tr := h.Kit.T(r)
	for _, x := range roles {
		row := roleRow{Role: x, Title: teamview.RoleName(tr, x)}
		for _, id := range x.Deputies {
			row.Deputies = append(row.Deputies, who[id])
		}
		for _, id := range x.Requires {
			row.Requires = append(row.Requires, course[id])
		}
		v.Roles = append(v.Roles, row)
	}
	return v, nil
}

func (h *Room) rolesPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.rolesView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "team_roles", v)
}

func (h *Room) renderRolesError(w http.ResponseWriter, r *http.Request, status int, fe kit.FieldErrors, key, name string) {
	v, err := h.rolesView(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors, v.Key, v.Name = fe, key, name
	h.Kit.Render(w, r, status, "team_roles", v)
}

func ids(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		for _, p := range splitList(v) {
			if n, err := strconv.ParseInt(p, 10, 64); err == nil && n > 0 && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

func (h *Room) addRole(w http.ResponseWriter, r *http.Request) {
	in := team.RoleInput{Key: strings.TrimSpace(r.PostFormValue("key")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), in.Validate(false), roleRules, roleRules, func() error {
		_, err := h.Team.AddRole(r.Context(), kit.Actor(r), in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		h.renderRolesError(w, r, status, fe, in.Key, in.Name)
	default:
		kit.Redirect(w, r, RolesPath+"?done=team_role_added")
	}
}

func (h *Room) saveRole(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	role, err := h.Team.RoleByID(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	in := team.RoleInput{Key: role.Key, Name: strings.TrimSpace(r.PostFormValue("name")), Deputies: ids(r, "deputies"),
		Requires: ids(r, "requires"), Version: kit.FormInt(r, "version")}
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), in.Validate(role.BuiltIn), roleRules, roleRules, func() error {
		_, err := h.Team.SaveRole(r.Context(), kit.Actor(r), role.Key, in)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		h.renderRolesError(w, r, status, fe, "", "")
	default:
		kit.Redirect(w, r, RolesPath+"?done=team_role_saved")
	}
}
