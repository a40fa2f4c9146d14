// Package work is the staff UI's room for the work plan: the programmes,
// a programme's timeline (a Gantt chart drawn on the server as SVG, with
// today's line and overdue work marked, and its text alternative), its
// tasks and sub-tasks with their dependencies, and its XLSX export.
package work

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/workplan"
)

// Path lists the programmes; Path/{id} is one, Path/{id}/tasks/{task} one
// of its tasks.
const Path = "/desk/work"

// Room serves the work plan; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Work     workplan.Service
	Accounts account.Service // owners
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewWork, http.MethodGet, Path, h.programmesPage),
		kit.Need(authz.EditWork, http.MethodPost, Path, h.createProgramme),
		kit.Need(authz.ViewWork, http.MethodGet, Path+"/{id}", h.programmePage),
		kit.Need(authz.ViewWork, http.MethodGet, Path+"/{id}/work-plan.xlsx", h.export),
		kit.Need(authz.EditWork, http.MethodPost, Path+"/{id}/tasks", h.addTask),
		kit.Need(authz.EditWork, http.MethodGet, Path+"/{id}/tasks/{task}", h.taskPage),
		kit.Need(authz.EditWork, http.MethodPost, Path+"/{id}/tasks/{task}", h.saveTask),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "work", Templates: t, Flashes: map[string]string{
		"programme_created": "work.flash.programme_created",
		"task_added":        "work.flash.task_added",
		"task_saved":        "work.flash.task_saved",
	}}
}
