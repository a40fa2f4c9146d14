package web

import (
	"net/http"

	"crisisdesk/internal/authz"
)

// route is one row of the table: what it serves, what it needs, who
// handles it.
type route struct {
	authz.Route
	handle http.HandlerFunc
	// bare routes skip the chain (no session lookup): static files.
	bare bool
}

func public(method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, Public: true}, handle: fn}
}

func signedIn(method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, SignedIn: true}, handle: fn}
}

func need(action authz.Action, method, pattern string, fn http.HandlerFunc) route {
	return route{Route: authz.Route{Method: method, Pattern: pattern, Action: action}, handle: fn}
}

// table is THE route table of the staff UI.
func (h *Handler) table() []route {
	return []route{
		{Route: authz.Route{Method: http.MethodGet, Pattern: "/static/{file...}", Public: true}, handle: h.assets.serve, bare: true},

		public(http.MethodGet, "/signin", h.signinPage),
		public(http.MethodPost, "/signin", h.signin),
		signedIn(http.MethodPost, "/signout", h.signout),
		public(http.MethodPost, "/account/language", h.setLanguage), // anonymous: cookie; signed in: stored
		need(authz.EditOwnProfile, http.MethodGet, "/account/password", h.passwordPage),
		need(authz.EditOwnProfile, http.MethodPost, "/account/password", h.changePassword),

		need(authz.ViewDashboard, http.MethodGet, "/{$}", h.dashboard),

		need(authz.ViewUsers, http.MethodGet, "/admin/users", h.users),
		need(authz.ManageUsers, http.MethodGet, "/admin/users/new", h.newUserPage),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/new", h.createUser),
		need(authz.ViewUsers, http.MethodGet, "/admin/users/{id}", h.userPage),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}", h.updateUser),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/password", h.resetPassword),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/disable", h.disableUser),
		need(authz.ManageUsers, http.MethodPost, "/admin/users/{id}/enable", h.enableUser),

		need(authz.ViewDepartments, http.MethodGet, "/admin/departments", h.departments),
		need(authz.ManageDepartment, http.MethodGet, "/admin/departments/new", h.newDepartmentPage),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/new", h.createDepartment),
		need(authz.ViewDepartments, http.MethodGet, "/admin/departments/{id}", h.departmentPage),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/{id}", h.updateDepartment),
		need(authz.ManageDepartment, http.MethodPost, "/admin/departments/{id}/delete", h.deleteDepartment),

		need(authz.ViewAudit, http.MethodGet, "/admin/audit", h.auditTrail),
	}
}
