package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
	"crisisdesk/internal/subscriber"
)

// FanoutWorker writes a published notice's delivery records.
type FanoutWorker struct {
	river.WorkerDefaults[delivery.FanoutArgs]
	Engine *delivery.Engine
}

// Timeout lets a fan-out of millions run; it saves its checkpoint per batch.
func (w *FanoutWorker) Timeout(*river.Job[delivery.FanoutArgs]) time.Duration {
	return 30 * time.Minute
}

// Work walks the recipients from the checkpoint.
func (w *FanoutWorker) Work(ctx context.Context, job *river.Job[delivery.FanoutArgs]) error {
	return w.Engine.Fanout(ctx, job.Args.NoticeID)
}

// SendWorker sends one channel's deliveries of a notice for one slice, then
// yields: it snoozes at once when work is left (so that a higher-priority
// notice can go first), until the next retry when one is due later, and
// finishes when nothing is pending.
type SendWorker struct {
	river.WorkerDefaults[delivery.SendArgs]
	Engine *delivery.Engine
}

// Timeout is longer than a slice plus the slowest batch of sends.
func (w *SendWorker) Timeout(*river.Job[delivery.SendArgs]) time.Duration { return 5 * time.Minute }

// Work sends.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[delivery.SendArgs]) error {
	res, err := w.Engine.Send(ctx, job.Args.NoticeID, job.Args.Channel)
	switch {
	case err != nil:
		return err
	case res.Again:
		return river.JobSnooze(0)
	case res.Wait > 0:
		return river.JobSnooze(res.Wait)
	}
	return nil
}

// SweepArgs looks for delivery work a dead process left behind.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "delivery_sweep" }

// StaleAfter is how long a fan-out or channel run may go without a
// heartbeat before it is restarted: longer than any one batch takes.
const StaleAfter = 30 * time.Second

// SweepWorker restarts stalled fan-outs and senders.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Engine *delivery.Engine
	Stale  time.Duration
}

// Work restarts what stalled.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	stale := w.Stale
	if stale <= 0 {
		stale = StaleAfter
	}
	_, err := w.Engine.RestartStalled(ctx, stale)
	return err
}

// ConfirmWorker sends a new subscriber's confirmation link or code.
type ConfirmWorker struct {
	river.WorkerDefaults[subscriber.ConfirmArgs]
	Engine  *delivery.Engine
	Store   *store.Store
	Catalog *i18n.Catalog
	Logger  *slog.Logger
}

// Work sends the confirmation; a permanent refusal is logged, not retried.
func (w *ConfirmWorker) Work(ctx context.Context, job *river.Job[subscriber.ConfirmArgs]) error {
	s, err := w.Store.Subscribers().Get(ctx, job.Args.SubscriberID)
	if err != nil {
		return fmt.Errorf("confirmation for subscriber %d: %w", job.Args.SubscriberID, err)
	}
	if s.Status != subscriber.Pending {
		return nil
	}
	err = w.Engine.SendConfirmation(ctx, w.Catalog, s, job.Args.Secret)
	if channel.IsPermanent(err) {
		w.Logger.Warn("confirmation refused", "subscriber", s.ID, "channel", s.Channel, "err", err)
		return river.JobCancel(err)
	}
	return err
}
