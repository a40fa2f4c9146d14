// Package app is the one place that wires crisisdesk together: store, job
// runner, surfaces and server. The command line, tests and browser tests
// all boot the same App, on port 0 when they like, and read Addr.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"crisisdesk/internal/account"
	"crisisdesk/internal/api"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/jobs"
	"crisisdesk/internal/live"
	"crisisdesk/internal/office"
	"crisisdesk/internal/public"
	"crisisdesk/internal/report"
	"crisisdesk/internal/server"
	"crisisdesk/internal/session"
	"crisisdesk/internal/sso"
	"crisisdesk/internal/store"
	"crisisdesk/internal/team"
	"crisisdesk/internal/web"
)

// Options configure an App.
type Options struct {
	Config  config.Config
	Logger  *slog.Logger
	Clock   clock.Clock
	Version string
	// Out receives what an operator must see once, such as the first
	// admin's generated password. Default io.Discard.
	Out io.Writer
	// JobPollInterval overrides how often jobs are polled for on SQLite.
	JobPollInterval time.Duration
	// SweepEvery and StaleAfter override how often stalled delivery work
	// is looked for and how old its heartbeat must be (tests).
	SweepEvery, StaleAfter time.Duration
	// Passwords is the cost of password hashes; the zero value is
	// account.Production, and only tests set another (accounttest).
	Passwords account.Hashing
	// SubscribeRate overrides how many public sign-up requests one client
	// address may make a minute, on the site and the API alike (tests);
	// 0 keeps each surface's default.
	SubscribeRate int
}

// App is a running crisisdesk.
type App struct {
	Store    *store.Store
	Live     *live.Broker
	Web      *web.Handler
	Public   *public.Site
	API      *api.API
	Delivery *delivery.Engine
	server   *server.Server
	jobs     *jobs.Runner
	log      *slog.Logger
	cleanups []func(context.Context) error // run last-first by Stop
	served   chan error
}

// New binds the listen address, opens and migrates the database, creates the first admin when there
// are no users, and builds every part. Requests are served from Start on.
func New(ctx context.Context, opts Options) (_ *App, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	a := &App{log: opts.Logger}
	defer func() {
		if err != nil {
			a.Stop(context.Background())
		}
	}()

	// Bind first: a port in use is reported before anything is touched.
	reg := prometheus.NewRegistry()
	a.server = server.New(server.Options{Addr: opts.Config.Addr, Logger: opts.Logger, Registry: reg, Ready: a.ready,
		TrustedProxies: opts.Config.TrustedProxies, MetricsAddr: opts.Config.MetricsAddr, MetricsToken: opts.Config.MetricsToken})
	if err := a.server.Listen(); err != nil {
		return nil, err
	}
	a.cleanups = append(a.cleanups, func(context.Context) error { return a.server.CloseListener() })
	baseURL := opts.Config.BaseURL
	if baseURL == "" { // embedded in tests: the address it is bound to
		baseURL = "http://" + a.server.Addr()
	}
	// So is an identity provider that cannot be used.
	idp, err := newIdentityProvider(ctx, opts.Config, baseURL, opts.Clock)
	if err != nil {
		return nil, err
	}

	// The audit key file is read before the database is touched: a bad
	// one stops here.
	keyFile := opts.Config.AuditKeyFile
	if keyFile == "" && strings.HasPrefix(opts.Config.DB, "sqlite:") {
		keyFile = config.DefaultAuditKeyFile(opts.Config.DB)
	}
	if keyFile == "" { // config.Load always sets it; an embedder must too
		return nil, fmt.Errorf("setting --audit-key-file is required with PostgreSQL: replicas share one key file")
	}
	auditKey, err := readAuditKey(keyFile, opts.Logger)
	if err != nil {
		return nil, err
	}

	a.Live = live.NewBroker()
	st, err := store.Open(ctx, opts.Config.DB, store.Options{Clock: opts.Clock, Logger: opts.Logger, Live: a.Live, Passwords: opts.Passwords})
	if err != nil {
		return nil, err
	}
	a.Store = st
	a.cleanups = append(a.cleanups, func(context.Context) error { return st.Close() })
	// The key is in hand before migrating: a migration that repairs data
	// audits it, and a keyed chain takes no row without its key.
	st.UseAuditKey(auditKey)
	if _, err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := adoptAuditKey(ctx, st, keyFile, auditKey, opts.Logger); err != nil {
		return nil, err
	}
	// Sessions and tokens note their last use in memory; it is written in
	// batches, and once more when the app stops (after the server has
	// drained, as cleanups run last-first), before the database closes.
	flushCtx, stopFlushing := context.WithCancel(context.WithoutCancel(ctx))
	flushed := make(chan struct{})
	go func() { defer close(flushed); st.FlushLastUsedEvery(flushCtx, store.LastUsedFlushEvery) }()
	a.cleanups = append(a.cleanups, func(ctx context.Context) error {
		stopFlushing()
		<-flushed
		return st.FlushLastUsed(ctx)
	})
	if err := Bootstrap(ctx, st, opts.Config.AdminPassword, opts.Out); err != nil {
		return nil, err
	}
	if _, err := st.SeedCatalog(ctx); err != nil {
		return nil, fmt.Errorf("load the default catalogue: %w", err)
	}
	if _, err := st.SeedRisks(ctx); err != nil {
		return nil, fmt.Errorf("load the default risk register: %w", err)
	}
	if err := st.SeedKPIs(ctx); err != nil {
		return nil, fmt.Errorf("load the KPI definitions: %w", err)
	}
	// Settings stored by the admins are checked like the flags: a bad one
	// (changed outside crisisdesk) stops the start with one line.
	if err := checkOffice(ctx, st.Office()); err != nil {
		return nil, err
	}
	var mailer *email.Sender
	if opts.Config.SMTPURL != "" {
		if mailer, err = email.New(opts.Config.SMTPURL, opts.Config.MailFrom); err != nil {
			return nil, fmt.Errorf("setting --smtp-url: %w", err)
		}
		a.cleanups = append(a.cleanups, func(context.Context) error { return mailer.Close() })
	}

	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(newDBCollector(st))
	variant := opts.Config.ChineseVariant
	if variant == "std" {
		variant = ""
	}
	chinese, err := hanzi.New(variant)
	if err != nil {
		return nil, err
	}
	// The UI writes Traditional Chinese in the same glyph standard as the
	// conversions.
	catalog, err := i18n.NewGlyphs(chinese.Glyphs)
	if err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	deliv, err := newDelivery(opts.Config, st, catalog, chinese, mailer, baseURL, opts.Clock, opts.Logger, reg)
	if err != nil {
		return nil, err
	}
	a.Delivery = deliv.engine
	a.cleanups = append(a.cleanups, func(context.Context) error { deliv.webhook.CloseIdleConnections(); return nil })
	jobMetrics := jobs.NewMetrics(reg, st)
	reports := st.Reports(opts.Config.TimeZone, report.Policy{}) // the monthly progress reports
	if a.jobs, err = jobs.New(ctx, jobs.Options{Store: st, Logger: opts.Logger, Metrics: jobMetrics,
		PollInterval: opts.JobPollInterval, Mailer: mailer, BaseURL: opts.Config.BaseURL, Reports: reports, Clock: opts.Clock,
		Delivery: deliv.engine, Catalog: catalog, DeliveryWorkers: opts.Config.DeliveryWorkers,
		SweepEvery: opts.SweepEvery, StaleAfter: cmp.Or(opts.StaleAfter, opts.Config.DeliveryTakeover),
		Location: opts.Config.TimeZone}); err != nil {
		return nil, err
	}
	a.cleanups = append(a.cleanups, func(context.Context) error { a.jobs.Close(); return nil })
	sessions := &session.Manager{Accounts: st.Accounts(), Secure: opts.Config.SecureCookies}
	// The three surfaces are independent: build them at once, since
	// parsing templates and registering the API's operations is most of
	// the start-up.
	var site *public.Site
	var webErr, apiErr, siteErr error
	var built sync.WaitGroup
	built.Go(func() {
		a.Web, webErr = web.New(web.Options{Accounts: st.Accounts(), Audit: st.Audit(), Sessions: sessions,
			Catalog: catalog, Live: a.Live, Clock: opts.Clock, Logger: opts.Logger, Version: opts.Version,
			Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), NoticeAlerts: st.NoticeAlerts(), Deadlines: st,
			Subscribers: st.Subscribers(), Endpoints: st.Endpoints(), Deliveries: st.Deliveries(), Channels: deliv.engine,
			Chinese: chinese, Location: opts.Config.TimeZone, IdentityProvider: idp,
			Messages: deliv.messages, BaseURL: baseURL, Office: st.Office(),
			// Wave 2: one line per area.
			Drills: st.Drills(), Experts: st.Experts(),
			Actions: st.Actions(), Meetings: st.Meetings(), Reports: reports,
			Feedback: st.Feedback(),
			Rumours:  st.Rumours(), Surveys: st.Surveys(),
			Team:  st.Team(),
			Press: st.Press(), Resources: st.Resources(), ResourcePeople: team.ResourceView{Team: st.Team()}, ResourceCover: team.ResourceView{Team: st.Team()},
			Risks: st.Risks(), Work: st.Work(),
			Evaluation: st.Evaluation(), Lessons: st.Lessons(), Reviews: st.Reviews(),
		})
	})
	built.Go(func() {
		a.API, apiErr = api.New(api.Options{Accounts: st.Accounts(), Office: st.Office(), Audit: st.Audit(), Sessions: sessions,
			Plans: st.Plans(), Crises: st.Crises(), Notices: st.Notices(), Chinese: chinese, Live: a.Live, Clock: opts.Clock,
			Catalog: catalog, Logger: opts.Logger, Version: opts.Version,
			Signup: deliv.signup, Endpoints: st.Endpoints(), Deliveries: st.Deliveries(), ParseSecret: webhook.ParseSecret,
			CanSend: deliv.engine.Has, SubscribeLimit: opts.SubscribeRate,
			// Wave 2: one line per area.
			Drills: st.Drills(), Experts: st.Experts(),
			Actions:  st.Actions(),
			Feedback: st.Feedback(),
			Rumours:  st.Rumours(), Surveys: st.Surveys(),
			Team:  st.Team(),
			Press: st.Press(), Resources: st.Resources(),
			Risks: st.Risks(), Work: st.Work(),
			Evaluation: st.Evaluation(), Reviews: st.Reviews(), Lessons: st.Lessons(),
		})
	})
	built.Go(func() {
		site, siteErr = public.New(public.Options{Notices: st.Notices(), Crises: st.Crises(), Plans: st.Plans(),
			Catalog: catalog, Office: st.Office(), Live: a.Live, BaseURL: baseURL, Logger: opts.Logger, Clock: opts.Clock,
			Signup: deliv.signup, CanSend: deliv.engine.Has, SMSInboundToken: opts.Config.SMSInbound, SMSFormat: opts.Config.SMSFormat,
			Location: opts.Config.TimeZone, SecureCookies: opts.Config.SecureCookies, SubscribeRate: opts.SubscribeRate,
			Chinese: chinese,
			// Wave 2: one line per area.
			Feedback: st.Feedback(), FeedbackRate: opts.Config.FeedbackRate, FeedbackMailSecret: opts.Config.FeedbackMailSecret,
			Rumours: st.Rumours(), Surveys: st.Surveys(),
		})
	})
	built.Wait()
	switch {
	case webErr != nil:
		return nil, fmt.Errorf("web: %w", webErr)
	case apiErr != nil:
		return nil, fmt.Errorf("api: %w", apiErr)
	case siteErr != nil:
		return nil, fmt.Errorf("public site: %w", siteErr)
	}

	a.server.OnShutdown(a.Live.Close)
	a.server.Mux.Handle("/api/v1/", a.API.Handler())
	a.Web.Register(a.server.Mux)
	a.Public = site
	site.Register(a.server.Mux)
	if opts.Config.FastPath {
		a.server.FastPath(site.Respond)
	}
	a.server.Mux.HandleFunc("/", a.Web.NotFound)
	return a, nil
}

// checkOffice validates the stored office settings.
func checkOffice(ctx context.Context, o office.Service) error {
	p, err := o.Profile(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("office settings (%s): %v", "/desk/admin/office", err)
	}
	return nil
}

// newIdentityProvider discovers the office's OpenID Connect provider when
// one is configured; nil when none is. A provider that cannot be reached
// or read stops start-up with one line naming the setting.
func newIdentityProvider(ctx context.Context, c config.Config, baseURL string, clk clock.Clock) (web.IdentityProvider, error) {
	if c.OIDCIssuer == "" {
		return nil, nil
	}
	p, err := sso.Discover(ctx, sso.Config{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret,
		RedirectURL: baseURL + sso.CallbackPath, Scopes: c.OIDCScopes, Clock: clk,
		Claims: account.ClaimMap{RolesClaim: c.OIDCRolesClaim, Rules: c.OIDCRoleMap, DepartmentClaim: c.OIDCDepartmentClaim}})
	if err != nil {
		return nil, fmt.Errorf("setting --oidc-issuer: %w", err)
	}
	return p, nil
}

// ready reports whether the database answers, its schema is current and a
// write commits within store.WriteProbeTimeout.
func (a *App) ready(ctx context.Context) error {
	if err := a.Store.Ping(ctx); err != nil {
		return err
	}
	if err := a.Store.CheckSchema(ctx); err != nil {
		return err
	}
	return a.Store.CheckWrites(ctx)
}

// Start starts the job runner and serves in the background on the
// address New bound.
func (a *App) Start(ctx context.Context) error {
	if err := a.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	a.cleanups = append(a.cleanups, a.jobs.Stop)
	listenCtx, stopListening := context.WithCancel(context.WithoutCancel(ctx))
	go a.Store.ListenLive(listenCtx, a.Live)
	a.Public.Start(listenCtx)
	a.cleanups = append(a.cleanups, func(context.Context) error { a.Public.Stop(); return nil })
	a.cleanups = append(a.cleanups, func(context.Context) error { stopListening(); return nil })
	a.served = make(chan error, 1)
	go func() { a.served <- a.server.Serve() }()
	a.cleanups = append(a.cleanups, a.server.Shutdown)
	a.log.Info("crisisdesk listening", "addr", "http://"+a.server.Addr(), "engine", a.Store.Engine())
	if m := a.server.MetricsAddr(); m != "" {
		a.log.Info("metrics listening", "addr", "http://"+m+"/metrics")
	}
	return nil
}

// Addr returns the address the server listens on.
func (a *App) Addr() string { return a.server.Addr() }

// MetricsAddr returns the address of the /metrics listener, empty when
// /metrics has none of its own (--metrics-addr).
func (a *App) MetricsAddr() string { return a.server.MetricsAddr() }

// Handler returns the full HTTP handler, for tests that need no listener.
func (a *App) Handler() http.Handler { return a.server.Handler() }

// Done is closed-with-a-value when the server stops serving on its own
// (an error), so that serve can exit.
func (a *App) Done() <-chan error { return a.served }

// Stop shuts down in reverse order of start: the server drains requests,
// the job runner finishes running jobs, the database closes; all within
// ctx.
func (a *App) Stop(ctx context.Context) error {
	var errs []error
	for i := len(a.cleanups) - 1; i >= 0; i-- {
		if err := a.cleanups[i](ctx); err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
		}
	}
	a.cleanups = nil
	return errors.Join(errs...)
}
