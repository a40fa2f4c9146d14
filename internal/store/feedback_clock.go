package store

import (
	"context"
	"fmt"
	"strconv"

	"crisisdesk/internal/deadline"
	"crisisdesk/internal/feedback"
)

// Every piece of feedback has a reply-by clock in the deadlines table
// (kind feedback.DeadlineKind): started when it comes in, moved when its
// category, owner or crisis changes, met by the reply, cancelled when it
// is merged or closed unanswered. Its alerts at 80 % and at expiry go to
// the owner and to the office's commanders.

// feedbackWatchers are those alerted of every reply-by clock besides
// its owner: the active commanders.
func (tx *Tx) feedbackWatchers(ctx context.Context) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'commander' AND NOT disabled ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read the commanders: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read the commanders: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func feedbackSubject(id int64) deadline.Subject {
	return deadline.Subject{Kind: feedback.SubjectKind, ID: id}
}

// startFeedbackClock (re)starts f's reply-by clock, from when f came in.
func (tx *Tx) startFeedbackClock(ctx context.Context, f feedback.Feedback, watchers []int64) error {
	_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: feedback.DeadlineKind, Subject: feedbackSubject(f.ID),
		CrisisID: f.CrisisID, OwnerID: f.OwnerID, Watchers: watchers, Link: "/desk/feedback/" + strconv.FormatInt(f.ID, 10),
		Args: map[string]string{"ref": f.Ref}, StartedAt: f.CreatedAt, DueAt: f.ReplyDue})
	return err
}

// syncFeedbackClock brings f's clock in line with a change from before.
func (tx *Tx) syncFeedbackClock(ctx context.Context, before, f feedback.Feedback) error {
	subj := feedbackSubject(f.ID)
	switch {
	case f.State == feedback.Replied && before.State.Open():
		return tx.MeetDeadline(ctx, feedback.DeadlineKind, subj)
	case (f.State == feedback.Merged || f.State == feedback.Closed) && before.State.Open():
		return tx.CancelDeadline(ctx, feedback.DeadlineKind, subj)
	case f.State.Open() && (before.ReplyDue != f.ReplyDue || before.OwnerID != f.OwnerID || before.CrisisID != f.CrisisID):
		watchers, err := tx.feedbackWatchers(ctx)
		if err != nil {
			return err
		}
		return tx.startFeedbackClock(ctx, f, watchers)
	}
	return nil
}
