// Package drills is the staff UI's room for exercises (演練): the list of
// drills, the drill form, and the drill page with its safety gate, start,
// safety stop and end, and the office's default safety checklist.
package drills

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path          = "/desk/drills"           // the drills; Path/{id} is one
	ChecklistPath = "/desk/drills/checklist" // the office's default safety checklist
	// CalendarFeedPath + a secret is a person's drill calendar for calendar
	// apps that cannot sign in (a calendar link).
	CalendarFeedPath = "/desk/feeds/drills/"
)

// Room serves the drills; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Drills   drill.Service
	Plans    plan.Service    // the plans under test and their steps
	Accounts account.Service // the people on a drill
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewDrills, http.MethodGet, Path, h.drillsPage),
		kit.Need(authz.PlanDrill, http.MethodGet, Path+"/new", h.newPage),
		kit.Need(authz.PlanDrill, http.MethodPost, Path+"/new", h.create),
		kit.Need(authz.ViewDrills, http.MethodGet, ChecklistPath, h.checklistPage),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/calendar.ics", h.officeCalendar),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/my-calendar.ics", h.myCalendar),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/calendar-link", h.calendarLinkPage),
		kit.Need(authz.ViewDrills, http.MethodPost, Path+"/calendar-link", h.makeCalendarLink),
		kit.Public(http.MethodGet, CalendarFeedPath+"{secret}", h.linkedCalendar), // the secret is the key
		kit.Need(authz.SignDrill, http.MethodPost, ChecklistPath, h.saveChecklist),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}", h.drillPage),
		kit.Need(authz.PlanDrill, http.MethodGet, Path+"/{id}/edit", h.editPage),
		kit.Need(authz.PlanDrill, http.MethodPost, Path+"/{id}/edit", h.save),
		kit.Need(authz.PlanDrill, http.MethodPost, Path+"/{id}/safety", h.saveSafety),
		kit.Need(authz.SignDrill, http.MethodPost, Path+"/{id}/sign", h.sign),
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/start", h.start),
		kit.Need(authz.ObserveDrill, http.MethodPost, Path+"/{id}/stop", h.stop), // a controller or the safety officer
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/end", h.end),
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/pause", h.pause),
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/resume", h.resume),
		kit.Need(authz.PlanDrill, http.MethodPost, Path+"/{id}/injects", h.addInject), // live: a controller
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/inject-fire", h.fireInject),
		kit.Need(authz.ControlDrill, http.MethodPost, Path+"/{id}/inject-skip", h.skipInject),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/injects.csv", h.exportInjects),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/injects.xlsx", h.exportInjects),
		kit.WithBody(maxImport, kit.Need(authz.PlanDrill, http.MethodPost, Path+"/{id}/injects/import", h.importInjects)),
		kit.Need(authz.ObserveDrill, http.MethodGet, Path+"/{id}/observe", h.consolePage),
		kit.WithBody(maxObserveBody, kit.Need(authz.ObserveDrill, http.MethodPost, Path+"/{id}/observe", h.observe)),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/observations/{obs}/photo", h.observationPhoto),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/report", h.reportPage),
		kit.Need(authz.EvaluateDrill, http.MethodPost, Path+"/{id}/report", h.saveReport),
		kit.Need(authz.EvaluateDrill, http.MethodPost, Path+"/{id}/report/redraft", h.redraft),
		kit.Need(authz.ApproveDrill, http.MethodPost, Path+"/{id}/report/approve", h.approveReport),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/report/print", h.reportPrint),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/report.xlsx", h.reportXLSX),
		kit.Need(authz.ViewDrills, http.MethodGet, Path+"/{id}/report.pdf", h.reportPDF),
		kit.Need(authz.EvaluateDrill, http.MethodPost, Path+"/{id}/actions", h.addAction),
		kit.Need(authz.ViewDrills, http.MethodPost, Path+"/{id}/action-done", h.completeAction), // its owner, or an evaluator
		kit.Need(authz.ApproveDrill, http.MethodPost, Path+"/{id}/action-verify", h.verifyAction),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "drills", Templates: t, Flashes: map[string]string{
		"drill_created":         "drill.flash.created",
		"drill_saved":           "drill.flash.saved",
		"drill_safety":          "drill.flash.safety",
		"drill_signed":          "drill.flash.signed",
		"drill_started":         "drill.flash.started",
		"drill_stopped":         "drill.flash.stopped",
		"drill_ended":           "drill.flash.ended",
		"drill_checklist":       "drill.flash.checklist",
		"drill_paused":          "drill.flash.paused",
		"drill_resumed":         "drill.flash.resumed",
		"drill_inject_added":    "drill.flash.inject_added",
		"drill_inject_fired":    "drill.flash.inject_fired",
		"drill_inject_skipped":  "drill.flash.inject_skipped",
		"drill_imported":        "drill.flash.imported",
		"drill_observed":        "drill.flash.observed",
		"drill_report_saved":    "drill.flash.report_saved",
		"drill_redrafted":       "drill.flash.redrafted",
		"drill_action_added":    "drill.flash.action_added",
		"drill_action_done":     "drill.flash.action_done",
		"drill_action_verified": "drill.flash.action_verified",
		"drill_approved":        "drill.flash.approved",
	}}
}
