// Package crises is the staff UI's room for running a crisis: the list,
// the declaration, the crisis room with its clocks, tasks, timeline and
// the commander's actions, the timeline's exports and the review after.
package crises

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path      = "/desk/crises" // the crises; Path/{id} is one crisis's room
	TasksPath = "/desk/tasks"  // TasksPath/{id} is one task, ticked from the room
)

// Room serves the crisis pages; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Crises   crisis.Service  // crises, tasks, timeline, clocks
	Plans    plan.Service    // the types and the plans to activate
	Notices  notice.Service  // the room's notices card
	Accounts account.Service // the departments that own tasks
	// Chinese writes a crisis's wording in the other Chinese script, to
	// prefill the declare form's versions per language.
	Chinese *hanzi.Converter
	// Team answers who is on duty in each team role, for the room.
	Team team.Service
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewCrises, http.MethodGet, Path, h.crisesPage),
		kit.Need(authz.DeclareCrisis, http.MethodGet, Path+"/new", h.declarePage),
		kit.Need(authz.DeclareCrisis, http.MethodPost, Path+"/new", h.declare),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}", h.crisisRoom),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/events", h.crisisEvents),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/header", h.crisisPart("header")),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/actions", h.crisisPart("actions")),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/clocks", h.crisisPart("clocks")),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/tasks", h.crisisPart("tasks")),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/timeline", h.crisisPart("timeline")),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/fragment/people", h.crisisPart("people")),
		kit.Need(authz.CommandCrisis, http.MethodPost, Path+"/{id}/activate", h.activatePlan),
		kit.Need(authz.CommandCrisis, http.MethodPost, Path+"/{id}/level", h.changeLevel),
		kit.Need(authz.CommandCrisis, http.MethodPost, Path+"/{id}/recover", h.recoverCrisis),
		kit.Need(authz.CommandCrisis, http.MethodPost, Path+"/{id}/close", h.closeCrisis),
		kit.Need(authz.CommandCrisis, http.MethodPost, Path+"/{id}/public", h.showPublic),
		kit.WithBody(maxNoteBody, kit.Need(authz.WriteTimeline, http.MethodPost, Path+"/{id}/timeline", h.addNote)),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/attachments/{entry}", h.attachment),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/timeline.csv", h.timelineExport),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/timeline.xlsx", h.timelineExport),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/timeline/print", h.timelinePrint),
		kit.Need(authz.ViewCrises, http.MethodGet, Path+"/{id}/review", h.reviewPage),
		kit.Need(authz.EditReview, http.MethodPost, Path+"/{id}/review", h.saveReview),
		kit.Need(authz.WorkTasks, http.MethodPost, TasksPath+"/{id}/done", h.taskDone),
		kit.Need(authz.WorkTasks, http.MethodPost, TasksPath+"/{id}/check/{n}", h.taskCheck),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "crises", Templates: t, Flashes: map[string]string{
		"saved":        "flash.saved",
		"declared":     "flash.declared",
		"activated":    "flash.activated",
		"level":        "flash.level",
		"recovering":   "flash.recovering",
		"closed":       "flash.closed",
		"noted":        "flash.noted",
		"shown_public": "flash.shown_public",
	}}
}
