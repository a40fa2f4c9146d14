package jobs

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
)

// DeadlineAlertWorker alerts a deadline's owner and watchers at 80 % and
// at expiry: in the app always, by e-mail when a mail server is
// configured (a DeadlineMailWorker job per alert, enqueued with it).
type DeadlineAlertWorker struct {
	river.WorkerDefaults[deadline.AlertArgs]
	Store *store.Store
	Mail  bool
}

// Work records the alerts.
func (w *DeadlineAlertWorker) Work(ctx context.Context, job *river.Job[deadline.AlertArgs]) error {
	_, err := w.Store.AlertDeadline(ctx, job.Args.DeadlineID, job.Args.Stage, w.Mail)
	return err
}

// DeadlineMailWorker e-mails one deadline alert in its person's language,
// with the due time in the office's time zone.
type DeadlineMailWorker struct {
	river.WorkerDefaults[deadline.MailArgs]
	Store    *store.Store
	Mailer   *email.Sender
	Catalog  *i18n.Catalog
	BaseURL  string
	Location *time.Location
	Logger   *slog.Logger
}

// Work sends the e-mail unless the deadline was settled meanwhile.
func (w *DeadlineMailWorker) Work(ctx context.Context, job *river.Job[deadline.MailArgs]) error {
	if w.Mailer == nil || w.Catalog == nil {
		w.Logger.Warn("deadline alert not e-mailed: no mail server configured any more", "alert", job.Args.AlertID)
		return nil
	}
	m, err := w.Store.DeadlineAlertMail(ctx, job.Args.AlertID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.User.Disabled || m.User.Email == "" || m.Settled {
		return nil
	}
	msg := DeadlineMessage(w.Catalog.For(m.User.Language), m.Alert, m.User.Email, w.BaseURL, w.Location)
	retry, err := w.Mailer.SendMail(ctx, msg)
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("deadline alert not e-mailed: refused", "alert", m.Alert.ID, "user", m.User.ID, "err", err)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		w.Logger.Error("deadline alert not e-mailed: giving up", "alert", m.Alert.ID, "user", m.User.ID, "err", err)
	}
	return err
}

// DeadlineText words a deadline alert in tr's language, the due time in
// loc with its zone named.
func DeadlineText(tr i18n.Translator, a deadline.Alert, loc *time.Location) string {
	return tr.Msg(a.Msg(loc))
}

// DeadlineMessage is the e-mail of a deadline alert.
func DeadlineMessage(tr i18n.Translator, a deadline.Alert, to, baseURL string, loc *time.Location) email.Message {
	text := DeadlineText(tr, a, loc)
	subject := "[crisisdesk] " + text
	body := text + "\n"
	if a.Deadline.Link != "" {
		body += "\n" + tr.T("deadline.mail_open", "Link", strings.TrimRight(baseURL, "/")+a.Deadline.Link) + "\n"
	}
	return email.Message{To: to, Subject: subject, Text: body,
		Headers: map[string]string{"X-Crisisdesk-Deadline": a.Deadline.Kind}}
}
