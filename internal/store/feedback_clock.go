package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
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

// startFeedbackClocks starts the reply-by clocks of feedback just
// inserted, in bulk: one INSERT for the clocks and one for their alert
// jobs, as StartDeadline schedules them (at 80 % and at expiry). The
// feedback is new, so no clock of it is open to replace. One statement a
// batch instead of four a row is what lets the intake take a surge.
func (tx *Tx) startFeedbackClocks(ctx context.Context, fs []feedback.Feedback, watchers []int64) error {
	if len(fs) == 0 {
		return nil
	}
	w := mustJSON(nonNilIDs(watchers))
	ids := make(map[int64]int64, len(fs)) // feedback id → deadline id
	for lo := 0; lo < len(fs); lo += intakeBatchRows {
		part := fs[lo:min(lo+intakeBatchRows, len(fs))]
		var b strings.Builder
		b.WriteString(`INSERT INTO deadlines (kind, subject_kind, subject_id, crisis_id, owner_id, watchers, link, args, started_at, due_at) VALUES `)
		args := make([]any, 0, len(part)*10)
		for i, f := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range 10 {
				if j > 0 {
					b.WriteString(", ")
				}
				placeholder(&b, tx.store.engine, len(args)+j+1)
			}
			b.WriteByte(')')
			args = append(args, feedback.DeadlineKind, feedback.SubjectKind, f.ID, nullInt(f.CrisisID), nullInt(f.OwnerID), w,
				"/desk/feedback/"+strconv.FormatInt(f.ID, 10), mustJSON(map[string]string{"ref": f.Ref}), f.CreatedAt.UTC(), f.ReplyDue.UTC())
		}
		b.WriteString(` RETURNING id, subject_id`)
		rows, err := tx.Query(ctx, b.String(), args...)
		if err != nil {
			return fmt.Errorf("start reply-by clocks: %w", err)
		}
		for rows.Next() {
			var id, subject int64
			if err := rows.Scan(&id, &subject); err != nil {
				rows.Close()
				return fmt.Errorf("start reply-by clocks: %w", err)
			}
			ids[subject] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("start reply-by clocks: %w", err)
		}
	}
	jobs := make([]river.InsertManyParams, 0, 2*len(fs))
	for _, f := range fs {
		d := deadline.Deadline{ID: ids[f.ID], StartedAt: f.CreatedAt, DueAt: f.ReplyDue}
		if d.ID == 0 {
			return fmt.Errorf("start reply-by clocks: feedback %d has none", f.ID)
		}
		if tx.Now.Before(d.WarnAt()) {
			jobs = append(jobs, river.InsertManyParams{Args: deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.WarnStage},
				InsertOpts: &river.InsertOpts{ScheduledAt: d.WarnAt(), Priority: 2}})
		}
		jobs = append(jobs, river.InsertManyParams{Args: deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.ExpiredStage},
			InsertOpts: &river.InsertOpts{ScheduledAt: d.DueAt, Priority: 2}})
	}
	if _, err := tx.store.inserter.InsertManyFastTx(ctx, tx.tx, jobs); err != nil {
		return fmt.Errorf("schedule reply-by alerts: %w", err)
	}
	return nil
}

// BackdateFeedback records that feedback id came in at at, not when it
// was stored: its reply-by time and clock move with it. It is for the demo
// and for feedback received elsewhere and entered late; it is audited.
func (s *Store) BackdateFeedback(ctx context.Context, a authz.Actor, id int64, at time.Time) (feedback.Feedback, error) {
	var out feedback.Feedback
	err := s.InTx(ctx, func(tx *Tx) error {
		f, err := txFeedback(ctx, tx, id)
		if err != nil {
			return err
		}
		before := f
		f.CreatedAt, f.ReplyDue = at.UTC(), at.UTC().Add(feedback.ReplyWithin(f.Category))
		for i := range f.Steps {
			if f.Steps[i].Action == "receive" {
				f.Steps[i].At = f.CreatedAt
			}
		}
		if out, err = tx.saveFeedback(ctx, f, f.Lock); err != nil {
			return err
		}
		if out.State.Open() {
			watchers, err := tx.feedbackWatchers(ctx)
			if err != nil {
				return err
			}
			if err := tx.startFeedbackClock(ctx, out, watchers); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "feedback.backdate", "feedback", strconv.FormatInt(id, 10), auditFeedback(before), auditFeedback(out))
	})
	return out, err
}
