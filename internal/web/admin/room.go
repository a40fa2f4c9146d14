// Package admin is the staff UI's administration room: users and their
// second factors, departments, and the audit trail.
package admin

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/office"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	UsersPath       = "/desk/admin/users"       // the users; UsersPath/{id} is one
	DepartmentsPath = "/desk/admin/departments" // the departments; DepartmentsPath/{id} is one
	AuditPath       = "/desk/admin/audit"       // the audit trail
	OfficePath      = "/desk/admin/office"      // who speaks on the public site; OfficePath/logo is its logo
)

// Room serves the administration pages; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Accounts account.Service
	Audit    audit.Service
	Office   office.Service
	Experts  expert.Service
	// Channels tell whether e-mail and SMS can be sent, for the office
	// page's warning.
	Channels interface {
		Sender(ch string) (channel.Sender, bool)
	}
	// Location is the office's time zone, shown on the office page.
	Location *time.Location
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewUsers, http.MethodGet, UsersPath, h.users),
		kit.Need(authz.ManageUsers, http.MethodGet, UsersPath+"/new", h.newUserPage),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/new", h.createUser),
		kit.Need(authz.ViewUsers, http.MethodGet, UsersPath+"/{id}", h.userPage),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/{id}", h.updateUser),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/{id}/password", h.resetPassword),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/{id}/disable", h.disableUser),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/{id}/enable", h.enableUser),
		kit.Need(authz.ManageUsers, http.MethodGet, UsersPath+"/{id}/mfa/reset", h.resetMFAPage),
		kit.Need(authz.ManageUsers, http.MethodPost, UsersPath+"/{id}/mfa/reset", h.resetMFA),

		kit.Need(authz.ViewDepartments, http.MethodGet, DepartmentsPath, h.departments),
		kit.Need(authz.ManageDepartment, http.MethodGet, DepartmentsPath+"/new", h.newDepartmentPage),
		kit.Need(authz.ManageDepartment, http.MethodPost, DepartmentsPath+"/new", h.createDepartment),
		kit.Need(authz.ViewDepartments, http.MethodGet, DepartmentsPath+"/{id}", h.departmentPage),
		kit.Need(authz.ManageDepartment, http.MethodPost, DepartmentsPath+"/{id}", h.updateDepartment),
		kit.Need(authz.ManageDepartment, http.MethodPost, DepartmentsPath+"/{id}/delete", h.deleteDepartment),

		kit.Need(authz.ManageExperts, http.MethodGet, ExpertsPath, h.experts),
		kit.Need(authz.ManageExperts, http.MethodGet, ExpertsPath+"/new", h.newExpertPage),
		kit.Need(authz.ManageExperts, http.MethodPost, ExpertsPath+"/new", h.createExpert),
		kit.Need(authz.ManageExperts, http.MethodGet, ExpertsPath+"/{id}", h.expertPage),
		kit.Need(authz.ManageExperts, http.MethodPost, ExpertsPath+"/{id}", h.updateExpert),
		kit.Need(authz.ManageExperts, http.MethodPost, ExpertsPath+"/{id}/delete", h.deleteExpert),

		kit.Need(authz.ViewAudit, http.MethodGet, AuditPath, h.auditTrail),

		kit.Need(authz.ManageOffice, http.MethodGet, OfficePath, h.officePage),
		kit.WithBody(maxOfficeBody, kit.Need(authz.ManageOffice, http.MethodPost, OfficePath, h.saveOffice)),
		kit.Need(authz.ManageOffice, http.MethodGet, OfficePath+"/logo", h.officeLogo),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "admin", Templates: t, Flashes: map[string]string{
		"saved":     "flash.saved",
		"created":   "flash.created",
		"deleted":   "flash.deleted",
		"disabled":  "flash.disabled",
		"enabled":   "flash.enabled",
		"mfa_reset": "flash.mfa_reset",
	}}
}
