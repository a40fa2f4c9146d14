package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/store"
)

// FeedbackReplyWorker sends a reply to feedback back by the channel it
// came in on, through the delivery engine's adapters: an e-mail to the
// address, an SMS to the number. A reply replaced by a later one is not
// sent; a refusal (a bad address) is logged and not retried. The contact
// is never logged in full.
type FeedbackReplyWorker struct {
	river.WorkerDefaults[feedback.ReplyArgs]
	Store   *store.Store
	Engine  *delivery.Engine
	Catalog *i18n.Catalog
	BaseURL string
	Logger  *slog.Logger
}

// Work sends the reply.
func (w *FeedbackReplyWorker) Work(ctx context.Context, job *river.Job[feedback.ReplyArgs]) error {
	f, err := w.Store.Feedback().Get(ctx, job.Args.FeedbackID)
	if fault.Is(err, fault.NotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !f.RepliedAt.Equal(job.Args.RepliedAt) || f.Contact == "" {
		return nil // superseded by a later reply
	}
	m := ReplyMessage(w.Catalog, f, w.BaseURL)
	ch := channel.Email
	if f.ReplyChannel == feedback.SMS {
		ch = channel.SMS
	}
	sender, ok := w.Engine.Sender(ch)
	if !ok {
		w.Logger.Warn("feedback reply not sent: channel not configured", "ref", f.Ref, "channel", ch)
		return nil
	}
	err = sender.Send(ctx, m)
	switch {
	case err == nil:
		w.Logger.Info("feedback reply sent", "ref", f.Ref, "channel", ch, "to", feedback.MaskContact(f.Contact))
		return nil
	case channel.IsPermanent(err):
		w.Logger.Warn("feedback reply refused", "ref", f.Ref, "channel", ch, "to", feedback.MaskContact(f.Contact), "err", err)
		return river.JobCancel(err)
	}
	return fmt.Errorf("feedback reply %s: %w", f.Ref, err)
}

// ReplyMessage is the reply to f in its sender's language: the e-mail
// with the reference and the lookup link, or the SMS text.
func ReplyMessage(cat *i18n.Catalog, f feedback.Feedback, baseURL string) channel.Message {
	tr := cat.For(f.Language)
	link := strings.TrimRight(baseURL, "/") + "/feedback/" + f.Ref
	m := channel.Message{Key: fmt.Sprintf("feedback_%d_%d", f.ID, f.RepliedAt.Unix()), To: f.Contact, Language: f.Language,
		Timestamp: f.RepliedAt}
	m.Subject = tr.T("feedback.reply.subject", "Ref", f.Ref)
	m.Text = tr.T("feedback.reply.text", "Ref", f.Ref, "Reply", f.Reply, "Link", link)
	m.SMS = tr.T("feedback.reply.sms", "Ref", f.Ref, "Reply", f.Reply)
	return m
}
