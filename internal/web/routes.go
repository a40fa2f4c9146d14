package web

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/web/kit"
)

// table is THE route table of the staff UI.
func (h *Handler) table() []kit.Route {
	return []kit.Route{
		h.kit.Static(),

		kit.Need(authz.ViewNotices, http.MethodGet, "/desk/notices", h.noticesPage),
		kit.Need(authz.EditNotice, http.MethodGet, "/desk/notices/new", h.newNoticePage),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/new", h.createNotice),
		kit.Need(authz.ViewNotices, http.MethodGet, "/desk/notices/{id}", h.noticePage),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/submit", h.submitNotice),
		kit.Need(authz.ApproveNotice, http.MethodPost, "/desk/notices/{id}/approve", h.approveNotice),
		kit.Need(authz.ReturnNotice, http.MethodPost, "/desk/notices/{id}/return", h.returnNotice),
		kit.Need(authz.PublishNotice, http.MethodPost, "/desk/notices/{id}/publish", h.publishNotice),
		kit.Need(authz.ReviewNoticeAfter, http.MethodPost, "/desk/notices/{id}/review", h.reviewNotice),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/correct", h.correctNotice),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/cancel", h.cancelNotice),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/{id}/all-clear", h.allClearNotice),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/convert", h.convertNotice),
		kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/preview", h.previewNotice),
		kit.Need(authz.EditNotice, http.MethodGet, "/desk/notices/import", h.importNoticePage),
		kit.WithBody(maxImportBody, kit.Need(authz.EditNotice, http.MethodPost, "/desk/notices/import", h.importNotice)),
		kit.Need(authz.ViewDeliveries, http.MethodGet, "/desk/notices/{id}/deliveries", h.noticeDeliveries),
		kit.Need(authz.RetryDeliveries, http.MethodPost, "/desk/notices/{id}/retry", h.retryDeliveries),

		kit.Need(authz.ViewSubscribers, http.MethodGet, subscribersPath, h.subscribersPage),
		kit.Need(authz.ViewPersonalData, http.MethodGet, subscribersExportPath, h.exportSubscribers),
		kit.Need(authz.ViewPersonalData, http.MethodGet, subscribersExportXLSXPath, h.exportSubscribers),
		kit.Need(authz.ManageSubscribers, http.MethodGet, "/desk/subscribers/import", h.importSubscribersPage),
		kit.WithBody(maxSubscriberCSV, kit.Need(authz.ManageSubscribers, http.MethodPost, "/desk/subscribers/import", h.importSubscribers)),
		kit.Need(authz.ManageSubscribers, http.MethodGet, "/desk/subscribers/{id}/delete", h.deleteSubscriberPage),
		kit.Need(authz.ManageSubscribers, http.MethodPost, "/desk/subscribers/{id}/delete", h.deleteSubscriber),

		kit.Need(authz.ManageWebhooks, http.MethodGet, webhooksPath, h.webhooksPage),
		kit.Need(authz.ManageWebhooks, http.MethodPost, webhooksPath, h.registerWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/pause", h.pauseWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/resume", h.resumeWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/rotate", h.rotateWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, "/desk/webhooks/{id}/delete", h.deleteWebhook),

		kit.Need(authz.TestChannels, http.MethodGet, channelsPath, h.channelsPage),
		kit.Need(authz.TestChannels, http.MethodPost, "/desk/admin/channels/test", h.testChannel),
	}
}
