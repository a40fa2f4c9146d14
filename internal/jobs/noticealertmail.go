package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

// NoticeAlertMailWorker e-mails one notice alert — a notice submitted for
// a person's decision, or returned to its author — in the person's
// language. Its jobs are enqueued with the alerts; without a mail server
// the alert stays in the app only.
type NoticeAlertMailWorker struct {
	river.WorkerDefaults[notice.AlertMailArgs]
	Store   *store.Store
	Mailer  *email.Sender // nil: in-app alerts only
	Catalog *i18n.Catalog
	BaseURL string
	Logger  *slog.Logger
}

// Work sends the e-mail unless it is no longer wanted.
func (w *NoticeAlertMailWorker) Work(ctx context.Context, job *river.Job[notice.AlertMailArgs]) error {
	if w.Mailer == nil {
		return nil
	}
	m, err := w.Store.NoticeAlertMail(ctx, job.Args.AlertID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.User.Disabled || m.User.Email == "" || m.Settled {
		return nil
	}
	var tr i18n.Translator // without a catalogue (a test), the keys
	if w.Catalog != nil {
		tr = w.Catalog.For(m.User.Language)
	}
	retry, err := w.Mailer.SendMail(ctx, noticeAlertMessage(tr, m, w.BaseURL))
	switch {
	case err == nil:
		return nil
	case !retry:
		w.Logger.Error("notice alert not e-mailed: refused", "alert", m.Alert.ID, "to", m.User.Email, "err", err)
		return river.JobCancel(err)
	default:
		w.Logger.Warn("notice alert e-mail failed", "alert", m.Alert.ID, "to", m.User.Email, "attempt", job.Attempt, "err", err)
	}
	return err
}

// noticeAlertMessage words a notice alert for its person: what happened,
// by whom, the notice's headline, and a link to its staff page.
func noticeAlertMessage(tr i18n.Translator, m store.NoticeAlertMail, baseURL string) email.Message {
	link := strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/notices/%d", m.Notice.ID)
	headline := ""
	if len(m.Notice.Contents) > 0 {
		headline = m.Notice.Contents[0].Headline
	}
	kind := string(m.Alert.Kind)
	subject := tr.T("waiting.mail."+kind+".subject", "ID", m.Notice.ID, "Headline", headline)
	body := tr.T("waiting.mail."+kind+".body", "ID", m.Notice.ID, "Headline", headline, "Name", m.Alert.ActorName, "Link", link)
	return email.Message{To: m.User.Email, Subject: "[crisisdesk] " + subject, Text: body + "\n",
		Headers: map[string]string{"X-Crisisdesk-Notice": fmt.Sprint(m.Notice.ID)}}
}
