// Package subscribers is the API's room for the public's subscriptions:
// self-service sign-up, confirmation and unsubscription; the staff's
// subscriber list with import and export; and registered webhook
// endpoints.
package subscribers

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/office"
	"crisisdesk/internal/subscriber"
)

// Room holds what the subscription operations need; every field is
// required.
type Room struct {
	// Signup is the way in for subscriptions; its Service also serves the
	// staff's subscriber operations, and its CheckURL and NewSecret the
	// webhook subscribers and endpoints staff register.
	Signup subscriber.Signup
	// Endpoints are the registered webhook endpoints.
	Endpoints subscriber.Endpoints
	// ParseSecret checks a webhook signing secret given by a caller
	// ("whsec_…").
	ParseSecret func(secret string) ([]byte, error)
	Audit       audit.Service // records who exported personal data
	Clock       clock.Clock   // names exports; tells a rotated secret's overlap
	// Office gives the country code local phone numbers are read with and
	// the districts a subscription may name.
	Office office.Service
	// CanSend tells whether a channel can send here.
	CanSend func(channel string) bool
}

// Register declares the room's operations on k, each with what it needs.
func (r *Room) Register(k *kit.Kit) {
	const get, post, del = http.MethodGet, http.MethodPost, http.MethodDelete
	type op = huma.Operation
	nf, cf := http.StatusNotFound, http.StatusConflict
	created, none := http.StatusCreated, http.StatusNoContent
	pub, sb, wh := []string{"public subscriptions"}, []string{"subscribers"}, []string{"webhooks"}

	kit.Register(k, kit.Public, op{OperationID: "subscribe", Method: post, Path: "/public/subscriptions", Tags: pub,
		Summary:       "Subscribe to public notices by e-mail, SMS or webhook; a link or code is sent to confirm",
		DefaultStatus: http.StatusAccepted}, r.subscribe)
	kit.Register(k, kit.Public, op{OperationID: "confirm-subscription", Method: post, Path: "/public/subscriptions/confirm", Tags: pub,
		Summary: "Confirm a subscription with the link's token or the SMS code", Errors: []int{nf}}, r.confirmSubscription)
	kit.Register(k, kit.Public, op{OperationID: "unsubscribe", Method: post, Path: "/public/subscriptions/unsubscribe", Tags: pub,
		Summary: "Stop a subscription with the token of its unsubscribe link", Errors: []int{nf}}, r.unsubscribe)

	kit.Register(k, kit.Can(authz.ViewSubscribers), op{OperationID: "list-subscribers", Method: get, Path: "/subscribers", Tags: sb,
		Summary: "List subscribers by id; addresses masked without subscriber.personal"}, r.listSubscribers)
	kit.Register(k, kit.Can(authz.ManageSubscribers), op{OperationID: "create-subscriber", Method: post, Path: "/subscribers", Tags: sb,
		Summary: "Add a subscriber on staff's word: active at once, no confirmation", DefaultStatus: created}, r.createSubscriber)
	kit.Register(k, kit.Can(authz.ViewSubscribers), op{OperationID: "count-subscribers", Method: get, Path: "/subscribers/counts", Tags: sb,
		Summary: "Count subscribers per channel and status"}, r.countSubscribers)
	kit.Register(k, kit.Can(authz.ManageSubscribers), op{OperationID: "import-subscribers", Method: post, Path: "/subscribers/import", Tags: sb,
		Summary:      "Add or update active subscribers from a CSV file (UTF-8, UTF-8 with BOM or Big5)",
		MaxBodyBytes: MaxImportBytes, Errors: []int{http.StatusUnsupportedMediaType}, RequestBody: &huma.RequestBody{
			Required: true, Content: map[string]*huma.MediaType{
				"text/csv":            {Schema: &huma.Schema{Type: "string", Format: "binary"}},
				"multipart/form-data": {}}}}, r.importSubscribers)
	documentImportForm(k.OpenAPI())
	kit.Register(k, kit.Can(authz.ViewPersonalData), op{OperationID: "export-subscribers", Method: get, Path: "/subscribers/export", Tags: sb,
		Summary: "Every subscriber as CSV (UTF-8 with BOM), full addresses", Responses: csvResponse()}, r.exportSubscribers)
	kit.Register(k, kit.Can(authz.ViewSubscribers), op{OperationID: "get-subscriber", Method: get, Path: "/subscribers/{id}", Tags: sb,
		Summary: "Get a subscriber; address masked without subscriber.personal", Errors: []int{nf}}, r.getSubscriber)
	kit.Register(k, kit.Can(authz.ManageSubscribers), op{OperationID: "delete-subscriber", Method: del, Path: "/subscribers/{id}", Tags: sb,
		Summary: "Delete a subscriber and its personal data", DefaultStatus: none, Errors: []int{nf}}, r.deleteSubscriber)

	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "list-webhooks", Method: get, Path: "/webhooks", Tags: wh,
		Summary: "List registered webhook endpoints; secrets masked"}, r.listWebhooks)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "register-webhook", Method: post, Path: "/webhooks", Tags: wh,
		Summary: "Register a webhook endpoint; its secret is shown in full this once", DefaultStatus: created}, r.registerWebhook)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "get-webhook", Method: get, Path: "/webhooks/{id}", Tags: wh,
		Summary: "Get a webhook endpoint; secret masked", Errors: []int{nf}}, r.getWebhook)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "pause-webhook", Method: post, Path: "/webhooks/{id}/pause", Tags: wh,
		Summary: "Stop sending to an endpoint", Errors: []int{nf, cf}}, r.pauseWebhook)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "resume-webhook", Method: post, Path: "/webhooks/{id}/resume", Tags: wh,
		Summary: "Send to a paused endpoint again", Errors: []int{nf, cf}}, r.resumeWebhook)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "rotate-webhook-secret", Method: post, Path: "/webhooks/{id}/rotate", Tags: wh,
		Summary: "Replace an endpoint's secret, shown in full this once; the old one also signs for 24 hours",
		Errors:  []int{nf}}, r.rotateWebhook)
	kit.Register(k, kit.Can(authz.ManageWebhooks), op{OperationID: "delete-webhook", Method: del, Path: "/webhooks/{id}", Tags: wh,
		Summary: "Remove a webhook endpoint", DefaultStatus: none, Errors: []int{nf}}, r.deleteWebhook)
}
