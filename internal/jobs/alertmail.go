package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
)

// AlertMailWorker e-mails one clock alert. Each alert e-mail is a job of
// its own, enqueued with the alert, so that a mail server that fails for a
// while delays the e-mail instead of losing it: a temporary failure is
// retried with River's backoff, a permanent one cancels the job.
type AlertMailWorker struct {
	river.WorkerDefaults[crisis.AlertMailArgs]
	Store   *store.Store
	Mailer  *email.Sender // nil only after a restart without the mail server the jobs were enqueued for
	Catalog *i18n.Catalog // words the e-mail in its person's language; nil: the stored English text
	BaseURL string
	// Location is the office's time zone for the due time; nil is UTC.
	Location *time.Location
	Logger   *slog.Logger
}

// Work sends the e-mail unless it is no longer wanted.
func (w *AlertMailWorker) Work(ctx context.Context, job *river.Job[crisis.AlertMailArgs]) error {
	if w.Mailer == nil {
		w.Logger.Warn("clock alert not e-mailed: no mail server configured any more", "alert", job.Args.AlertID)
		return nil
	}
	m, err := w.Store.AlertMail(ctx, job.Args.AlertID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.User.Disabled || m.User.Email == "" || m.Settled {
		return nil
	}
	msg := alertMessage(m.Alert, m.User.Email, w.BaseURL)
	if w.Catalog != nil {
		msg = alertMessageIn(w.Catalog.For(m.User.Language), m, w.BaseURL, w.Location)
	}
	retry, err := w.Mailer.SendMail(ctx, msg)
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("clock alert not e-mailed: refused", "alert", m.Alert.ID, "to", m.User.Email, "err", err)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		w.Logger.Error("clock alert not e-mailed: giving up", "alert", m.Alert.ID, "to", m.User.Email,
			"attempts", job.Attempt, "err", err)
	default:
		w.Logger.Warn("clock alert e-mail failed, will retry", "alert", m.Alert.ID, "to", m.User.Email,
			"attempt", job.Attempt, "err", err)
	}
	return err
}

// alertMessage is the e-mail of a clock alert: its text, a link to the
// crisis room, and the crisis in a header for mail filters.
func alertMessage(a crisis.Alert, to, baseURL string) email.Message {
	link := strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/crises/%d", a.CrisisID)
	text := a.Text
	if a.Msg.Key != "" {
		if c, err := englishCatalog(); err == nil {
			text = c.For(i18n.English).Msg(a.Msg.Key, a.Msg.Args)
		}
	}
	subject := "[crisisdesk] " + text
	if a.Stage == crisis.ExpiredStage {
		subject = "[crisisdesk] OVERDUE: " + text
	}
	return email.Message{To: to, Subject: subject,
		Text:    text + "\n\nOpen the crisis room: " + link + "\n",
		Headers: map[string]string{"X-Crisisdesk-Crisis": fmt.Sprint(a.CrisisID)}}
}

// alertMessageIn words a clock alert in tr's language from its fields
// (the clock, its task, the crisis, the stage and the due time, in the
// office's time zone with the zone named), not from the English text
// stored with it.
func alertMessageIn(tr i18n.Translator, m store.AlertMail, baseURL string, loc *time.Location) email.Message {
	if loc == nil {
		loc = time.UTC
	}
	a := m.Alert
	link := strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/crises/%d", a.CrisisID)
	var clock string
	switch {
	case a.ClockName == string(crisis.ActivationClock):
		clock = tr.T("clock.activation")
	case a.ClockName == string(crisis.FirstNoticeClock):
		clock = tr.T("clock.first_notice")
	case a.ClockName == drill.ReportClock:
		clock = tr.T("clock.drill_report")
	case strings.HasPrefix(a.ClockName, "task:"):
		clock = tr.T("clock.task", "Title", a.Subject)
	default:
		clock = tr.T("clock.cadence_plain")
	}
	key := "alert.warn"
	if a.Stage == crisis.ExpiredStage {
		key = "alert.expired"
	}
	due := a.DueAt.In(loc)
	text := tr.T(key, "Clock", clock, "Crisis", m.CrisisTitle, "Due", due.Format("2006-01-02 15:04 ")+i18n.ZoneLabel(due))
	return email.Message{To: m.User.Email, Subject: "[crisisdesk] " + text,
		Text:    text + "\n\n" + tr.T("alert.mail_open", "Link", link) + "\n",
		Headers: map[string]string{"X-Crisisdesk-Crisis": fmt.Sprint(a.CrisisID)}}
}

// englishCatalog words an alert e-mailed without a catalogue.
var englishCatalog = sync.OnceValues(i18n.New)
