package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/store"
)

// ClockAlertWorker alerts the owner of a clock and the commanders when it
// reaches 80 % and when it runs out: in the app always, by e-mail when a
// mail server is configured.
type ClockAlertWorker struct {
	river.WorkerDefaults[crisis.ClockAlertArgs]
	Store   *store.Store
	Mailer  *email.Sender // nil: in-app only
	BaseURL string
	Logger  *slog.Logger
}

// Work records the alerts and sends the e-mails.
func (w *ClockAlertWorker) Work(ctx context.Context, job *river.Job[crisis.ClockAlertArgs]) error {
	alerts, users, err := w.Store.AlertClock(ctx, job.Args.ClockID, job.Args.Stage)
	if err != nil {
		return err
	}
	if w.Mailer == nil || len(alerts) == 0 {
		return nil
	}
	byUser := map[int64]crisis.Alert{}
	for _, a := range alerts {
		byUser[a.UserID] = a
	}
	var failed []string
	for _, u := range users {
		a, ok := byUser[u.ID]
		if !ok || u.Email == "" {
			continue
		}
		link := strings.TrimRight(w.BaseURL, "/") + fmt.Sprintf("/desk/crises/%d", a.CrisisID)
		subject := "[crisisdesk] " + a.Text
		if a.Stage == crisis.ExpiredStage {
			subject = "[crisisdesk] OVERDUE: " + a.Text
		}
		retry, err := w.Mailer.SendMail(ctx, email.Message{To: u.Email, Subject: subject,
			Text:    a.Text + "\n\nOpen the crisis room: " + link + "\n",
			Headers: map[string]string{"X-Crisisdesk-Crisis": fmt.Sprint(a.CrisisID)}})
		if err != nil {
			w.Logger.Warn("clock alert e-mail failed", "to", u.Email, "retryable", retry, "err", err)
			failed = append(failed, u.Email)
		}
	}
	// The in-app alerts are recorded and will not repeat; a retry of the
	// job would find nothing to alert, so e-mail failures are reported,
	// not retried.
	if len(failed) > 0 {
		w.Logger.Error("clock alert not e-mailed", "clock", job.Args.ClockID, "recipients", failed)
	}
	return nil
}
