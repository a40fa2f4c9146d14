package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
)

const entryColumns = `id, crisis_id, at, kind, event, actor_id, actor, text, attachment_name, attachment_type, attachment_size, msg_key, msg_args`

func scanEntryRow(r rowScanner) (crisis.Entry, error) {
	var e crisis.Entry
	var kind, args string
	err := r.Scan(&e.ID, &e.CrisisID, &e.At, &kind, &e.Event, &e.ActorID, &e.Actor, &e.Text,
		&e.AttachmentName, &e.AttachmentType, &e.AttachmentSize, &e.Msg.Key, &args)
	e.Kind, e.At = crisis.EntryKind(kind), utc(e.At)
	if err == nil && args != "" {
		if err = json.Unmarshal([]byte(args), &e.Msg.Args); err != nil {
			err = fmt.Errorf("timeline entry %d arguments: %w", e.ID, err)
		}
	}
	return e, err
}

func (cs *crises) Timeline(ctx context.Context, crisisID int64) ([]crisis.Entry, error) {
	return queryAll(ctx, cs.s.reader, "timeline", scanEntryRow, `SELECT `+entryColumns+` FROM crisis_timeline WHERE crisis_id = $1 ORDER BY at, id`, crisisID)
}

func (cs *crises) AddNote(ctx context.Context, a authz.Actor, crisisID int64, text string, att *crisis.Attachment) (crisis.Entry, error) {
	if err := authz.Require(a, authz.WriteTimeline); err != nil {
		return crisis.Entry{}, err
	}
	text = crisis.Text(text)
	if err := crisis.ValidateNote(text); err != nil {
		return crisis.Entry{}, err
	}
	var name, ctype string
	var data []byte
	if att != nil {
		name, ctype = strings.TrimSpace(att.Name), strings.TrimSpace(att.Type)
		var err error
		data, err = io.ReadAll(io.LimitReader(att.Body, crisis.MaxAttachment+1))
		if err != nil {
			return crisis.Entry{}, fmt.Errorf("read attachment: %w", err)
		}
		if len(data) > crisis.MaxAttachment {
			return crisis.Entry{}, fault.Field("attachment", "is larger than %d MiB", crisis.MaxAttachment>>20)
		}
		if name == "" {
			name = "attachment"
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
	}
	var out crisis.Entry
	err := cs.s.InTx(ctx, func(tx *Tx) error {
		if _, err := txCrisis(ctx, tx, crisisID); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO crisis_timeline (crisis_id, at, kind, event, actor_id, actor, text,
			attachment_name, attachment_type, attachment_size, attachment)
			VALUES ($1, $2, 'human', 'note', $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			crisisID, tx.Now, a.UserID, a.Name, text, name, ctype, len(data), nullBytes(data)).Scan(&id); err != nil {
			return fmt.Errorf("add note: %w", err)
		}
		var err error
		if out, err = scanEntryRow(tx.QueryRow(ctx, `SELECT `+entryColumns+` FROM crisis_timeline WHERE id = $1`, id)); err != nil {
			return err
		}
		tx.publish(crisisID, live.Event{Type: "timeline", ID: id})
		return tx.Audit(ctx, a, "timeline.note", "crisis", strconv.FormatInt(crisisID, 10), nil,
			map[string]any{"entry": id, "text": text, "attachment": name})
	})
	return out, err
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

func (cs *crises) Attachment(ctx context.Context, entryID int64) (crisis.Entry, []byte, error) {
	var data []byte
	row := cs.s.reader.QueryRowContext(ctx, `SELECT `+entryColumns+`, attachment FROM crisis_timeline WHERE id = $1`, entryID)
	var e crisis.Entry
	var kind, args string
	err := row.Scan(&e.ID, &e.CrisisID, &e.At, &kind, &e.Event, &e.ActorID, &e.Actor, &e.Text,
		&e.AttachmentName, &e.AttachmentType, &e.AttachmentSize, &e.Msg.Key, &args, &data)
	if err == sql.ErrNoRows || (err == nil && e.AttachmentName == "") {
		return e, nil, fault.New(fault.NotFound, "attachment %d not found", entryID)
	}
	if err != nil {
		return e, nil, fmt.Errorf("read attachment: %w", err)
	}
	e.Kind, e.At = crisis.EntryKind(kind), utc(e.At)
	return e, data, nil
}

func (cs *crises) Review(ctx context.Context, crisisID int64) (crisis.Review, error) {
	var r crisis.Review
	var items string
	err := cs.s.reader.QueryRowContext(ctx, `SELECT crisis_id, lessons, action_items, updated_at, version FROM crisis_reviews WHERE crisis_id = $1`,
		crisisID).Scan(&r.CrisisID, &r.Lessons, &items, &r.UpdatedAt, &r.Version)
	if err != nil {
		return r, notFound(err, "review of crisis", crisisID)
	}
	r.UpdatedAt = utc(r.UpdatedAt)
	return r, jsonUnmarshal(items, &r.ActionItems)
}

func (cs *crises) SaveReview(ctx context.Context, a authz.Actor, r crisis.Review) (crisis.Review, error) {
	if err := authz.Require(a, authz.EditReview); err != nil {
		return r, err
	}
	var f fault.Fields
	for i, it := range r.ActionItems {
		if strings.TrimSpace(it.Text) == "" {
			f.Add("action_items["+strconv.Itoa(i)+"].text", "is required")
		}
	}
	if err := f.Err(); err != nil {
		return r, err
	}
	if r.ActionItems == nil {
		r.ActionItems = []crisis.ActionItem{}
	}
	var out crisis.Review
	err := cs.s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE crisis_reviews SET lessons = $1, action_items = $2, updated_at = $3, version = version + 1,
			author_id = $6 WHERE crisis_id = $4 AND version = $5 AND signed_at IS NULL`, strings.TrimSpace(r.Lessons), mustJSON(r.ActionItems),
			tx.Now, r.CrisisID, r.Version, a.UserID)
		if err != nil {
			return fmt.Errorf("save review: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var exists int
			_ = tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_reviews WHERE crisis_id = $1`, r.CrisisID).Scan(&exists)
			if exists == 0 {
				return fault.New(fault.Conflict, "the review opens when the crisis is closed")
			}
			return fault.New(fault.Conflict, "someone else saved the review meanwhile: reload and try again")
		}
		out = r
		out.Version++
		out.UpdatedAt = tx.Now
		return tx.Audit(ctx, a, "crisis.review", "crisis", strconv.FormatInt(r.CrisisID, 10), nil,
			map[string]any{"lessons": out.Lessons, "action_items": out.ActionItems})
	})
	return out, err
}
