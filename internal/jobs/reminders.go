package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
)

// ReviewReminderArgs asks for reminders about plans whose review is near
// or past. It runs daily.
type ReviewReminderArgs struct{}

// Kind names the job.
func (ReviewReminderArgs) Kind() string { return "plan_review_reminder" }

// ReviewWindow is how long before a plan's review date its author is
// reminded.
const ReviewWindow = 30 * 24 * time.Hour

// ReviewReminderWorker e-mails the author of each approved plan 30 days
// before its review falls due, and again once it has lapsed. The dashboard
// flags the same plans for everyone.
type ReviewReminderWorker struct {
	river.WorkerDefaults[ReviewReminderArgs]
	Store   *store.Store
	Mailer  *email.Sender
	Catalog *i18n.Catalog // words the e-mail in its author's language
	BaseURL string
	Logger  *slog.Logger
}

// Work sends the reminders.
func (w *ReviewReminderWorker) Work(ctx context.Context, job *river.Job[ReviewReminderArgs]) error {
	due, err := w.Store.DueReviewReminders(ctx, ReviewWindow)
	if err != nil {
		return err
	}
	now := w.Store.Clock().Now()
	for _, r := range due {
		w.Logger.Info("plan review reminder", "plan", r.Plan.Code, "author", r.Author.Name,
			"review_due", r.Plan.ReviewDue.Format("2006-01-02"), "lapsed", r.Plan.Lapsed(now))
		if w.Mailer == nil || r.Author.Email == "" {
			continue
		}
		tr := i18n.Translator{}
		if w.Catalog != nil {
			tr = w.Catalog.For(r.Author.Language)
		}
		if _, err := w.Mailer.SendMail(ctx, reminderMessage(tr, r, now, w.BaseURL)); err != nil {
			w.Logger.Warn("plan review reminder not e-mailed", "to", r.Author.Email, "err", err)
		}
	}
	return nil
}

// reminderMessage is the e-mail reminding r's author of the plan's review,
// in tr's language.
func reminderMessage(tr i18n.Translator, r store.ReviewReminder, now time.Time, baseURL string) email.Message {
	key := "systext.review_due"
	if r.Plan.Lapsed(now) {
		key = "systext.review_lapsed"
	}
	text := tr.T(key, "Plan", r.Plan.Title, "Code", r.Plan.Code, "Version", r.Plan.Version,
		"Date", r.Plan.ReviewDue.Format("2006-01-02"))
	link := strings.TrimRight(baseURL, "/") + fmt.Sprintf("/desk/plans/%d", r.Plan.ID)
	return email.Message{To: r.Author.Email, Subject: "[crisisdesk] " + text,
		Text: text + "\n\n" + tr.T("systext.review_open", "Link", link) + "\n"}
}
