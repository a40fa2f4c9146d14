// Package subscribers is the staff UI's room for the public's
// subscriptions and the office's channels: the subscriber list with its
// import and export, registered webhooks and their signing secrets, and
// the admin's test sends through each channel.
package subscribers

import (
	"embed"
	"io/fs"
	"net/http"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// Where the room's pages are.
const (
	Path         = "/desk/subscribers"    // the subscriber list
	WebhooksPath = "/desk/webhooks"       // the registered webhook endpoints
	ChannelsPath = "/desk/admin/channels" // the channels and their test sends
)

// Senders finds a channel's adapter by name; the delivery engine is one.
type Senders interface {
	Sender(ch string) (channel.Sender, bool)
}

// Room serves the subscriber, webhook and channel pages; its fields are
// what it needs.
type Room struct {
	Kit         *kit.Kit
	Subscribers subscriber.Service
	Endpoints   subscriber.Endpoints
	Channels    Senders       // the channel adapters, for test sends
	Audit       audit.Service // exports and test sends are recorded first
}

// Routes are the room's rows, each with the permission it needs.
func (h *Room) Routes() []kit.Route {
	return []kit.Route{
		kit.Need(authz.ViewSubscribers, http.MethodGet, Path, h.subscribersPage),
		kit.Need(authz.ViewPersonalData, http.MethodGet, exportPath, h.exportSubscribers),
		kit.Need(authz.ViewPersonalData, http.MethodGet, exportXLSXPath, h.exportSubscribers),
		kit.Need(authz.ManageSubscribers, http.MethodGet, Path+"/import", h.importSubscribersPage),
		kit.WithBody(maxSubscriberCSV, kit.Need(authz.ManageSubscribers, http.MethodPost, Path+"/import", h.importSubscribers)),
		kit.Need(authz.ManageSubscribers, http.MethodGet, Path+"/{id}/delete", h.deleteSubscriberPage),
		kit.Need(authz.ManageSubscribers, http.MethodPost, Path+"/{id}/delete", h.deleteSubscriber),

		kit.Need(authz.ManageWebhooks, http.MethodGet, WebhooksPath, h.webhooksPage),
		kit.Need(authz.ManageWebhooks, http.MethodPost, WebhooksPath, h.registerWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, WebhooksPath+"/{id}/pause", h.pauseWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, WebhooksPath+"/{id}/resume", h.resumeWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, WebhooksPath+"/{id}/rotate", h.rotateWebhook),
		kit.Need(authz.ManageWebhooks, http.MethodPost, WebhooksPath+"/{id}/delete", h.deleteWebhook),

		kit.Need(authz.TestChannels, http.MethodGet, ChannelsPath, h.channelsPage),
		kit.Need(authz.TestChannels, http.MethodPost, ChannelsPath+"/test", h.testChannel),
	}
}

//go:embed templates
var templates embed.FS

// Pages are the room's templates and the confirmations its redirects ask
// for, for kit.New.
func Pages() kit.Pages {
	t, _ := fs.Sub(templates, "templates") // a literal directory: never an error
	return kit.Pages{Room: "subscribers", Templates: t, Flashes: map[string]string{
		"subscriber_deleted": "flash.subscriber_deleted",
		"webhook_paused":     "flash.webhook_paused",
		"webhook_resumed":    "flash.webhook_resumed",
		"webhook_deleted":    "flash.webhook_deleted",
	}}
}
