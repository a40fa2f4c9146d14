// Package jobs runs crisisdesk's background work on River: the working
// client (riversqlite on SQLite, riverpgxv5 on PostgreSQL), its workers and
// its periodic jobs. Jobs are enqueued by the store inside the transaction
// of the change that causes them (store.Tx.Enqueue).
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/report"
	"crisisdesk/internal/store"
)

// Options configure the runner.
type Options struct {
	Store  *store.Store
	Logger *slog.Logger
	// PollInterval is how often workers look for new jobs where the engine
	// cannot notify them (SQLite). Default 1s.
	PollInterval time.Duration
	// Metrics receives job outcomes; may be nil.
	Metrics *Metrics
	// Mailer sends e-mail alerts; nil for in-app alerts only.
	Mailer *email.Sender
	// BaseURL is where people reach crisisdesk, for links in e-mails.
	BaseURL string
	// Reports are the monthly progress reports; nil runs no report work.
	Reports report.Service
	// Clock tells the periodic work the time (nil: the real clock).
	Clock clock.Clock
	// Delivery is the delivery engine; nil runs no delivery work.
	Delivery *delivery.Engine
	// Catalog renders confirmation messages.
	Catalog *i18n.Catalog
	// DeliveryWorkers is how many delivery jobs run at once here
	// (default 6).
	DeliveryWorkers int
	// SweepEvery is how often stalled delivery work is looked for
	// (default 10s); StaleAfter how old a heartbeat must be (default 30s).
	SweepEvery, StaleAfter time.Duration
	// Location is the office's time zone, in which alert e-mails give
	// due times; nil means UTC.
	Location *time.Location
}

// Runner is the started or stoppable job client. It hides River's
// engine-specific transaction type.
type Runner struct {
	start  func(context.Context) error
	stop   func(context.Context) error
	cancel func(context.Context) error // stop and cancel running jobs
	close  func()
}

// New builds the working client with every worker and periodic job
// registered.
func New(ctx context.Context, opts Options) (*Runner, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &AuditVerifyWorker{Audit: opts.Store.Audit(), Logger: opts.Logger, Metrics: opts.Metrics})
	river.AddWorker(workers, &PurgeWorker{Store: opts.Store, Logger: opts.Logger})
	river.AddWorker(workers, &ReviewReminderWorker{Store: opts.Store, Mailer: opts.Mailer, Catalog: opts.Catalog, BaseURL: opts.BaseURL, Logger: opts.Logger})
	river.AddWorker(workers, &ClockAlertWorker{Store: opts.Store, Mail: opts.Mailer != nil})
	river.AddWorker(workers, &DrillInjectWorker{Store: opts.Store})
	river.AddWorker(workers, &DrillActionDueWorker{Store: opts.Store})
	river.AddWorker(workers, &DrillMailWorker{Store: opts.Store, Mailer: opts.Mailer, BaseURL: opts.BaseURL, Logger: opts.Logger})
	river.AddWorker(workers, &MeetingMailWorker{Store: opts.Store, Mailer: opts.Mailer, BaseURL: opts.BaseURL, Location: opts.Location, Logger: opts.Logger})
	river.AddWorker(workers, &AlertMailWorker{Store: opts.Store, Mailer: opts.Mailer, Catalog: opts.Catalog, BaseURL: opts.BaseURL,
		Location: opts.Location, Logger: opts.Logger})
	river.AddWorker(workers, &DeadlineAlertWorker{Store: opts.Store, Mail: opts.Mailer != nil})
	river.AddWorker(workers, &DeadlineMailWorker{Store: opts.Store, Mailer: opts.Mailer, Catalog: opts.Catalog, BaseURL: opts.BaseURL,
		Location: opts.Location, Logger: opts.Logger})
	river.AddWorker(workers, &NoticeAlertMailWorker{Store: opts.Store, Mailer: opts.Mailer, Catalog: opts.Catalog, BaseURL: opts.BaseURL, Logger: opts.Logger})
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
	periodic := periodicJobs()
	if opts.Reports != nil {
		if opts.Clock == nil {
			opts.Clock = clock.Real{}
		}
		river.AddWorker(workers, &ReportGenerateWorker{Reports: opts.Reports, Clock: opts.Clock, Logger: opts.Logger})
		river.AddWorker(workers, &ReportMailWorker{Store: opts.Store, Reports: opts.Reports, Mailer: opts.Mailer, Catalog: opts.Catalog,
			Location: opts.Location, BaseURL: opts.BaseURL, Logger: opts.Logger})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return report.GenerateArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "monthly_report_generate", RunOnStart: true}))
	}
	if opts.Delivery != nil {
		river.AddWorker(workers, &FanoutWorker{Engine: opts.Delivery})
		river.AddWorker(workers, &SendWorker{Engine: opts.Delivery})
		river.AddWorker(workers, &SweepWorker{Engine: opts.Delivery, Stale: opts.StaleAfter})
		river.AddWorker(workers, &ConfirmWorker{Engine: opts.Delivery, Store: opts.Store, Catalog: opts.Catalog, Logger: opts.Logger})
		river.AddWorker(workers, &FeedbackReplyWorker{Store: opts.Store, Engine: opts.Delivery, Catalog: opts.Catalog, BaseURL: opts.BaseURL, Logger: opts.Logger})
		river.AddWorker(workers, &SurveySendWorker{Engine: opts.Delivery, Store: opts.Store, Catalog: opts.Catalog, BaseURL: opts.BaseURL, Logger: opts.Logger})
		if opts.DeliveryWorkers <= 0 {
			opts.DeliveryWorkers = 6
		}
		if opts.StaleAfter <= 0 {
			opts.StaleAfter = StaleAfter
		}
		if opts.SweepEvery <= 0 {
			opts.SweepEvery = min(10*time.Second, max(time.Second, opts.StaleAfter/3))
		}
		queues[delivery.Queue] = river.QueueConfig{MaxWorkers: opts.DeliveryWorkers}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(opts.SweepEvery),
			func() (river.JobArgs, *river.InsertOpts) {
				return SweepArgs{}, &river.InsertOpts{Queue: delivery.Queue}
			},
			&river.PeriodicJobOpts{ID: "delivery_sweep", RunOnStart: true}))
	}

	cfg := &river.Config{
		Queues:            queues,
		Workers:           workers,
		PeriodicJobs:      periodic,
		Logger:            opts.Logger.With("component", "river"),
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     min(opts.PollInterval, 100*time.Millisecond),
		JobTimeout:        10 * time.Minute,
	}
	if opts.Metrics != nil {
		cfg.Middleware = []rivertype.Middleware{opts.Metrics}
	}
	switch opts.Store.Engine() {
	case store.SQLite:
		c, err := river.NewClient(riversqlite.New(opts.Store.Writer()), cfg)
		if err != nil {
			return nil, fmt.Errorf("job runner: %w", err)
		}
		return &Runner{start: c.Start, stop: c.Stop, cancel: c.StopAndCancel, close: func() {}}, nil
	case store.Postgres:
		pool, err := pgxpool.New(ctx, opts.Store.DSN())
		if err != nil {
			return nil, fmt.Errorf("job runner: connect: %w", err)
		}
		c, err := river.NewClient[pgx.Tx](riverpgxv5.New(pool), cfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("job runner: %w", err)
		}
		return &Runner{start: c.Start, stop: c.Stop, cancel: c.StopAndCancel, close: pool.Close}, nil
	}
	return nil, fmt.Errorf("job runner: unknown engine %q", opts.Store.Engine())
}

// Start starts working jobs in the background.
func (r *Runner) Start(ctx context.Context) error { return r.start(ctx) }

// Stop stops fetching new jobs and waits for running ones until ctx ends;
// jobs still running then are cancelled (River retries them later), so
// shutdown stays within its bound.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.stop(ctx)
	if err != nil && ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = r.cancel(cctx)
		cancel()
	}
	r.close()
	return err
}

// Close releases the runner's own database connections (PostgreSQL); for
// a runner never started, Stop is not needed. Closing twice is harmless.
func (r *Runner) Close() { r.close() }

// nightly runs at 03:00 UTC each day, a quiet hour for the checks.
type nightly struct{}

func (nightly) Next(t time.Time) time.Time {
	t = t.UTC()
	n := time.Date(t.Year(), t.Month(), t.Day(), 3, 0, 0, 0, time.UTC)
	if !n.After(t) {
		n = n.AddDate(0, 0, 1)
	}
	return n
}

func periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(nightly{}, func() (river.JobArgs, *river.InsertOpts) {
			return AuditVerifyArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "audit_verify"}),
		river.NewPeriodicJob(nightly{}, func() (river.JobArgs, *river.InsertOpts) {
			return ReviewReminderArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "plan_review_reminder", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return PurgeArgs{}, nil
		}, &river.PeriodicJobOpts{ID: "purge_expired", RunOnStart: true}),
	}
}
