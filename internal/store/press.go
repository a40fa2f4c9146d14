package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/press"
)

// Press returns the media desk's service.
func (s *Store) Press() press.Service { return &pressDesk{s} }

type pressDesk struct{ s *Store }

var _ press.Service = (*pressDesk)(nil)

const journalistColumns = `id, name, outlet, language, beat, email, phone, channels, consent, active, version`

func scanJournalist(r rowScanner) (press.Journalist, error) {
	var j press.Journalist
	var chs string
	if err := r.Scan(&j.ID, &j.Name, &j.Outlet, &j.Language, &j.Beat, &j.Email, &j.Phone, &chs, &j.Consent, &j.Active, &j.Version); err != nil {
		return j, err
	}
	if err := jsonUnmarshal(chs, &j.Channels); err != nil {
		return j, fmt.Errorf("journalist %d channels: %w", j.ID, err)
	}
	return j, nil
}

func (p *pressDesk) Journalists(ctx context.Context) ([]press.Journalist, error) {
	return queryAll(ctx, p.s.reader, "journalists", scanJournalist,
		`SELECT `+journalistColumns+` FROM journalists ORDER BY outlet, name, id`)
}

func (p *pressDesk) Journalist(ctx context.Context, id int64) (press.Journalist, error) {
	j, err := scanJournalist(p.s.reader.QueryRowContext(ctx, `SELECT `+journalistColumns+` FROM journalists WHERE id = $1`, id))
	if err != nil {
		return j, notFound(err, "journalist", id)
	}
	return j, nil
}

func txJournalist(ctx context.Context, tx *Tx, id int64) (press.Journalist, error) {
	j, err := scanJournalist(tx.QueryRow(ctx, `SELECT `+journalistColumns+` FROM journalists WHERE id = $1`, id))
	if err != nil {
		return j, notFound(err, "journalist", id)
	}
	return j, nil
}

// auditJournalist keeps a journalist's contact details out of the audit
// trail: it records that they changed, not what they are.
func auditJournalist(j press.Journalist) map[string]any {
	return map[string]any{"name": j.Name, "outlet": j.Outlet, "language": j.Language, "beat": j.Beat,
		"channels": j.Channels, "consent": j.Consent, "active": j.Active, "has_email": j.Email != "", "has_phone": j.Phone != ""}
}

func (p *pressDesk) AddJournalist(ctx context.Context, a authz.Actor, j press.Journalist) (press.Journalist, error) {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return j, err
	}
	j.Normalize()
	if err := j.Validate(); err != nil {
		return j, err
	}
	var out press.Journalist
	err := p.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO journalists (name, outlet, language, beat, email, phone, channels, consent, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`, j.Name, j.Outlet, j.Language, j.Beat, j.Email, j.Phone,
			mustJSON(orEmpty(j.Channels)), j.Consent, j.Active, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert journalist: %w", err)
		}
		var err error
		if out, err = txJournalist(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "journalist.create", "journalist", strconv.FormatInt(id, 10), nil, auditJournalist(out))
	})
	return out, err
}

func (p *pressDesk) SaveJournalist(ctx context.Context, a authz.Actor, j press.Journalist) (press.Journalist, error) {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return j, err
	}
	j.Normalize()
	if err := j.Validate(); err != nil {
		return j, err
	}
	var out press.Journalist
	err := p.s.InTx(ctx, func(tx *Tx) error {
		before, err := txJournalist(ctx, tx, j.ID)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE journalists SET name = $1, outlet = $2, language = $3, beat = $4, email = $5, phone = $6,
			channels = $7, consent = $8, active = $9, updated_at = $10, version = version + 1 WHERE id = $11 AND version = $12`,
			j.Name, j.Outlet, j.Language, j.Beat, j.Email, j.Phone, mustJSON(orEmpty(j.Channels)), j.Consent, j.Active, tx.Now, j.ID, j.Version)
		if err != nil {
			return fmt.Errorf("update journalist %d: %w", j.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "journalist %s was changed by someone else: reload and try again", before.Name)
		}
		if out, err = txJournalist(ctx, tx, j.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "journalist.update", "journalist", strconv.FormatInt(j.ID, 10), auditJournalist(before), auditJournalist(out))
	})
	return out, err
}

const inquiryColumns = `id, crisis_id, journalist_id, asker, outlet, channel, question, received_at, owner_id, reply_by,
	reply, replied_at, replied_by, notice_ids, created_by, created_at, version`

func scanInquiry(r rowScanner) (press.Inquiry, error) {
	var q press.Inquiry
	var crisisID, journalistID, repliedBy, createdBy sql.NullInt64
	var replied sql.NullTime
	var notices string
	if err := r.Scan(&q.ID, &crisisID, &journalistID, &q.Asker, &q.Outlet, &q.Channel, &q.Question, &q.ReceivedAt, &q.OwnerID, &q.ReplyBy,
		&q.Reply, &replied, &repliedBy, &notices, &createdBy, &q.CreatedAt, &q.Version); err != nil {
		return q, err
	}
	q.CrisisID, q.JournalistID, q.RepliedBy, q.CreatedBy = crisisID.Int64, journalistID.Int64, repliedBy.Int64, createdBy.Int64
	q.ReceivedAt, q.ReplyBy, q.CreatedAt, q.RepliedAt = utc(q.ReceivedAt), utc(q.ReplyBy), utc(q.CreatedAt), timeOf(replied)
	if err := jsonUnmarshal(notices, &q.NoticeIDs); err != nil {
		return q, fmt.Errorf("inquiry %d notices: %w", q.ID, err)
	}
	return q, nil
}

func txInquiry(ctx context.Context, tx *Tx, id int64) (press.Inquiry, error) {
	q, err := scanInquiry(tx.QueryRow(ctx, `SELECT `+inquiryColumns+` FROM media_inquiries WHERE id = $1`, id))
	if err != nil {
		return q, notFound(err, "inquiry", id)
	}
	return q, nil
}

func (p *pressDesk) Inquiry(ctx context.Context, id int64) (press.Inquiry, error) {
	q, err := scanInquiry(p.s.reader.QueryRowContext(ctx, `SELECT `+inquiryColumns+` FROM media_inquiries WHERE id = $1`, id))
	if err != nil {
		return q, notFound(err, "inquiry", id)
	}
	return q, nil
}

func (p *pressDesk) Inquiries(ctx context.Context, f press.InquiryFilter) ([]press.Inquiry, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	cond, args := "1 = 1", []any{}
	if f.CrisisID != 0 {
		args = append(args, f.CrisisID)
		cond += fmt.Sprintf(" AND crisis_id = $%d", len(args))
	}
	if f.OpenOnly {
		cond += " AND replied_at IS NULL"
	}
	var total int
	if err := p.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM media_inquiries WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count inquiries: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, p.s.reader, "inquiries", scanInquiry, fmt.Sprintf(`SELECT `+inquiryColumns+` FROM media_inquiries WHERE %s
		ORDER BY CASE WHEN replied_at IS NULL THEN 0 ELSE 1 END, reply_by, id DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

// checkInquiryRefs refuses a crisis, journalist or owner that does not
// exist, naming the field.
func checkInquiryRefs(ctx context.Context, tx *Tx, q press.Inquiry) error {
	var f fault.Fields
	for _, c := range []struct {
		field, table string
		id           int64
	}{{"crisis_id", "crises", q.CrisisID}, {"journalist_id", "journalists", q.JournalistID}, {"owner_id", "users", q.OwnerID}} {
		if c.id == 0 {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE id = $1`, c.id).Scan(&n); err != nil {
			return fmt.Errorf("check %s: %w", c.field, err)
		}
		if n == 0 {
			f.Add(c.field, "there is no %s %d", c.table, c.id)
		}
	}
	return f.Err()
}

func (p *pressDesk) LogInquiry(ctx context.Context, a authz.Actor, q press.Inquiry) (press.Inquiry, error) {
	if err := authz.Require(a, authz.AnswerInquiry); err != nil {
		return q, err
	}
	q.Normalize()
	if err := q.Validate(); err != nil {
		return q, err
	}
	var out press.Inquiry
	err := p.s.InTx(ctx, func(tx *Tx) error {
		if err := checkInquiryRefs(ctx, tx, q); err != nil {
			return err
		}
		if q.JournalistID != 0 {
			j, err := txJournalist(ctx, tx, q.JournalistID)
			if err != nil {
				return err
			}
			if q.Asker == "" {
				q.Asker = j.Name
			}
			if q.Outlet == "" {
				q.Outlet = j.Outlet
			}
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO media_inquiries (crisis_id, journalist_id, asker, outlet, channel, question, received_at,
			owner_id, reply_by, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			nullInt(q.CrisisID), nullInt(q.JournalistID), q.Asker, q.Outlet, q.Channel, q.Question, q.ReceivedAt, q.OwnerID, q.ReplyBy,
			nullInt(a.UserID), tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert inquiry: %w", err)
		}
		var err error
		if out, err = txInquiry(ctx, tx, id); err != nil {
			return err
		}
		if err := startInquiryClock(ctx, tx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "inquiry.create", "inquiry", strconv.FormatInt(id, 10), nil, auditInquiry(out))
	})
	return out, err
}

func auditInquiry(q press.Inquiry) map[string]any {
	return map[string]any{"ref": q.Ref(), "crisis_id": q.CrisisID, "journalist_id": q.JournalistID, "channel": q.Channel,
		"owner_id": q.OwnerID, "reply_by": q.ReplyBy, "replied_at": q.RepliedAt, "notice_ids": q.NoticeIDs}
}

func (p *pressDesk) AnswerInquiry(ctx context.Context, a authz.Actor, id int64, reply string, notices []int64) (press.Inquiry, error) {
	if err := authz.Require(a, authz.AnswerInquiry); err != nil {
		return press.Inquiry{}, err
	}
	var out press.Inquiry
	err := p.s.InTx(ctx, func(tx *Tx) error {
		before, err := txInquiry(ctx, tx, id)
		if err != nil {
			return err
		}
		q, err := press.Answer(before, a.UserID, tx.Now, reply, notices)
		if err != nil {
			return err
		}
		for _, nid := range q.NoticeIDs {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notices WHERE id = $1`, nid).Scan(&n); err != nil {
				return fmt.Errorf("check notice %d: %w", nid, err)
			}
			if n == 0 {
				return fault.Field("notice_ids", "there is no notice %d", nid)
			}
		}
		res, err := tx.Exec(ctx, `UPDATE media_inquiries SET reply = $1, replied_at = $2, replied_by = $3, notice_ids = $4,
			version = version + 1 WHERE id = $5 AND replied_at IS NULL`, q.Reply, q.RepliedAt, nullInt(q.RepliedBy), mustJSON(orEmpty(q.NoticeIDs)), id)
		if err != nil {
			return fmt.Errorf("answer inquiry %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "inquiry %s was already answered", before.Ref())
		}
		if out, err = txInquiry(ctx, tx, id); err != nil {
			return err
		}
		if err := meetInquiryClock(ctx, tx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "inquiry.answer", "inquiry", strconv.FormatInt(id, 10), auditInquiry(before), auditInquiry(out))
	})
	return out, err
}
