// Package notices is the staff UI's room for informing: the approval
// queue, the editor with its languages, conversion, preview and CAP
// fields, importing an upstream CAP message, the workflow and follow-ups
// of a notice, and its page with the deliveries and their retries.
package notices

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// Path is where the room's pages are: the queue; Path/{id} is one notice.
const Path = "/desk/notices"

// Room serves the notice pages; its fields are what it needs.
type Room struct {
	Kit        *kit.Kit
	Notices    notice.Service
	Crises     crisis.Service  // the crisis a notice belongs to, its first-notice clock
	Plans      plan.Service    // the activated plan's templates
	Accounts   account.Service // the departments an internal notice goes to
	Deliveries delivery.Log    // progress, failures, retries and read receipts
	// Chinese converts between Traditional and Simplified Chinese, as the
	// API does.
	Chinese *hanzi.Converter
	// Messages renders the SMS exactly as the sender does, for the
	// editor's counter and the publish confirmation; BaseURL is the
	// public site its links point to.
	Messages *message.Renderer
	BaseURL  string
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewNotices, http.MethodGet, Path, h.noticesPage),
		kit.Need(authz.EditNotice, http.MethodGet, Path+"/new", h.newNoticePage),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/new", h.createNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/from-templates", h.draftFromTemplates),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/template", h.applyTemplate),
		kit.Need(authz.ViewNotices, http.MethodGet, Path+"/{id}", h.noticePage),
		kit.Need(authz.EditNotice, http.MethodGet, Path+"/{id}/edit", h.editNoticePage),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/{id}/edit", h.saveNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/{id}/submit", h.submitNotice),
		kit.Need(authz.ApproveNotice, http.MethodPost, Path+"/{id}/approve", h.approveNotice),
		kit.Need(authz.ReturnNotice, http.MethodPost, Path+"/{id}/return", h.returnNotice),
		kit.Need(authz.PublishNotice, http.MethodGet, Path+"/{id}/publish", h.publishPage),
		kit.Need(authz.PublishNotice, http.MethodPost, Path+"/{id}/publish", h.publishNotice),
		kit.Need(authz.ReviewNoticeAfter, http.MethodPost, Path+"/{id}/review", h.reviewNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/{id}/correct", h.correctNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/{id}/cancel", h.cancelNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/{id}/all-clear", h.allClearNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/convert", h.convertNotice),
		kit.Need(authz.EditNotice, http.MethodPost, Path+"/preview", h.previewNotice),
		kit.Need(authz.EditNotice, http.MethodGet, Path+"/import", h.importNoticePage),
		kit.WithBody(maxImportBody, kit.Need(authz.EditNotice, http.MethodPost, Path+"/import", h.importNotice)),
		kit.Need(authz.ViewDeliveries, http.MethodGet, Path+"/{id}/deliveries", h.noticeDeliveries),
		kit.Need(authz.RetryDeliveries, http.MethodPost, Path+"/{id}/retry", h.retryDeliveries),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "notices", Templates: t, Flashes: map[string]string{
		"notice_created":   "flash.notice_created",
		"notice_saved":     "editor.saved",
		"notice_submitted": "flash.notice_submitted",
		"notice_approved":  "flash.notice_approved",
		"notice_returned":  "flash.notice_returned",
		"notice_published": "flash.notice_published",
		"notice_reviewed":  "flash.notice_reviewed",
	}}
}
