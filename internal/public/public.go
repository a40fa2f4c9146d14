// Package public is the public crisis site and its feeds: the pages anyone
// may read without signing in (active crises, notices with their history,
// a crisis's timeline), Atom 1.0 and CAP 1.2 feeds, and a small JSON list.
//
// Everything here is rendered once per change, not per request: responses
// are kept in memory keyed by path and language, both encodings (identity
// and gzip) with a strong ETag, Last-Modified and every header value ready,
// so that serving one allocates nothing (cache.go, serve.go); Respond
// (fast.go) answers them off the connection for package fastpath, with the
// same headers, and net/http serves the rest. The whole
// cache is dropped when the store announces a public change on the live
// broker, on this replica or, through LISTEN/NOTIFY, another, and the most
// read documents are rendered again at once (refresh.go). Only published notices for
// the public audience are ever shown; drafts, internal and media notices
// answer 404 like IDs that do not exist.
package public

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/office"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
)

// Options are what the site needs. Notices, Crises, Catalog, Live, Signup
// and BaseURL are required.
type Options struct {
	Notices notice.Service
	Crises  crisis.Service
	Plans   plan.Service // reserved for plan-level contact details; may be nil
	Catalog *i18n.Catalog
	// Office is who speaks: the institution's name, logo, contact line,
	// the legend of the levels and the districts.
	Office office.Service
	// Live drops the cache on public and dashboard events.
	Live *live.Broker
	// BaseURL is the absolute URL the public reaches the site at, e.g.
	// "https://alerts.example.org"; feeds and CAP need absolute links, and
	// its host is the CAP sender.
	BaseURL string
	Logger  *slog.Logger
	Clock   clock.Clock
	// Location is the time zone times are shown in; nil means UTC.
	Location *time.Location
	// Signup takes the /subscribe form: its Service, CheckURL and
	// NewSecret are all required.
	Signup subscriber.Signup
	// CanSend tells whether a channel can send here (a mail server, an SMS
	// gateway is configured): the form offers no channel that could not
	// deliver its confirmation.
	CanSend func(channel string) bool
	// SMSInboundToken is the secret last part of /sms/inbound/{token},
	// where the SMS gateway posts replies (STOP); empty disables it.
	SMSInboundToken string
	// SMSFormat is the gateway's format ("generic" or "twilio"), to read
	// its replies.
	SMSFormat string
	// SubscribeRate is how many sign-ups (and SMS code tries) one client
	// address may send a minute; 0 means 10, a negative number no limit.
	SubscribeRate int
	// SecureCookies marks the language cookie Secure (the site is reached
	// over https).
	SecureCookies bool
	// Chinese converts a notice written in one Chinese script for a reader
	// of the other, on render (hanzi.Fill); nil shows the notice as
	// written.
	Chinese *hanzi.Converter
	// Feedback takes the public's questions and feedback (/feedback,
	// POST /api/v1/feedback, SMS replies that are not STOP, the inbound
	// e-mail webhook) and shows each crisis's FAQ; nil turns them off.
	Feedback feedback.Service
	// FeedbackRate is how many submissions one client address may send a
	// minute; 0 means 20, a negative number no limit.
	FeedbackRate int
	// FeedbackMailSecret is the secret the mail provider signs inbound
	// e-mails with (HMAC-SHA256); empty turns the webhook off.
	FeedbackMailSecret string
	// Rumours lists the clarifications at /clarifications; Surveys
	// answers the survey invitations. Each page exists only when its
	// service is given.
	Rumours rumour.Service
	Surveys survey.Service
}

// missing names the first required option that is not set.
func (o Options) missing() error {
	required := []struct {
		name string
		set  bool
	}{
		{"Notices", o.Notices != nil},
		{"Crises", o.Crises != nil},
		{"Catalog", o.Catalog != nil},
		{"Office", o.Office != nil},
		{"Live", o.Live != nil},
		{"Signup.Service", o.Signup.Service != nil},
		{"Signup.CheckURL", o.Signup.CheckURL != nil},
		{"Signup.NewSecret", o.Signup.NewSecret != nil},
		{"CanSend", o.CanSend != nil},
	}
	for _, r := range required {
		if !r.set {
			return fmt.Errorf("public: %s is required", r.name)
		}
	}
	return nil
}

// Site serves the public pages and feeds.
type Site struct {
	notices  notice.Service
	crises   crisis.Service
	plans    plan.Service
	catalog  *i18n.Catalog
	office   office.Service
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
	fast     map[string]*fastRoute // pattern → route, for Respond
	subs     *subscriptions
	langs    langMemo
	started  bool
	stopping context.CancelFunc
	secure   bool // cookies are Secure
	chinese  *hanzi.Converter
	fb       *feedbackSite // nil when feedback is off
	rumours  rumour.Service
	surveys  survey.Service
}

// LanguageCookie is the cookie that keeps a visitor's language choice; the
// staff UI uses the same one.
const LanguageCookie = "crisisdesk_lang"

// New checks the options and parses the embedded templates.
func New(o Options) (*Site, error) {
	if err := o.missing(); err != nil {
		return nil, err
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
		notices: o.Notices, crises: o.Crises, plans: o.Plans, catalog: o.Catalog, office: o.Office, live: o.Live,
		base: u.String(), host: strings.ToLower(u.Hostname()), log: o.Logger, clock: o.Clock, loc: o.Location,
		cache: newCache(), secure: o.SecureCookies, chinese: o.Chinese, rumours: o.Rumours, surveys: o.Surveys,
	}
	if err := s.parse(); err != nil {
		return nil, err
	}
	if err := s.parseListening(); err != nil {
		return nil, err
	}
	s.fast = s.fastRoutes()
	if s.subs, err = s.newSubscriptions(o); err != nil {
		return nil, err
	}
	if err := s.newFeedback(o); err != nil {
		return nil, err
	}
	return s, nil
}

// route is one entry of the route table: a cached document (render) or a
// plain handler.
type route struct {
	pattern string
	render  renderFunc
	byLang  bool // the document is in the reader's language
	hot     bool // rendered again as soon as a change drops it (see warm)
	handler http.HandlerFunc
}

func (s *Site) table() []route {
	return append([]route{
		{pattern: "/{$}", render: s.home, byLang: true, hot: true},
		{pattern: "/notices/{id}", render: s.noticePage, byLang: true},
		{pattern: "/crises/{id}", render: s.crisisPage, byLang: true},
		{pattern: "/feed.atom", render: s.feed, byLang: true, hot: true},
		{pattern: "/crises/{id}/feed.atom", render: s.crisisFeed, byLang: true},
		{pattern: exercisesPath, render: s.exercises, byLang: true},
		{pattern: exercisesPath + "/feed.atom", render: s.exerciseFeed, byLang: true},
		{pattern: "/notices/{id}/cap.xml", render: s.capDocument},
		{pattern: "/cap.atom", render: s.capIndex, hot: true},
		{pattern: "/api/v1/public/notices", render: s.jsonList, hot: true},
		{pattern: logoPath, render: s.logo},
		{pattern: "/public/{file}", handler: s.static},
	}, s.listeningRoutes()...)
}

// Routes lists the site's routes for the permission test: all public, all
// GET (which the mux also serves for HEAD).
func (s *Site) Routes() []authz.Route {
	var out []authz.Route
	for _, r := range s.table() {
		out = append(out, authz.Route{Method: http.MethodGet, Pattern: r.pattern, Public: true})
	}
	return append(append(append(out, s.subscriptionAuthz()...), s.feedbackAuthz()...), s.listeningAuthz()...)
}

// Register adds the routes to mux. "/api/v1/public/notices" is an exact
// pattern, more specific than the API's "/api/v1/" subtree, so the mux
// prefers it.
func (s *Site) Register(mux *http.ServeMux) {
	for _, r := range s.table() {
		h := r.handler
		if h == nil {
			h = s.cached(r.byLang, r.render)
		}
		mux.Handle(http.MethodGet+" "+r.pattern, h)
	}
	s.registerSubscriptions(mux)
	for _, r := range s.feedbackRoutes() {
		mux.HandleFunc(r.method+" "+r.pattern, r.h)
	}
	for _, r := range s.surveyRoutes() {
		mux.HandleFunc(r.method+" "+r.pattern, r.h)
	}
}

// abs returns the absolute URL of a site path.
func (s *Site) abs(path string) string { return s.base + path }
