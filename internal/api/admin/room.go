// Package admin is the API's room for running the office: users,
// departments, the signed-in user and the audit trail.
package admin

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/account"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/office"
)

// Room holds what the admin operations need; every field is required.
type Room struct {
	Accounts account.Service
	Audit    audit.Service
	Office   office.Service
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created, none := http.StatusCreated, http.StatusNoContent
	users, deps := []string{"users"}, []string{"departments"}

	kit.Register(k, kit.SignedIn, op{OperationID: "get-me", Method: get, Path: "/me", Tags: []string{"me"},
		Summary: "The signed-in user"}, r.getMe)

	kit.Register(k, kit.Can(authz.ViewUsers), op{OperationID: "list-users", Method: get, Path: "/users", Tags: users,
		Summary: "List users"}, r.listUsers)
	kit.Register(k, kit.Can(authz.ManageUsers), op{OperationID: "create-user", Method: post, Path: "/users", Tags: users,
		Summary: "Create a user", DefaultStatus: created, Errors: []int{cf}}, r.createUser)
	kit.Register(k, kit.Can(authz.ViewUsers), op{OperationID: "get-user", Method: get, Path: "/users/{id}", Tags: users,
		Summary: "Get a user", Errors: []int{nf}}, r.getUser)
	kit.Register(k, kit.Can(authz.ManageUsers), op{OperationID: "update-user", Method: patch, Path: "/users/{id}", Tags: users,
		Summary: "Change a user", Errors: []int{nf, cf}}, r.updateUser)
	kit.Register(k, kit.Can(authz.ManageUsers), op{OperationID: "disable-user", Method: post, Path: "/users/{id}/disable", Tags: users,
		Summary: "Disable a user: their sessions and tokens stop working", Errors: []int{nf}}, r.disableUser)
	kit.Register(k, kit.Can(authz.ManageUsers), op{OperationID: "enable-user", Method: post, Path: "/users/{id}/enable", Tags: users,
		Summary: "Enable a disabled user", Errors: []int{nf}}, r.enableUser)

	kit.Register(k, kit.Can(authz.ViewDepartments), op{OperationID: "list-departments", Method: get, Path: "/departments", Tags: deps,
		Summary: "List departments"}, r.listDepartments)
	kit.Register(k, kit.Can(authz.ManageDepartment), op{OperationID: "create-department", Method: post, Path: "/departments", Tags: deps,
		Summary: "Create a department", DefaultStatus: created, Errors: []int{cf}}, r.createDepartment)
	kit.Register(k, kit.Can(authz.ViewDepartments), op{OperationID: "get-department", Method: get, Path: "/departments/{id}", Tags: deps,
		Summary: "Get a department", Errors: []int{nf}}, r.getDepartment)
	kit.Register(k, kit.Can(authz.ManageDepartment), op{OperationID: "update-department", Method: patch, Path: "/departments/{id}", Tags: deps,
		Summary: "Change a department", Errors: []int{nf, cf}}, r.updateDepartment)
	kit.Register(k, kit.Can(authz.ManageDepartment), op{OperationID: "delete-department", Method: del, Path: "/departments/{id}", Tags: deps,
		Summary: "Delete a department that nobody belongs to", DefaultStatus: none, Errors: []int{nf, cf}}, r.deleteDepartment)

	kit.Register(k, kit.SignedIn, op{OperationID: "get-office", Method: get, Path: "/office", Tags: []string{"office"},
		Summary: "Who speaks on the public site: names, contact, legend of the levels, districts"}, r.getOffice)
	kit.Register(k, kit.Can(authz.ManageOffice), op{OperationID: "update-office", Method: http.MethodPut, Path: "/office", Tags: []string{"office"},
		Summary: "Change the office settings", Errors: []int{cf}}, r.updateOffice)

	kit.Register(k, kit.Can(authz.ViewAudit), op{OperationID: "list-audit", Method: get, Path: "/audit", Tags: []string{"audit"},
		Summary: "List the audit trail, newest first"}, r.listAudit)
}
