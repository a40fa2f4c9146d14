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
