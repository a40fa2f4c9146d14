package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"crisisdesk/internal/feedback"
)

// The intake of feedback is built for a surge: thousands of submissions
// a second, each acknowledged only once it is durable. Submissions that
// arrive while a commit is under way wait for the next one and are
// written together in one transaction (group commit): the first one in
// starts a drainer, which commits whatever has queued up, again and again,
// until nothing waits. So one fsync serves a whole batch, and a quiet
// office pays no delay at all. On SQLite the batch commits with
// synchronous=FULL, so that an acknowledged submission survives a power
// cut, not only a crash of the process.

// intakeBatchRows is how many rows one INSERT statement carries; a batch
// may have several statements.
const intakeBatchRows = 300

// intakeTimeout bounds one batch's commit.
const intakeTimeout = 30 * time.Second

// pendingFeedback is one submission waiting for its commit.
type pendingFeedback struct {
	f    feedback.Feedback
	done chan error
}

// feedbackIntake is the queue of submissions waiting to be committed.
type feedbackIntake struct {
	mu       sync.Mutex
	pending  []*pendingFeedback
	draining bool
}

// Submit validates a submission, queues it for the next group commit and
// returns it with its id and reference once that has committed.
func (fs *feedbackStore) Submit(ctx context.Context, s feedback.Submission) (feedback.Feedback, error) {
	f, err := feedback.Receive(s, fs.s.clock.Now().UTC())
	if err != nil {
		return f, err
	}
	if f.CrisisID != 0 || f.NoticeID != 0 || f.Source != feedback.Public {
		checked := feedback.Submission{CrisisID: f.CrisisID, NoticeID: f.NoticeID, Source: f.Source, SourceID: f.SourceID}
		if err := checkSubmission(ctx, fs.s.reader, checked); err != nil {
			return f, err
		}
	}
	p := &pendingFeedback{f: f, done: make(chan error, 1)}
	in := &fs.s.intake
	in.mu.Lock()
	in.pending = append(in.pending, p)
	start := !in.draining
	in.draining = true
	in.mu.Unlock()
	if start {
		go fs.s.drainFeedback()
	}
	// Wait for the commit whatever the caller's context says: the
	// submission is either durable or refused, never left in doubt here.
	if err := <-p.done; err != nil {
		return feedback.Feedback{}, err
	}
	return p.f, nil
}

// drainFeedback commits the queued submissions batch after batch until
// none waits.
func (s *Store) drainFeedback() {
	in := &s.intake
	for {
		in.mu.Lock()
		batch := in.pending
		in.pending = nil
		if len(batch) == 0 {
			in.draining = false
			in.mu.Unlock()
			return
		}
		in.mu.Unlock()
		err := s.commitFeedback(batch)
		if err != nil && isUnique(err) {
			// Two references alike (40 random bits): draw again once.
			for _, p := range batch {
				p.f.Ref = feedback.NewRef()
			}
			err = s.commitFeedback(batch)
		}
		if err != nil {
			s.log.Error("feedback: batch not committed", "rows", len(batch), "err", err)
		}
		for _, p := range batch {
			p.done <- err
		}
	}
}

// commitFeedback inserts a batch in one transaction and sets each row's
// id.
func (s *Store) commitFeedback(batch []*pendingFeedback) error {
	ctx, cancel := context.WithTimeout(context.Background(), intakeTimeout)
	defer cancel()
	var tx *sql.Tx
	var err error
	if s.engine == SQLite {
		conn, err := s.writer.Conn(ctx)
		if err != nil {
			return fmt.Errorf("feedback batch: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
			return fmt.Errorf("feedback batch: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = NORMAL`)
		tx, err = conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("feedback batch: begin: %w", err)
		}
	} else if tx, err = s.writer.BeginTx(ctx, nil); err != nil {
		return fmt.Errorf("feedback batch: begin: %w", err)
	}
	defer tx.Rollback()
	ids := map[string]int64{}
	for lo := 0; lo < len(batch); lo += intakeBatchRows {
		if err := insertFeedbackRows(ctx, tx, s.engine, batch[lo:min(lo+intakeBatchRows, len(batch))], ids); err != nil {
			return err
		}
	}
	// Each one's reply-by clock, in the same transaction.
	t := &Tx{tx: tx, store: s, Now: s.clock.Now()}
	watchers, err := t.feedbackWatchers(ctx)
	if err != nil {
		return err
	}
	fs := make([]feedback.Feedback, len(batch))
	for i, p := range batch {
		p.f.ID = ids[p.f.Ref]
		fs[i] = p.f
	}
	if err := t.startFeedbackClocks(ctx, fs, watchers); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		for _, p := range batch {
			p.f.ID = 0
		}
		return fmt.Errorf("feedback batch: commit: %w", err)
	}
	for _, f := range t.afterCommit {
		f()
	}
	return nil
}

// intakeCols are the columns a new submission fills; the rest take their
// defaults.
var intakeCols = []string{"ref", "channel", "source", "source_id", "message", "language", "contact", "crisis_id", "notice_id",
	"category", "priority", "state", "reply_due", "steps", "created_at", "updated_at"}

// placeholder writes the nth (1-based) parameter of a long statement:
// $n on PostgreSQL, ? on SQLite, whose parser looks every $n up in a
// list (quadratic in the parameters of a multi-row INSERT).
func placeholder(b *strings.Builder, engine Engine, n int) {
	if engine == SQLite {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}

func insertFeedbackRows(ctx context.Context, tx *sql.Tx, engine Engine, rows []*pendingFeedback, ids map[string]int64) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO feedback (` + strings.Join(intakeCols, ", ") + `) VALUES `)
	args := make([]any, 0, len(rows)*len(intakeCols))
	for i, p := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range intakeCols {
			if j > 0 {
				b.WriteString(", ")
			}
			placeholder(&b, engine, len(args)+j+1)
		}
		b.WriteByte(')')
		f := p.f
		args = append(args, f.Ref, string(f.Channel), string(f.Source), f.SourceID, f.Message, f.Language, f.Contact,
			nullInt(f.CrisisID), nullInt(f.NoticeID), string(f.Category), string(f.Priority), string(f.State),
			f.ReplyDue.UTC(), mustJSON(orEmpty(f.Steps)), f.CreatedAt.UTC(), f.UpdatedAt.UTC())
	}
	b.WriteString(` RETURNING id, ref`)
	res, err := tx.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return fmt.Errorf("feedback batch: insert: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var id int64
		var ref string
		if err := res.Scan(&id, &ref); err != nil {
			return fmt.Errorf("feedback batch: %w", err)
		}
		ids[ref] = id
	}
	if err := res.Err(); err != nil {
		return fmt.Errorf("feedback batch: insert: %w", err)
	}
	return nil
}
