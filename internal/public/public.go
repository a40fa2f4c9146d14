// Package public is the public crisis site and its feeds: the pages anyone
// may read without signing in (active crises, notices with their history,
// a crisis's timeline), Atom 1.0 and CAP 1.2 feeds, and a small JSON list.
//
// Everything here is rendered once per change, not per request: responses
// are kept in a cache keyed by path and language, with their gzip, a strong
// ETag and Last-Modified, and the whole cache is dropped when the store
// announces a public change on the live broker. Only published notices for
// the public audience are ever shown; drafts, internal and media notices
// answer 404 like IDs that do not exist.
package public

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
)

// Options are what the site needs. Notices, Crises, Catalog and BaseURL are
// required.
type Options struct {
	Notices notice.Service
	Crises  crisis.Service
	Plans   plan.Service // reserved for plan-level contact details; may be nil
	Catalog *i18n.Catalog
	// Live drops the cache on public and dashboard events; nil means
	// rendered pages expire only by age (see maxAge).
	Live *live.Broker
	// BaseURL is the absolute URL the public reaches the site at, e.g.
	// "https://alerts.example.org"; feeds and CAP need absolute links, and
	// its host is the CAP sender.
	BaseURL string
	Logger  *slog.Logger
	Clock   clock.Clock
	// Location is the time zone times are shown in; nil means UTC.
	Location *time.Location
}

// Site serves the public pages and feeds.
type Site struct {
	notices  notice.Service
	crises   crisis.Service
	plans    plan.Service
	catalog  *i18n.Catalog
	live     *live.Broker
	base     string // BaseURL without a trailing slash
	host     string // BaseURL's host: the CAP sender and the tag: authority
	log      *slog.Logger
	clock    clock.Clock
	loc      *time.Location
	pages    map[string]*template.Template
	cssEntry *entry
	cssPath  string // fingerprinted URL of the stylesheet
	cache    *cache
	started  bool
	stopping context.CancelFunc
}

// LanguageCookie is the cookie that keeps a visitor's language choice; the
// staff UI uses the same one.
const LanguageCookie = "crisisdesk_lang"

// New checks the options and parses the embedded templates.
func New(o Options) (*Site, error) {
	if o.Notices == nil || o.Crises == nil || o.Catalog == nil {
		return nil, errors.New("public: Notices, Crises and Catalog are required")
	}
	u, err := url.Parse(strings.TrimRight(o.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, errors.New("public: BaseURL must be an absolute http(s) URL")
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
	s := &Site{
		notices: o.Notices, crises: o.Crises, plans: o.Plans, catalog: o.Catalog, live: o.Live,
		base: u.String(), host: strings.ToLower(u.Hostname()), log: o.Logger, clock: o.Clock, loc: o.Location,
		cache: newCache(),
	}
	if err := s.parse(); err != nil {
		return nil, err
	}
	return s, nil
}

// Start drops the cache whenever the broker announces a public notice or a
// change to the crises (their level and status show on "/"), until ctx ends
// or Stop is called. Without a broker it does nothing.
func (s *Site) Start(ctx context.Context) {
	if s.live == nil || s.started {
		return
	}
	s.started = true
	ctx, s.stopping = context.WithCancel(ctx)
	pub, stopPub := s.live.Subscribe(store.PublicTopic)
	dash, stopDash := s.live.Subscribe(live.DashboardTopic)
	go func() {
		defer stopPub()
		defer stopDash()
		for {
			select {
			case <-ctx.Done():
				return
			case <-pub:
			case <-dash:
			}
			s.cache.drop()
		}
	}()
}

// Stop ends what Start began.
func (s *Site) Stop() {
	if s.stopping != nil {
		s.stopping()
	}
}

// Invalidate drops every rendered page, for callers that learn of a change
// another way (another replica).
func (s *Site) Invalidate() { s.cache.drop() }

// route is one entry of the route table.
type route struct {
	pattern string
	handler http.HandlerFunc
}

func (s *Site) table() []route {
	return []route{
		{"/{$}", s.cached(true, s.home)},
		{"/notices/{id}", s.cached(true, s.noticePage)},
		{"/crises/{id}", s.cached(true, s.crisisPage)},
		{"/feed.atom", s.cached(true, s.feed)},
		{"/crises/{id}/feed.atom", s.cached(true, s.crisisFeed)},
		{"/notices/{id}/cap.xml", s.cached(false, s.capDocument)},
		{"/cap.atom", s.cached(false, s.capIndex)},
		{"/api/v1/public/notices", s.cached(false, s.jsonList)},
		{"/public/{file}", s.static},
	}
}

// Routes lists the site's routes for the permission test: all public, all
// GET (which the mux also serves for HEAD).
func (s *Site) Routes() []authz.Route {
	var out []authz.Route
	for _, r := range s.table() {
		out = append(out, authz.Route{Method: http.MethodGet, Pattern: r.pattern, Public: true})
	}
	return out
}

// Register adds the routes to mux. "/api/v1/public/notices" is an exact
// pattern, more specific than the API's "/api/v1/" subtree, so the mux
// prefers it.
func (s *Site) Register(mux *http.ServeMux) {
	for _, r := range s.table() {
		mux.Handle(http.MethodGet+" "+r.pattern, r.handler)
	}
}

// abs returns the absolute URL of a site path.
func (s *Site) abs(path string) string { return s.base + path }
