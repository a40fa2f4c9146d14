// Package api is crisisdesk's JSON API under /api/v1. It assembles the
// rooms — one package per area, each declaring its operations with the
// action each needs — on the shared kit (package kit), which generates
// the OpenAPI 3.1 document from the code and sends every error as RFC 9457
// application/problem+json.
package api

import (
	"fmt"
	"log/slog"
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	apiactions "crisisdesk/internal/api/actions"
	"crisisdesk/internal/api/admin"
	"crisisdesk/internal/api/crises"
	"crisisdesk/internal/api/drills"
	"crisisdesk/internal/api/experts"
	feedbackroom "crisisdesk/internal/api/feedback"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/api/notices"
	"crisisdesk/internal/api/plans"
	"crisisdesk/internal/api/rumours"
	"crisisdesk/internal/api/subscribers"
	"crisisdesk/internal/api/surveys"
	teamapi "crisisdesk/internal/api/team"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/office"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/team"
)

// Prefix is where the API lives; the app mounts Handler here.
const Prefix = kit.Prefix

// Options are the API's dependencies. Every service is required: New
// names the first one missing.
type Options struct {
	Accounts account.Service
	Office   office.Service
	Audit    audit.Service
	Sessions *session.Manager
	Plans    plan.Service
	Crises   crisis.Service
	Notices  notice.Service
	Drills   drill.Service
	Experts  expert.Service
	Actions  action.Service // the one action list
	Rumours  rumour.Service
	Surveys  survey.Service
	Team     team.Service
	Chinese  *hanzi.Converter // Traditional ⇄ Simplified
	Live     *live.Broker     // the crisis event streams
	Catalog  *i18n.Catalog    // renders system texts in the caller's language
	// Signup is the way in for subscriptions; its Service also serves the
	// staff's subscriber operations, and its CheckURL and NewSecret the
	// registered webhook endpoints.
	Signup subscriber.Signup
	// Endpoints are the registered webhook endpoints.
	Endpoints subscriber.Endpoints
	// Deliveries is the delivery log (progress, retries, the staff inbox).
	Deliveries delivery.Log
	// Feedback is the public's questions and feedback.
	Feedback feedback.Service
	// ParseSecret checks a webhook signing secret given by a caller
	// ("whsec_…").
	ParseSecret func(secret string) ([]byte, error)
	// CanSend tells whether a channel can send here (a mail server, an SMS
	// gateway): a subscription on one that cannot is refused, since no
	// confirmation could reach it.
	CanSend func(channel string) bool

	Clock   clock.Clock  // tells clock states; nil for the wall clock
	Logger  *slog.Logger // nil discards
	Version string       // crisisdesk's version, shown in the OpenAPI document
	// SubscribeLimit is how many public subscription requests (subscribe,
	// confirm, unsubscribe, each counted apart) one client address may
	// make a minute; 0 means 10.
	SubscribeLimit int
}

// missing names the first required option that is not set.
func (o Options) missing() error {
	required := []struct {
		name string
		set  bool
	}{
		{"Accounts", o.Accounts != nil},
		{"Audit", o.Audit != nil},
		{"Office", o.Office != nil},
		{"Sessions", o.Sessions != nil},
		{"Plans", o.Plans != nil},
		{"Crises", o.Crises != nil},
		{"Notices", o.Notices != nil},
		{"Drills", o.Drills != nil},
		{"Experts", o.Experts != nil},
		{"Actions", o.Actions != nil},
		{"Rumours", o.Rumours != nil},
		{"Surveys", o.Surveys != nil},
		{"Team", o.Team != nil},
		{"Chinese", o.Chinese != nil},
		{"Live", o.Live != nil},
		{"Catalog", o.Catalog != nil},
		{"Signup.Service", o.Signup.Service != nil},
		{"Signup.CheckURL", o.Signup.CheckURL != nil},
		{"Signup.NewSecret", o.Signup.NewSecret != nil},
		{"Endpoints", o.Endpoints != nil},
		{"Deliveries", o.Deliveries != nil},
		{"CanSend", o.CanSend != nil},
		{"ParseSecret", o.ParseSecret != nil},
		{"Feedback", o.Feedback != nil},
	}
	for _, r := range required {
		if !r.set {
			return fmt.Errorf("api: %s is required", r.name)
		}
	}
	return nil
}

// Room is one area of the API: it declares its operations on the kit.
type Room interface {
	Register(k *kit.Kit)
}

// API serves /api/v1.
type API struct {
	kit *kit.Kit
}

// New builds the API: the kit, then every room on it.
func New(o Options) (*API, error) {
	if err := o.missing(); err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	k, err := kit.New(kit.Options{Sessions: o.Sessions, Clock: o.Clock, Logger: o.Logger, Version: o.Version,
		PublicLimit: o.SubscribeLimit})
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	rooms := []Room{
		&admin.Room{Accounts: o.Accounts, Audit: o.Audit, Office: o.Office},
		&plans.Room{Plans: o.Plans, Clock: o.Clock},
		&crises.Room{Crises: o.Crises, Notices: o.Notices, Live: o.Live, Clock: o.Clock, Catalog: o.Catalog},
		&notices.Room{Notices: o.Notices, Deliveries: o.Deliveries, Chinese: o.Chinese},
		&drills.Room{Drills: o.Drills},
		&experts.Room{Experts: o.Experts},
		&apiactions.Room{Actions: o.Actions},
		&rumours.Room{Rumours: o.Rumours, Catalog: o.Catalog},
		&surveys.Room{Surveys: o.Surveys},
		&teamapi.Room{Team: o.Team},
		&subscribers.Room{Signup: o.Signup, Endpoints: o.Endpoints, ParseSecret: o.ParseSecret, Audit: o.Audit, Clock: o.Clock,
			Office: o.Office, CanSend: o.CanSend},
		&feedbackroom.Room{Feedback: o.Feedback, Clock: o.Clock},
	}
	for _, r := range rooms {
		r.Register(k)
	}
	if err := k.Finish(); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	return &API{kit: k}, nil
}

// Handler serves everything under /api/v1/.
func (a *API) Handler() http.Handler { return a.kit.Handler() }

// Routes returns the route table: every operation with the action it needs.
func (a *API) Routes() []authz.Route { return a.kit.Routes() }
