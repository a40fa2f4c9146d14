package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
)

// DrillMailWorker e-mails one drill message: an inject sent by e-mail, or
// a safety stop. Like AlertMailWorker, a temporary failure is retried and
// a refusal cancels the job. Without a mail server the message stays in
// the app only.
type DrillMailWorker struct {
	river.WorkerDefaults[drill.MailArgs]
	Store   *store.Store
	Mailer  *email.Sender // nil when no mail server is configured
	BaseURL string
	Logger  *slog.Logger
}

// Work sends the e-mail.
func (w *DrillMailWorker) Work(ctx context.Context, job *river.Job[drill.MailArgs]) error {
	if w.Mailer == nil {
		w.Logger.Debug("drill message not e-mailed: no mail server", "message", job.Args.MessageID)
		return nil
	}
	m, err := w.Store.DrillMail(ctx, job.Args.MessageID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.User.Disabled || m.User.Email == "" {
		return nil
	}
	retry, err := w.Mailer.SendMail(ctx, drillMessage(m, w.BaseURL))
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("drill message not e-mailed: refused", "message", m.Message.ID, "err", err)
		return river.JobCancel(err)
	}
	w.Logger.Warn("drill message e-mail failed, will retry", "message", m.Message.ID, "attempt", job.Attempt, "err", err)
	return err
}

// drillMessage is the e-mail of a drill message, marked EXERCISE (演練).
func drillMessage(m store.DrillMail, baseURL string) email.Message {
	link := strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/drills/%d", m.Drill.ID)
	subject := "[crisisdesk] EXERCISE 演練 — " + m.Drill.Title
	body := "EXERCISE 演練 — " + m.Message.Text
	switch m.Message.Kind {
	case "safety_stop":
		subject = "[crisisdesk] SAFETY STOP — " + m.Drill.Title
		body = "SAFETY STOP: the drill is stopped.\n\n" + m.Message.Text
	case "invitation":
		d := m.Drill
		subject = "[crisisdesk] Invitation: EXERCISE 演練 — " + d.Title
		body = fmt.Sprintf("You are invited to the drill %q (EXERCISE 演練).\n\nFrom %s to %s (UTC)\nVenue: %s\n\nYour drill calendar (iCalendar): %s",
			d.Title, d.StartsAt.UTC().Format("2006-01-02 15:04"), d.EndsAt.UTC().Format("2006-01-02 15:04"), d.Venue,
			strings.TrimRight(baseURL, "/")+"/desk/drills/my-calendar.ics")
	}
	return email.Message{To: m.User.Email, Subject: subject, Text: body + "\n\nOpen the drill: " + link + "\n",
		Headers: map[string]string{"X-Crisisdesk-Drill": fmt.Sprint(m.Drill.ID)}}
}
