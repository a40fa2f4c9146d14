package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/store"
)

// ClockAlertWorker alerts the owner of a clock and the commanders when it
// reaches 80 % and when it runs out: in the app always, by e-mail when a
// mail server is configured. The e-mails are AlertMailWorker jobs,
// enqueued with the alerts, so that a failed one is retried on its own.
type ClockAlertWorker struct {
	river.WorkerDefaults[crisis.ClockAlertArgs]
	Store *store.Store
	Mail  bool // a mail server is configured
}

// Work records the alerts and, with a mail server, enqueues their e-mails.
func (w *ClockAlertWorker) Work(ctx context.Context, job *river.Job[crisis.ClockAlertArgs]) error {
	alert := w.Store.AlertClock
	if w.Mail {
		alert = w.Store.AlertClockAndMail
	}
	_, _, err := alert(ctx, job.Args.ClockID, job.Args.Stage)
	return err
}
