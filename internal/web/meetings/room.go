// Package meetings is the staff UI's room for the programme's weekly
// meeting: the series and their invitations, and each meeting's page with
// its generated agenda, the minutes, the actions decided and the approval
// that sends the minutes to the attendees.
package meetings

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/web/kit"
)

// Path lists the meetings; Path/{id} is one meeting.
const Path = "/desk/meetings"

// Room serves the meetings; its fields are what it needs.
type Room struct {
	Kit      *kit.Kit
	Meetings meeting.Service
	Actions  action.Service
	Accounts account.Service
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewMeetings, http.MethodGet, Path, h.listPage),
		kit.Need(authz.RunMeetings, http.MethodPost, Path, h.createSeries),
		kit.Need(authz.ViewMeetings, http.MethodGet, Path+"/{id}", h.meetingPage),
		kit.Need(authz.ViewMeetings, http.MethodGet, Path+"/{id}/invite.ics", h.invitation),
		kit.Need(authz.RunMeetings, http.MethodPost, Path+"/{id}/agenda", h.generate),
		kit.Need(authz.RunMeetings, http.MethodPost, Path+"/{id}/minutes", h.saveMinutes),
		kit.Need(authz.RunMeetings, http.MethodPost, Path+"/{id}/actions", h.addAction),
		kit.Need(authz.ApproveMinutes, http.MethodPost, Path+"/{id}/approve", h.approve),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and confirmations, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "meetings", Templates: t, Flashes: map[string]string{
		"meeting_created":  "meeting.flash.created",
		"meeting_agenda":   "meeting.flash.agenda",
		"meeting_minutes":  "meeting.flash.minutes",
		"meeting_action":   "meeting.flash.action",
		"meeting_approved": "meeting.flash.approved",
	}}
}
