package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/notice"
)

// feedbackStore implements feedback.Service.
type feedbackStore struct{ s *Store }

// Feedback returns the feedback service.
func (s *Store) Feedback() feedback.Service { return &feedbackStore{s} }

const feedbackColumns = `id, ref, channel, source, source_id, message, language, contact, crisis_id, notice_id,
	category, priority, owner_id, tags, state, reply_due, reply, reply_channel, replied_at, replied_by,
	action_note, action_at, action_by, merged_into, correction_id, rumour_id,
	faq_question, faq_answer, faq_published_at, faq_published_by, steps, created_at, updated_at, lock_version`

func scanFeedback(r rowScanner) (feedback.Feedback, error) {
	var f feedback.Feedback
	var channel, source, category, priority, state, replyChannel, tags, steps string
	var crisisID, noticeID, ownerID, repliedBy, actionBy, mergedInto, correctionID, rumourID, faqBy sql.NullInt64
	var replied, action, faqAt sql.NullTime
	if err := r.Scan(&f.ID, &f.Ref, &channel, &source, &f.SourceID, &f.Message, &f.Language, &f.Contact, &crisisID, &noticeID,
		&category, &priority, &ownerID, &tags, &state, &f.ReplyDue, &f.Reply, &replyChannel, &replied, &repliedBy,
		&f.ActionNote, &action, &actionBy, &mergedInto, &correctionID, &rumourID,
		&f.FAQ.Question, &f.FAQ.Answer, &faqAt, &faqBy, &steps, &f.CreatedAt, &f.UpdatedAt, &f.Lock); err != nil {
		return f, err
	}
	f.Channel, f.Source, f.Category = feedback.Channel(channel), feedback.Source(source), feedback.Category(category)
	f.Priority, f.State, f.ReplyChannel = feedback.Priority(priority), feedback.State(state), feedback.Channel(replyChannel)
	f.CrisisID, f.NoticeID, f.OwnerID, f.RepliedBy, f.ActionBy = crisisID.Int64, noticeID.Int64, ownerID.Int64, repliedBy.Int64, actionBy.Int64
	f.MergedInto, f.CorrectionID, f.RumourID, f.FAQ.PublishedBy = mergedInto.Int64, correctionID.Int64, rumourID.Int64, faqBy.Int64
	f.RepliedAt, f.ActionAt, f.FAQ.PublishedAt = timeOf(replied), timeOf(action), timeOf(faqAt)
	f.ReplyDue, f.CreatedAt, f.UpdatedAt = utc(f.ReplyDue), utc(f.CreatedAt), utc(f.UpdatedAt)
	if err := json.Unmarshal([]byte(tags), &f.Tags); err != nil {
		return f, fmt.Errorf("feedback %d tags: %w", f.ID, err)
	}
	if err := json.Unmarshal([]byte(steps), &f.Steps); err != nil {
		return f, fmt.Errorf("feedback %d steps: %w", f.ID, err)
	}
	return f, nil
}

// feedbackCols are the columns a change writes (not the id, the
// reference or the lock).
func feedbackCols(f feedback.Feedback) []col {
	return []col{
		{"channel", string(f.Channel)}, {"source", string(f.Source)}, {"source_id", f.SourceID},
		{"message", f.Message}, {"language", f.Language}, {"contact", f.Contact},
		{"crisis_id", nullInt(f.CrisisID)}, {"notice_id", nullInt(f.NoticeID)},
		{"category", string(f.Category)}, {"priority", string(f.Priority)}, {"owner_id", nullInt(f.OwnerID)},
		{"tags", mustJSON(orEmpty(f.Tags))}, {"state", string(f.State)}, {"reply_due", f.ReplyDue.UTC()},
		{"reply", f.Reply}, {"reply_channel", string(f.ReplyChannel)}, {"replied_at", nullTime(f.RepliedAt)}, {"replied_by", nullInt(f.RepliedBy)},
		{"action_note", f.ActionNote}, {"action_at", nullTime(f.ActionAt)}, {"action_by", nullInt(f.ActionBy)},
		{"merged_into", nullInt(f.MergedInto)}, {"correction_id", nullInt(f.CorrectionID)}, {"rumour_id", nullInt(f.RumourID)},
		{"faq_question", f.FAQ.Question}, {"faq_answer", f.FAQ.Answer},
		{"faq_published_at", nullTime(f.FAQ.PublishedAt)}, {"faq_published_by", nullInt(f.FAQ.PublishedBy)},
		{"steps", mustJSON(orEmpty(f.Steps))}, {"created_at", f.CreatedAt.UTC()}, {"updated_at", f.UpdatedAt.UTC()},
	}
}

// auditFeedback is the audit trail's view of feedback: never the
// contact, which the trail keeps for ever.
func auditFeedback(f feedback.Feedback) map[string]any {
	return map[string]any{"ref": f.Ref, "channel": f.Channel, "source": f.Source, "source_id": f.SourceID,
		"contact": feedback.MaskContact(f.Contact), "crisis_id": f.CrisisID, "category": f.Category, "priority": f.Priority,
		"owner_id": f.OwnerID, "tags": f.Tags, "state": f.State, "reply_due": f.ReplyDue, "reply": f.Reply,
		"reply_channel": f.ReplyChannel, "action": f.ActionNote, "merged_into": f.MergedInto,
		"correction_id": f.CorrectionID, "faq_question": f.FAQ.Question, "faq_answer": f.FAQ.Answer,
		"faq_published": f.FAQ.Published(), "lock": f.Lock}
}

func txFeedback(ctx context.Context, tx *Tx, id int64) (feedback.Feedback, error) {
	f, err := scanFeedback(tx.QueryRow(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = $1`, id))
	if err != nil {
		return f, notFound(err, "feedback", id)
	}
	return f, nil
}

func (fs *feedbackStore) Get(ctx context.Context, id int64) (feedback.Feedback, error) {
	f, err := scanFeedback(fs.s.reader.QueryRowContext(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE id = $1`, id))
	if err != nil {
		return f, notFound(err, "feedback", id)
	}
	return f, nil
}

func (fs *feedbackStore) ByRef(ctx context.Context, ref string) (feedback.Feedback, error) {
	norm := feedback.NormalizeRef(ref)
	if norm == "" {
		return feedback.Feedback{}, fault.New(fault.NotFound, "reference %q not found", ref)
	}
	f, err := scanFeedback(fs.s.reader.QueryRowContext(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE ref = $1`, norm))
	if err != nil {
		return f, notFound(err, "reference", norm)
	}
	return f, nil
}

func (fs *feedbackStore) Lookup(ctx context.Context, ref string) (feedback.Status, error) {
	f, err := fs.ByRef(ctx, ref)
	if err != nil {
		return feedback.Status{}, err
	}
	if f.MergedInto == 0 {
		return feedback.PublicOf(f, nil), nil
	}
	into, err := fs.Get(ctx, f.MergedInto)
	if err != nil {
		return feedback.Status{}, err
	}
	return feedback.PublicOf(f, &into), nil
}

func (fs *feedbackStore) List(ctx context.Context, f feedback.Filter) ([]feedback.Feedback, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.State != "" {
		add("state = $?", string(f.State))
	}
	if f.Category != "" {
		add("category = $?", string(f.Category))
	}
	if f.Channel != "" {
		add("channel = $?", string(f.Channel))
	}
	if f.CrisisID != 0 {
		add("crisis_id = $?", f.CrisisID)
	}
	if f.OwnerID != 0 {
		add("owner_id = $?", f.OwnerID)
	}
	if f.Tag != "" {
		add("tags LIKE $?", "%"+mustJSON(strings.ToLower(f.Tag))+"%") // the tag in quotes, as the JSON list holds it
	}
	if f.Overdue {
		add("state IN ('new', 'triaged') AND reply_due < $?", f.Now.UTC())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+q+"%", feedback.NormalizeRef(q))
		conds = append(conds, fmt.Sprintf("(message LIKE $%d OR ref = $%d)", len(args)-1, len(args)))
	}
	where := "1 = 1"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	var total int
	if err := fs.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count feedback: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, fs.s.reader, "feedback", scanFeedback, fmt.Sprintf(`SELECT `+feedbackColumns+
		` FROM feedback WHERE %s ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	return out, total, err
}

func (fs *feedbackStore) Tags(ctx context.Context) ([]string, error) {
	rows, err := fs.s.reader.QueryContext(ctx, `SELECT DISTINCT tags FROM feedback WHERE tags <> '[]'`)
	if err != nil {
		return nil, fmt.Errorf("read feedback tags: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("read feedback tags: %w", err)
		}
		var tags []string
		if err := json.Unmarshal([]byte(raw), &tags); err != nil {
			return nil, fmt.Errorf("read feedback tags: %w", err)
		}
		for _, t := range tags {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out, rows.Err()
}

func (fs *feedbackStore) FAQ(ctx context.Context, crisisID int64) ([]feedback.Entry, error) {
	return queryAll(ctx, fs.s.reader, "FAQ", func(r rowScanner) (feedback.Entry, error) {
		var e feedback.Entry
		err := r.Scan(&e.FeedbackID, &e.Question, &e.Answer, &e.PublishedAt)
		e.PublishedAt = utc(e.PublishedAt)
		return e, err
	}, `SELECT id, faq_question, faq_answer, faq_published_at FROM feedback
		WHERE crisis_id = $1 AND faq_published_at IS NOT NULL ORDER BY faq_published_at DESC, id DESC`, crisisID)
}

// checkSubmission refuses a crisis, a notice or a sender that does not
// exist.
func checkSubmission(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, s feedback.Submission) error {
	var f fault.Fields
	exists := func(table string, id int64) bool {
		var n int
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1`, id).Scan(&n) == nil && n == 1
	}
	if s.CrisisID != 0 && !exists("crises", s.CrisisID) {
		f.Add("crisis_id", "crisis %d does not exist", s.CrisisID)
	}
	if s.NoticeID != 0 && !exists("notices", s.NoticeID) {
		f.Add("notice_id", "notice %d does not exist", s.NoticeID)
	}
	switch s.Source {
	case feedback.Department:
		if !exists("departments", s.SourceID) {
			f.Add("source_id", "department %d does not exist", s.SourceID)
		}
	case feedback.Expert:
		if !exists("experts", s.SourceID) {
			f.Add("source_id", "expert %d does not exist", s.SourceID)
		}
	}
	return f.Err()
}

func (fs *feedbackStore) SubmitAs(ctx context.Context, a authz.Actor, s feedback.Submission) (feedback.Feedback, error) {
	if err := authz.Require(a, authz.SubmitFeedback); err != nil {
		return feedback.Feedback{}, err
	}
	s.Channel = feedback.Staff
	f, err := fs.Submit(ctx, s)
	if err != nil {
		return f, err
	}
	err = fs.s.InTx(ctx, func(tx *Tx) error {
		return tx.Audit(ctx, a, "feedback.record", "feedback", strconv.FormatInt(f.ID, 10), nil, auditFeedback(f))
	})
	return f, err
}

// change runs a transition on feedback id inside a transaction: load,
// rule (fn), save, audit. lock, when not 0, must match the stored one.
func (fs *feedbackStore) change(ctx context.Context, a authz.Actor, id, lock int64, action string,
	fn func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error)) (feedback.Feedback, error) {
	var out feedback.Feedback
	err := fs.s.InTx(ctx, func(tx *Tx) error {
		before, err := txFeedback(ctx, tx, id)
		if err != nil {
			return err
		}
		if lock != 0 && lock != before.Lock {
			return fault.New(fault.Conflict, "feedback %s was changed by someone else: reload and try again", before.Ref)
		}
		f, err := fn(tx, before)
		if err != nil {
			return err
		}
		if out, err = tx.saveFeedback(ctx, f, before.Lock); err != nil {
			return err
		}
		if err := tx.syncFeedbackClock(ctx, before, out); err != nil {
			return err
		}
		if before.FAQ != out.FAQ || (out.FAQ.Published() && before.CrisisID != out.CrisisID) {
			if err := tx.publicChanged(ctx, "faq", out.CrisisID); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "feedback."+action, "feedback", strconv.FormatInt(id, 10), auditFeedback(before), auditFeedback(out))
	})
	return out, err
}

// saveFeedback writes f over the stored row whose lock is lock.
func (tx *Tx) saveFeedback(ctx context.Context, f feedback.Feedback, lock int64) (feedback.Feedback, error) {
	set, args := setClause(feedbackCols(f)...)
	args = append(args, f.ID, lock)
	res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE feedback SET %s, lock_version = lock_version + 1 WHERE id = $%d AND lock_version = $%d`,
		set, len(args)-1, len(args)), args...)
	if err != nil {
		return f, fmt.Errorf("save feedback %d: %w", f.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return f, fault.New(fault.Conflict, "feedback %s was changed by someone else: reload and try again", f.Ref)
	}
	return txFeedback(ctx, tx, f.ID)
}

func (fs *feedbackStore) Triage(ctx context.Context, a authz.Actor, id, lock int64, t feedback.Triage) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, lock, "triage", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		out, err := feedback.ApplyTriage(f, a, tx.Now, t)
		if err != nil {
			return f, err
		}
		var fe fault.Fields
		if out.CrisisID != 0 {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crises WHERE id = $1`, out.CrisisID).Scan(&n); err != nil {
				return f, fmt.Errorf("check crisis: %w", err)
			}
			if n == 0 {
				fe.Add("crisis_id", "crisis %d does not exist", out.CrisisID)
			}
		}
		if out.OwnerID != 0 {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, out.OwnerID).Scan(&n); err != nil {
				return f, fmt.Errorf("check owner: %w", err)
			}
			if n == 0 {
				fe.Add("owner_id", "user %d does not exist or is disabled", out.OwnerID)
			}
		}
		return out, fe.Err()
	})
}

func (fs *feedbackStore) Reply(ctx context.Context, a authz.Actor, id int64, answer string) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "reply", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		out, err := feedback.Reply(f, a, tx.Now, answer)
		if err != nil || out.ReplyChannel == "" {
			return out, err
		}
		_, err = tx.Enqueue(ctx, feedback.ReplyArgs{FeedbackID: out.ID, RepliedAt: out.RepliedAt}, &river.InsertOpts{Priority: 2})
		return out, err
	})
}

func (fs *feedbackStore) TakeAction(ctx context.Context, a authz.Actor, id int64, note string) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "action", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		return feedback.TakeAction(f, a, tx.Now, note)
	})
}

func (fs *feedbackStore) Close(ctx context.Context, a authz.Actor, id int64, note string) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "close", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		return feedback.Close(f, a, tx.Now, note)
	})
}

func (fs *feedbackStore) Merge(ctx context.Context, a authz.Actor, dupID, intoID int64) (feedback.Feedback, error) {
	return fs.change(ctx, a, dupID, 0, "merge", func(tx *Tx, dup feedback.Feedback) (feedback.Feedback, error) {
		into, err := txFeedback(ctx, tx, intoID)
		if fault.Is(err, fault.NotFound) {
			return dup, fault.Field("into", "feedback %d does not exist", intoID)
		}
		if err != nil {
			return dup, err
		}
		d, in, err := feedback.Merge(dup, into, a, tx.Now)
		if err != nil {
			return dup, err
		}
		if _, err := tx.saveFeedback(ctx, in, into.Lock); err != nil {
			return dup, err
		}
		return d, nil
	})
}

func (fs *feedbackStore) Publish(ctx context.Context, a authz.Actor, id int64, question, answer string) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "publish", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		return feedback.Publish(f, a, tx.Now, question, answer)
	})
}

func (fs *feedbackStore) Unpublish(ctx context.Context, a authz.Actor, id int64) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "unpublish", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		return feedback.Unpublish(f, a, tx.Now)
	})
}

func (fs *feedbackStore) LinkCorrection(ctx context.Context, a authz.Actor, id, correctionID int64) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "link_correction", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		out, err := feedback.LinkCorrection(f, a, tx.Now, correctionID)
		if err != nil {
			return f, err
		}
		var kind string
		err = tx.QueryRow(ctx, `SELECT kind FROM notices WHERE id = $1`, correctionID).Scan(&kind)
		switch {
		case err == sql.ErrNoRows:
			return f, fault.Field("correction_id", "notice %d does not exist", correctionID)
		case err != nil:
			return f, fmt.Errorf("read notice %d: %w", correctionID, err)
		case notice.Kind(kind) != notice.Correction:
			return f, fault.Field("correction_id", "notice %d is not a correction", correctionID)
		}
		return out, nil
	})
}

func (fs *feedbackStore) LinkRumour(ctx context.Context, a authz.Actor, id, rumourID int64) (feedback.Feedback, error) {
	return fs.change(ctx, a, id, 0, "link_rumour", func(tx *Tx, f feedback.Feedback) (feedback.Feedback, error) {
		out, err := feedback.LinkRumour(f, a, tx.Now, rumourID)
		if err != nil || rumourID == 0 {
			return out, err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM rumours WHERE id = $1`, rumourID).Scan(&n); err != nil {
			return f, fmt.Errorf("read rumour %d: %w", rumourID, err)
		}
		if n == 0 {
			return f, fault.Field("rumour_id", "rumour %d does not exist", rumourID)
		}
		return out, nil
	})
}

func (fs *feedbackStore) ByRumour(ctx context.Context, rumourID int64) ([]feedback.Feedback, error) {
	return queryAll(ctx, fs.s.reader, "feedback of a rumour", scanFeedback,
		`SELECT `+feedbackColumns+` FROM feedback WHERE rumour_id = $1 ORDER BY created_at, id LIMIT 200`, rumourID)
}
