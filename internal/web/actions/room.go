// Package actions is the staff UI's room for the one action list: every
// action from meetings, drills, post-crisis reviews, risks and feedback,
// with filters and "everything I owe" per person and per department.
package actions

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/kit"
)

// Path is where the action list is; Path/{id}/done and /verify change one.
const Path = "/desk/actions"

// Room serves the action list; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Actions  action.Service
	Accounts account.Service // owners and departments, by name
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewActions, http.MethodGet, Path, h.listPage),
		kit.Need(authz.ViewActions, http.MethodGet, Path+"/export.csv", h.export),
		kit.Need(authz.ViewActions, http.MethodGet, Path+"/export.xlsx", h.export),
		kit.Need(authz.ViewActions, http.MethodPost, Path+"/{id}/done", h.complete), // its owner, or a manager
		kit.Need(authz.VerifyActions, http.MethodPost, Path+"/{id}/verify", h.verify),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and confirmations, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "actions", Templates: t, Flashes: map[string]string{
		"action_done":     "action.flash.done",
		"action_verified": "action.flash.verified",
	}}
}
