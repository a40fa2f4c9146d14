// Package web is crisisdesk's staff UI: server-rendered pages for signing
// in, the dashboard, the crisis catalogue, plans, the crisis room and
// administration. Its routes are listed in routes.go,
// each with the permission it needs; chain.go is the one middleware chain
// they all pass through.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
)

// Options are what the staff UI needs from the rest of crisisdesk.
type Options struct {
	Accounts account.Service
	Audit    audit.Service
	Sessions *session.Manager
	Catalog  *i18n.Catalog
	Plans    plan.Service   // the catalogue and the plans
	Crises   crisis.Service // crises, tasks, timeline, clocks
	Notices  notice.Service // notices and their review; nil hides the notice pages
	Live     *live.Broker   // change events for live pages; nil serves pages without live updates
	Clock    clock.Clock    // default the real clock
	Logger   *slog.Logger
	Version  string // shown in the footer

	// Subscribers are the public subscriptions; nil hides /desk/subscribers.
	Subscribers subscriber.Service
	// Endpoints are the registered webhooks; nil hides /desk/webhooks.
	Endpoints subscriber.Endpoints
	// Deliveries is the delivery log: progress and retries on the notice
	// page, the in-app inbox and read receipts; nil hides them.
	Deliveries delivery.Log
	// Channels are the channel adapters, for the admin's "send test"
	// (*delivery.Engine); nil hides /desk/admin/channels.
	Channels Senders
	// NewSecret makes a webhook signing secret ("whsec_…"); the default
	// is webhook.NewSecret.
	NewSecret func() (string, error)
	// CheckSecret checks a signing secret typed by staff (which must start
	// with "whsec_" in any case); the default wants at least 24 bytes in
	// base64 after the prefix.
	CheckSecret func(string) error
	// Chinese is the Traditional ⇄ Simplified converter the API uses too,
	// so both follow the chinese-variant setting; nil loads the Hong Kong
	// standard on first use.
	Chinese *hanzi.Converter
	// Location is the time zone pages show times in, with its
	// abbreviation or offset; nil means UTC. Exports, datetime attributes
	// and the API stay UTC.
	Location *time.Location
	// IdentityProvider is the office's OpenID Connect provider
	// (*sso.Provider); nil hides signing in with it.
	IdentityProvider IdentityProvider
}

// IdentityProvider signs people in at the office's identity provider: it
// starts an authorisation request and finishes it with the code the
// browser brings back.
type IdentityProvider interface {
	Start(next string) (login account.ExternalLogin, authURL string)
	Finish(ctx context.Context, code string, login account.ExternalLogin) (account.ExternalIdentity, error)
}

// Handler serves the staff UI.
type Handler struct {
	// chinese converts between Traditional and Simplified Chinese; the
	// dictionaries load on first use when Options gave no converter.
	chinese  func() (*hanzi.Converter, error)
	accounts account.Service
	audit    audit.Service
	sessions *session.Manager
	catalog  *i18n.Catalog
	plans    plan.Service
	crises   crisis.Service
	notices  notice.Service
	live     *live.Broker
	clock    clock.Clock
	log      *slog.Logger
	version  string
	loc      *time.Location // where times are shown; never nil

	subscribers subscriber.Service
	endpoints   subscriber.Endpoints
	deliveries  delivery.Log
	channels    Senders
	newSecret   func() (string, error)
	checkSecret func(string) error
	idp         IdentityProvider

	assets   *assets
	views    *views
	routes   []route
	notFound http.Handler
}

// New parses every template and fingerprints every static file, so that a
// broken template stops startup instead of a page.
func New(o Options) (*Handler, error) {
	switch {
	case o.Accounts == nil:
		return nil, errors.New("web: Options.Accounts is required")
	case o.Audit == nil:
		return nil, errors.New("web: Options.Audit is required")
	case o.Sessions == nil:
		return nil, errors.New("web: Options.Sessions is required")
	case o.Catalog == nil:
		return nil, errors.New("web: Options.Catalog is required")
	case o.Plans == nil:
		return nil, errors.New("web: Options.Plans is required")
	case o.Crises == nil:
		return nil, errors.New("web: Options.Crises is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	h := &Handler{
		chinese:  sync.OnceValues(func() (*hanzi.Converter, error) { return hanzi.New("hk") }),
		accounts: o.Accounts, audit: o.Audit, sessions: o.Sessions, catalog: o.Catalog,
		plans: o.Plans, crises: o.Crises, notices: o.Notices, live: o.Live, clock: o.Clock,
		log: o.Logger, version: o.Version, loc: o.Location,
		subscribers: o.Subscribers, endpoints: o.Endpoints, deliveries: o.Deliveries, channels: o.Channels,
		newSecret: o.NewSecret, checkSecret: o.CheckSecret, idp: o.IdentityProvider,
	}
	if h.newSecret == nil {
		h.newSecret = webhook.NewSecret
	}
	if h.checkSecret == nil {
		h.checkSecret = checkWebhookSecret
	}
	var err error
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if h.views, err = parseViews(o.Catalog, h.assets, h.loc); err != nil {
		return nil, err
	}
	h.routes = h.table()
	h.notFound = h.identify(h.locale(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, http.StatusNotFound)
	})))
	if o.Chinese != nil {
		h.chinese = func() (*hanzi.Converter, error) { return o.Chinese, nil }
	}
	return h, nil
}

// Routes returns the route table: every method and pattern the staff UI
// serves, with the action it needs.
func (h *Handler) Routes() []authz.Route {
	out := make([]authz.Route, len(h.routes))
	for i, rt := range h.routes {
		out[i] = rt.Route
	}
	return out
}

// Register mounts every route on mux. It registers no catch-all: the app
// owns "/" and may send unknown paths to NotFound.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, rt := range h.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, h.wrap(rt))
	}
}

// NotFound writes the translated 404 page, for paths no surface serves.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.notFound.ServeHTTP(w, r)
}
