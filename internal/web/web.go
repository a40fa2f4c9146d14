// Package web is crisisdesk's staff UI. It assembles the rooms, one
// package per area with its own templates and route table, on the shared
// kit (web/kit: the chain, rendering, forms):
//
//	web/signin       signing in and out, the own account, language
//	web/desk         the dashboard, its stream, alerts, the inbox
//	web/plans        the catalogue and the plans
//	web/crises       crises, their rooms, tasks, timeline and review
//	web/notices      notices, the editor, imports, deliveries
//	web/drills       drills: plan, safety gate, start, stop, end
//	web/team         the team, who is on duty, the rota, training, recruitment
//	web/media        the media desk: inquiries, journalists, social posts
//	web/resources    inventory, budget, the weekly resource review
//	web/subscribers  subscribers, webhooks, channel tests
//	web/admin        users, departments, the audit trail
//	web/evaluation   KPIs, quarterly reports, the lessons library, review sign-off
//
// The menu is here, in the order it shows; docs/architecture.md says how
// to add a room.
package web

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/live"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/office"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/press"
	"crisisdesk/internal/report"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/review"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/rumour"
	"crisisdesk/internal/session"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
	"crisisdesk/internal/team"
	webactions "crisisdesk/internal/web/actions"
	"crisisdesk/internal/web/admin"
	"crisisdesk/internal/web/crises"
	"crisisdesk/internal/web/desk"
	"crisisdesk/internal/web/drills"
	"crisisdesk/internal/web/evaluation"
	feedbackroom "crisisdesk/internal/web/feedback"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/media"
	"crisisdesk/internal/web/meetings"
	"crisisdesk/internal/web/notices"
	"crisisdesk/internal/web/plans"
	"crisisdesk/internal/web/reports"
	"crisisdesk/internal/web/resources"
	"crisisdesk/internal/web/risks"
	"crisisdesk/internal/web/rumours"
	"crisisdesk/internal/web/signin"
	"crisisdesk/internal/web/subscribers"
	"crisisdesk/internal/web/surveys"
	teamroom "crisisdesk/internal/web/team"
	"crisisdesk/internal/web/work"
	"crisisdesk/internal/workplan"
)

// Options are what the staff UI needs from the rest of crisisdesk. Every
// service is required: New names the first one missing. The app wires
// them all; tests boot the app (apptest), never a part of it.
type Options struct {
	Accounts account.Service
	// Office is who speaks on the public site (the admin's office page).
	Office   office.Service
	Audit    audit.Service
	Sessions *session.Manager
	Catalog  *i18n.Catalog
	Plans    plan.Service    // the catalogue and the plans
	Crises   crisis.Service  // crises, tasks, timeline, clocks
	Notices  notice.Service  // notices and their review
	Drills   drill.Service   // drills (演練)
	Experts  expert.Service  // the outside experts
	Actions  action.Service  // the one action list
	Meetings meeting.Service // the weekly meetings
	Reports  report.Service  // the monthly progress reports
	Rumours  rumour.Service  // the rumour register
	Surveys  survey.Service  // the satisfaction surveys
	Team     team.Service    // the team, its rota and training
	// Press is the media desk; Resources the inventory, budget and review,
	// whose people and rota cover come from the team (ResourcePeople,
	// ResourceCover: team.ResourceView).
	Press          press.Service
	Resources      resource.Service
	ResourcePeople resource.People
	ResourceCover  resource.Cover
	// Risks is the risk register; Work the work plan.
	Risks risk.Service
	Work  workplan.Service
	// Evaluation, Lessons and Reviews are evaluation and learning: the
	// KPIs and reports, the lessons library, the post-crisis reviews.
	Evaluation kpi.Service
	Lessons    lessons.Service
	Reviews    review.Service
	Live       *live.Broker // change events for the live pages
	// NoticeAlerts tell people of notices submitted to them or returned.
	NoticeAlerts notice.StaffAlerts
	// Deadlines are people's alerts of deadlines outside crises.
	Deadlines deadline.Alerts
	// Feedback is the public's questions and feedback.
	Feedback feedback.Service
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
	// Messages renders a notice as each channel sends it: the editor and
	// the publish confirmation show the SMS the sender will send.
	Messages *message.Renderer
	// BaseURL is the public site's address, for the links in messages
	// and the absolute links print views write.
	BaseURL string

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
		{"Accounts", o.Accounts == nil}, {"Office", o.Office == nil}, {"Audit", o.Audit == nil}, {"Sessions", o.Sessions == nil},
		{"Catalog", o.Catalog == nil}, {"Plans", o.Plans == nil}, {"Crises", o.Crises == nil},
		{"Notices", o.Notices == nil}, {"Drills", o.Drills == nil}, {"Experts", o.Experts == nil}, {"Actions", o.Actions == nil}, {"Meetings", o.Meetings == nil}, {"Reports", o.Reports == nil},
		{"Feedback", o.Feedback == nil}, {"Rumours", o.Rumours == nil}, {"Surveys", o.Surveys == nil}, {"Team", o.Team == nil},
		{"Live", o.Live == nil}, {"Subscribers", o.Subscribers == nil},
		{"Endpoints", o.Endpoints == nil}, {"Deliveries", o.Deliveries == nil}, {"Channels", o.Channels == nil},
		{"Evaluation", o.Evaluation == nil}, {"Lessons", o.Lessons == nil}, {"Reviews", o.Reviews == nil},
		{"Chinese", o.Chinese == nil}, {"Messages", o.Messages == nil}, {"NoticeAlerts", o.NoticeAlerts == nil},
		{"Deadlines", o.Deadlines == nil},
		{"Press", o.Press == nil}, {"Resources", o.Resources == nil}, {"ResourcePeople", o.ResourcePeople == nil}, {"ResourceCover", o.ResourceCover == nil},
		{"Risks", o.Risks == nil}, {"Work", o.Work == nil},
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

// Senders finds a channel's adapter by name (subscribers.Senders); the
// delivery engine is one.
type Senders = subscribers.Senders

// pages are the templates and confirmations of every room, in the order
// of the rooms below.
func pages() []kit.Pages {
	return []kit.Pages{signin.Pages(), desk.Pages(), plans.Pages(), crises.Pages(), notices.Pages(),
		drills.Pages(), subscribers.Pages(), admin.Pages(), webactions.Pages(), meetings.Pages(), reports.Pages(), feedbackroom.Pages(),
		rumours.Pages(), surveys.Pages(), teamroom.Pages(),
		media.Pages(), resources.Pages(),
		risks.Pages(), work.Pages(),
		evaluation.Pages(),
	}
}

// rooms are the areas of the staff UI on kit k. home, the desk, is made
// before the kit: its inbox counts the menu's badge.
func rooms(o Options, k *kit.Kit, home *desk.Room) []room {
	home.Kit = k
	return []room{
		&signin.Room{Kit: k, Accounts: o.Accounts, Sessions: o.Sessions, IdentityProvider: o.IdentityProvider},
		home,
		&plans.Room{Kit: k, Plans: o.Plans, Accounts: o.Accounts, Items: o.Resources},
		&crises.Room{Kit: k, Crises: o.Crises, Plans: o.Plans, Notices: o.Notices, Accounts: o.Accounts, Chinese: o.Chinese,
			Team: o.Team, Lessons: o.Lessons},
		&notices.Room{Kit: k, Notices: o.Notices, Crises: o.Crises, Plans: o.Plans, Accounts: o.Accounts,
			Deliveries: o.Deliveries, Chinese: o.Chinese, Messages: o.Messages, BaseURL: o.BaseURL},
		&drills.Room{Kit: k, Drills: o.Drills, Plans: o.Plans, Accounts: o.Accounts},
		&webactions.Room{Kit: k, Actions: o.Actions, Accounts: o.Accounts},
		&meetings.Room{Kit: k, Meetings: o.Meetings, Actions: o.Actions, Accounts: o.Accounts},
		&reports.Room{Kit: k, Reports: o.Reports, Accounts: o.Accounts},
		&teamroom.Room{Kit: k, Team: o.Team, Accounts: o.Accounts, Experts: o.Experts},
		&media.Room{Kit: k, Press: o.Press, Accounts: o.Accounts, Crises: o.Crises, Notices: o.Notices},
		&resources.Room{Kit: k, Resources: o.Resources, Crises: o.Crises, Drills: o.Drills, Accounts: o.Accounts,
			People: o.ResourcePeople, Cover: o.ResourceCover},
		&subscribers.Room{Kit: k, Subscribers: o.Subscribers, Endpoints: o.Endpoints, Channels: o.Channels, Audit: o.Audit},
		&admin.Room{Kit: k, Accounts: o.Accounts, Audit: o.Audit, Office: o.Office, Experts: o.Experts, Channels: o.Channels, Location: o.Location},
		&evaluation.Room{Kit: k, Evaluation: o.Evaluation, Lessons: o.Lessons, Reviews: o.Reviews, Crises: o.Crises, Plans: o.Plans, Accounts: o.Accounts},
		&feedbackroom.Room{Kit: k, Feedback: o.Feedback, Crises: o.Crises, Notices: o.Notices, Accounts: o.Accounts, Experts: o.Experts, BaseURL: o.BaseURL,
			Rumours: o.Rumours},
		&rumours.Room{Kit: k, Rumours: o.Rumours, Crises: o.Crises, Accounts: o.Accounts, Catalog: o.Catalog, Feedback: o.Feedback},
		&surveys.Room{Kit: k, Surveys: o.Surveys, Crises: o.Crises},
		&risks.Room{Kit: k, Risks: o.Risks, Accounts: o.Accounts},
		&work.Room{Kit: k, Work: o.Work, Accounts: o.Accounts},
	}
}

// nav is the main menu, in order; inbox counts the unread notices for its
// badge, waiting what waits for the reader (the dashboard's, kept live).
func nav(inbox, waiting func(*http.Request, int64) int) []kit.NavItem {
	return []kit.NavItem{
		{Key: "nav.dashboard", Href: kit.DeskPath, ID: "nav-dashboard", Action: authz.ViewDashboard, Badge: waiting,
			BadgeKey: "waiting.count", LiveSrc: desk.WaitingPath},
		{Key: "nav.crises", Href: crises.Path, ID: "nav-crises", Action: authz.ViewCrises},
		{Key: "nav.notices", Href: notices.Path, ID: "nav-notices", Action: authz.ViewNotices},
		{Key: "nav.inbox", Href: desk.InboxPath, ID: "nav-inbox", Action: authz.ReadInternalNotice, Badge: inbox},
		{Key: "nav.drills", Href: drills.Path, ID: "nav-drills", Action: authz.ViewDrills},
		{Key: "nav.risks", Href: risks.Path, ID: "nav-risks", Action: authz.ViewRisks},
		{Key: "nav.work", Href: work.Path, ID: "nav-work", Action: authz.ViewWork},
		{Key: "nav.evaluation", Href: evaluation.Path, ID: "nav-evaluation", Action: authz.ViewEvaluation},
		{Key: "nav.lessons", Href: evaluation.LessonsPath, ID: "nav-lessons", Action: authz.SearchLessons},
		{Key: "nav.actions", Href: webactions.Path, ID: "nav-actions", Action: authz.ViewActions},
		{Key: "nav.meetings", Href: meetings.Path, ID: "nav-meetings", Action: authz.ViewMeetings},
		{Key: "nav.reports", Href: reports.Path, ID: "nav-reports", Action: authz.ViewReports},
		{Key: "nav.feedback", Href: feedbackroom.Path, ID: "nav-feedback", Action: authz.ViewFeedback},
		{Key: "nav.rumours", Href: rumours.Path, ID: "nav-rumours", Action: authz.ViewRumours},
		{Key: "nav.surveys", Href: surveys.Path, ID: "nav-surveys", Action: authz.ViewSurveys},
		{Key: "nav.team", Href: teamroom.Path, ID: "nav-team", Action: authz.ViewTeam},
		{Key: "nav.media", Href: media.Path, ID: "nav-media", Action: authz.ViewMedia},
		{Key: "nav.resources", Href: resources.Path, ID: "nav-resources", Action: authz.ViewResources},
		{Key: "nav.plans", Href: plans.Path, ID: "nav-plans", Action: authz.ViewPlans},
		{Key: "nav.catalog", Href: plans.CatalogPath, ID: "nav-catalog", Action: authz.ViewPlans},
		{Key: "nav.users", Href: admin.UsersPath, ID: "nav-users", Action: authz.ViewUsers},
		{Key: "nav.departments", Href: admin.DepartmentsPath, ID: "nav-departments", Action: authz.ViewDepartments},
		{Key: "nav.experts", Href: admin.ExpertsPath, ID: "nav-experts", Action: authz.ManageExperts},
		{Key: "nav.audit", Href: admin.AuditPath, ID: "nav-audit", Action: authz.ViewAudit},
		{Key: "nav.office", Href: admin.OfficePath, ID: "nav-office", Action: authz.ManageOffice},
		{Key: "nav.subscribers", Href: subscribers.Path, ID: "nav-subscribers", Action: authz.ViewSubscribers},
		{Key: "nav.webhooks", Href: subscribers.WebhooksPath, ID: "nav-webhooks", Action: authz.ManageWebhooks},
		{Key: "nav.channels", Href: subscribers.ChannelsPath, ID: "nav-channels", Action: authz.TestChannels},
	}
}

// room is one area of the staff UI: a package with its own templates (its
// Pages, given to kit.New) and its own rows on the kit.
type room interface {
	Routes() []kit.Route
}

// Handler serves the staff UI.
type Handler struct {
	kit    *kit.Kit
	routes []kit.Route
}

// New parses every room's templates and fingerprints the static files, so
// that a broken template stops startup instead of a page, and lists every
// room's routes.
func New(o Options) (*Handler, error) {
	if name := o.missing(); name != "" {
		return nil, errors.New("web: Options." + name + " is required")
	}
	home := &desk.Room{Crises: o.Crises, Plans: o.Plans, Notices: o.Notices, Deliveries: o.Deliveries, Accounts: o.Accounts,
		NoticeAlerts: o.NoticeAlerts, Deadlines: o.Deadlines,
		Team:  o.Team,
		Risks: o.Risks,
	}
	k, err := kit.New(kit.Options{Catalog: o.Catalog, Sessions: o.Sessions, Live: o.Live, Clock: o.Clock,
		Location: o.Location, Logger: o.Logger, Version: o.Version, BaseURL: o.BaseURL, Nav: nav(home.Unread, home.Waiting), Pages: pages()})
	if err != nil {
		return nil, err
	}
	h := &Handler{kit: k, routes: []kit.Route{k.Static()}}
	for _, rm := range rooms(o, k, home) {
		h.routes = append(h.routes, rm.Routes()...)
	}
	return h, nil
}

// Routes returns the route table: every method and pattern the staff UI
// serves, with the access it needs.
func (h *Handler) Routes() []authz.Route {
	out := make([]authz.Route, len(h.routes))
	for i, rt := range h.routes {
		out[i] = rt.Route
	}
	return out
}

// Register mounts every route on mux, and the permanent redirects from
// the staff pages' former paths. It registers no catch-all: the app owns
// "/" and may send unknown paths to NotFound.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, rt := range h.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, h.kit.Wrap(rt))
	}
	registerMoved(mux)
}

// NotFound writes the translated 404 page, for paths no surface serves.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.kit.NotFound(w, r)
}
