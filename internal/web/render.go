package web

import (
	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/crises"
	"crisisdesk/internal/web/desk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/notices"
	"crisisdesk/internal/web/plans"
	"net/http"
)

// nav is the main menu, in order; inbox counts the unread notices for its
// badge.
func nav(inbox func(*http.Request, int64) int) []kit.NavItem {
	return []kit.NavItem{
		{Key: "nav.dashboard", Href: kit.DeskPath, ID: "nav-dashboard", Action: authz.ViewDashboard},
		{Key: "nav.crises", Href: crises.Path, ID: "nav-crises", Action: authz.ViewCrises},
		{Key: "nav.notices", Href: notices.Path, ID: "nav-notices", Action: authz.ViewNotices},
		{Key: "nav.inbox", Href: desk.InboxPath, ID: "nav-inbox", Action: authz.ReadInternalNotice, Badge: inbox},
		{Key: "nav.plans", Href: plans.Path, ID: "nav-plans", Action: authz.ViewPlans},
		{Key: "nav.catalog", Href: plans.CatalogPath, ID: "nav-catalog", Action: authz.ViewPlans},
		{Key: "nav.users", Href: "/admin/users", ID: "nav-users", Action: authz.ViewUsers},
		{Key: "nav.departments", Href: "/admin/departments", ID: "nav-departments", Action: authz.ViewDepartments},
		{Key: "nav.audit", Href: "/admin/audit", ID: "nav-audit", Action: authz.ViewAudit},
		{Key: "nav.subscribers", Href: subscribersPath, ID: "nav-subscribers", Action: authz.ViewSubscribers},
		{Key: "nav.webhooks", Href: webhooksPath, ID: "nav-webhooks", Action: authz.ManageWebhooks},
		{Key: "nav.channels", Href: channelsPath, ID: "nav-channels", Action: authz.TestChannels},
	}
}

// flashes are the confirmations a redirect may ask for with ?done=.
var flashes = map[string]string{
	"saved":              "flash.saved",
	"created":            "flash.created",
	"deleted":            "flash.deleted",
	"disabled":           "flash.disabled",
	"enabled":            "flash.enabled",
	"password_changed":   "flash.password_changed",
	"declared":           "flash.declared",
	"activated":          "flash.activated",
	"level":              "flash.level",
	"recovering":         "flash.recovering",
	"closed":             "flash.closed",
	"noted":              "flash.noted",
	"submitted":          "flash.submitted",
	"reviewed":           "flash.reviewed",
	"approved":           "flash.approved",
	"returned":           "flash.returned",
	"new_version":        "flash.new_version",
	"alerts_read":        "flash.alerts_read",
	"notice_created":     "flash.notice_created",
	"notice_submitted":   "flash.notice_submitted",
	"notice_approved":    "flash.notice_approved",
	"notice_returned":    "flash.notice_returned",
	"notice_published":   "flash.notice_published",
	"notice_reviewed":    "flash.notice_reviewed",
	"subscriber_deleted": "flash.subscriber_deleted",
	"webhook_paused":     "flash.webhook_paused",
	"webhook_resumed":    "flash.webhook_resumed",
	"webhook_deleted":    "flash.webhook_deleted",
	"mfa_disabled":       "flash.mfa_disabled",
	"mfa_reset":          "flash.mfa_reset",
	"recovery_used":      "flash.recovery_used",
}
