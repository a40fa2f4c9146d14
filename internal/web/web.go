// Package web is crisisdesk's staff UI: server-rendered pages for signing
// in, the dashboard, the crisis catalogue, plans, the crisis room and
// administration. Its routes are listed in routes.go,
// each with the permission it needs; chain.go is the one middleware chain
// they all pass through.
package web

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
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
	"crisisdesk/internal/web/admin"
	"crisisdesk/internal/web/crises"
	"crisisdesk/internal/web/desk"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/notices"
	"crisisdesk/internal/web/plans"
	"crisisdesk/internal/web/signin"
)

// Options are what the staff UI needs from the rest of crisisdesk. Every
// service is required: New names the first one missing. The app wires
// them all; tests boot the app (apptest), never a part of it.
type Options struct {
	Accounts account.Service
	Audit    audit.Service
	Sessions *session.Manager
	Catalog  *i18n.Catalog
	Plans    plan.Service   // the catalogue and the plans
	Crises   crisis.Service // crises, tasks, timeline, clocks
	Notices  notice.Service // notices and their review
	Live     *live.Broker   // change events for the live pages
	// Subscribers are the public subscriptions.
	Subscribers subscriber.Service
	// Endpoints are the registered webhooks.
	Endpoints subscriber.Endpoints
	// Deliveries is the delivery log: progress and retries on the notice
	// page, the in-app inbox and read receipts.
	Deliveries delivery.Log
	// Channels are the channel adapters, for the admin's "send test"
	// (*delivery.Engine).
	Channels Senders
	// Chinese is the Traditional ⇄ Simplified converter the API uses too,
	// so both follow the chinese-variant setting.
	Chinese *hanzi.Converter

	// IdentityProvider is the office's OpenID Connect provider
	// (*sso.Provider), a setting rather than a service: nil when none is
	// configured, and then the sign-in page offers no button for it and
	// its routes answer 404.
	IdentityProvider IdentityProvider
	// Location is the time zone pages show times in, with its
	// abbreviation or offset; nil means UTC. Exports, datetime attributes
	// and the API stay UTC.
	Location *time.Location
	Clock    clock.Clock // default the real clock
	Logger   *slog.Logger
	Version  string // shown in the footer
}

// missing names the first required option not given, "" when none is.
func (o Options) missing() string {
	for _, f := range []struct {
		name  string
		unset bool
	}{
		{"Accounts", o.Accounts == nil}, {"Audit", o.Audit == nil}, {"Sessions", o.Sessions == nil},
		{"Catalog", o.Catalog == nil}, {"Plans", o.Plans == nil}, {"Crises", o.Crises == nil},
		{"Notices", o.Notices == nil}, {"Live", o.Live == nil}, {"Subscribers", o.Subscribers == nil},
		{"Endpoints", o.Endpoints == nil}, {"Deliveries", o.Deliveries == nil}, {"Channels", o.Channels == nil},
		{"Chinese", o.Chinese == nil},
	} {
		if f.unset {
			return f.name
		}
	}
	return ""
}

// IdentityProvider signs people in at the office's identity provider
// (signin.IdentityProvider).
type IdentityProvider = signin.IdentityProvider

// room is one area of the staff UI: a package with its own templates
// (its Pages, given to kit.New) and its own rows on the kit.
type room interface {
	Routes() []kit.Route
}

// Handler serves the staff UI.
type Handler struct {
	kit      *kit.Kit
	log      *slog.Logger
	chinese  *hanzi.Converter
	accounts account.Service
	audit    audit.Service
	plans    plan.Service
	crises   crisis.Service
	notices  notice.Service

	subscribers subscriber.Service
	endpoints   subscriber.Endpoints
	deliveries  delivery.Log
	channels    Senders

	routes []kit.Route
}

//go:embed templates
var templateFS embed.FS

// New parses every template and fingerprints every static file, so that a
// broken template stops startup instead of a page.
func New(o Options) (*Handler, error) {
	if name := o.missing(); name != "" {
		return nil, errors.New("web: Options." + name + " is required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{
		log: o.Logger, chinese: o.Chinese, accounts: o.Accounts, audit: o.Audit,
		plans: o.Plans, crises: o.Crises, notices: o.Notices,
		subscribers: o.Subscribers, endpoints: o.Endpoints, deliveries: o.Deliveries, channels: o.Channels,
	}
	pages, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	// The desk is made first: its inbox counts the menu's badge.
	home := &desk.Room{Crises: o.Crises, Plans: o.Plans, Notices: o.Notices, Deliveries: o.Deliveries, Accounts: o.Accounts}
	h.kit, err = kit.New(kit.Options{Catalog: o.Catalog, Sessions: o.Sessions, Live: o.Live, Clock: o.Clock,
		Location: o.Location, Logger: o.Logger, Version: o.Version, Nav: nav(home.Unread),
		Pages: []kit.Pages{{Room: "web", Templates: pages, Flashes: flashes}, signin.Pages(), desk.Pages(), plans.Pages(), crises.Pages(), notices.Pages(), admin.Pages()}})
	if err != nil {
		return nil, err
	}
	home.Kit = h.kit
	h.routes = h.table()
	for _, rm := range []room{
		&signin.Room{Kit: h.kit, Accounts: o.Accounts, Sessions: o.Sessions, IdentityProvider: o.IdentityProvider},
		home,
		&plans.Room{Kit: h.kit, Plans: o.Plans, Accounts: o.Accounts},
		&crises.Room{Kit: h.kit, Crises: o.Crises, Plans: o.Plans, Notices: o.Notices, Accounts: o.Accounts},
		&notices.Room{Kit: h.kit, Notices: o.Notices, Crises: o.Crises, Plans: o.Plans, Accounts: o.Accounts,
			Deliveries: o.Deliveries, Chinese: o.Chinese},
		&admin.Room{Kit: h.kit, Accounts: o.Accounts, Audit: o.Audit},
	} {
		h.routes = append(h.routes, rm.Routes()...)
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
		mux.Handle(rt.Method+" "+rt.Pattern, h.kit.Wrap(rt))
	}
}

// NotFound writes the translated 404 page, for paths no surface serves.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.kit.NotFound(w, r)
}
