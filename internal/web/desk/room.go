// Package desk is the staff UI's home room: the dashboard with its live
// part and stream, the reader's clock alerts, and the inbox of internal
// notices whose unread count the menu shows.
package desk

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are, besides the dashboard at kit.DeskPath.
const (
	InboxPath      = "/desk/inbox"       // the in-app inbox of internal notices
	AlertsReadPath = "/desk/alerts/read" // marks the reader's clock alerts read
	WaitingPath    = "/desk/waiting"     // the menu's count of what waits, for the live pages
)

// Room serves the dashboard and the inbox; its fields are what it needs.
type Room struct {
	Kit        *kit.Kit
	Crises     crisis.Service  // the crises under way and the reader's alerts
	Plans      plan.Service    // the plans whose review is near
	Notices    notice.Service  // the inbox's notices
	Deliveries delivery.Log    // the inbox and its unread count
	Accounts   account.Service // failed sign-ins since the reader's last
	// NoticeAlerts are the alerts of notices submitted to the reader or
	// returned to them.
	NoticeAlerts notice.StaffAlerts
	// Team answers who is on duty in each team role.
	Team team.Service
	// Deadlines are the reader's alerts of deadlines outside crises.
	Deadlines deadline.Alerts
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewDashboard, http.MethodGet, kit.DeskPath, h.dashboard),
		kit.Need(authz.ViewDashboard, http.MethodGet, kit.DeskPath+"/fragment", h.dashboardPart),
		kit.Need(authz.ViewDashboard, http.MethodGet, kit.DeskPath+"/events", h.dashboardEvents),
		kit.Need(authz.ViewDashboard, http.MethodPost, AlertsReadPath, h.markAlertsRead),
		kit.Need(authz.ViewDashboard, http.MethodGet, WaitingPath, h.waitingCount),
		kit.Need(authz.ReadInternalNotice, http.MethodGet, InboxPath, h.inbox),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "desk", Templates: t, Flashes: map[string]string{
		"alerts_read": "flash.alerts_read",
	}}
}
