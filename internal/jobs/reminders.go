package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel/email"
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
		state := fmt.Sprintf("falls due on %s", r.Plan.ReviewDue.Format("2006-01-02"))
		if r.Plan.Lapsed(now) {
			state = fmt.Sprintf("lapsed on %s", r.Plan.ReviewDue.Format("2006-01-02"))
		}
		text := fmt.Sprintf("The review of plan %q (%s v%d) %s.", r.Plan.Title, r.Plan.Code, r.Plan.Version, state)
		w.Logger.Info("plan review reminder", "plan", r.Plan.Code, "author", r.Author.Name, "state", state)
		if w.Mailer == nil || r.Author.Email == "" {
			continue
		}
		link := strings.TrimRight(w.BaseURL, "/") + fmt.Sprintf("/desk/plans/%d", r.Plan.ID)
		if _, err := w.Mailer.SendMail(ctx, email.Message{To: r.Author.Email, Subject: "[crisisdesk] " + text,
			Text: text + "\n\nOpen the plan to revise it: " + link + "\n"}); err != nil {
			w.Logger.Warn("plan review reminder not e-mailed", "to", r.Author.Email, "err", err)
		}
	}
	return nil
}
