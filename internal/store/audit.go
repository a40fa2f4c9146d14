package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
)

// auditLog implements audit.Service.
type auditLog struct{ s *Store }

var _ audit.Service = (*auditLog)(nil)

const auditColumns = `seq, at, actor_id, actor, source, action, entity, entity_id, before_state, after_state, prev_hash, hash`

func scanEntry(r rowScanner) (audit.Entry, error) {
	var e audit.Entry
	var before, after string
	err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Source, &e.Action, &e.Entity, &e.EntityID, &before, &after, &e.PrevHash, &e.Hash)
	e.At = utc(e.At)
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	return e, err
}

// Record appends one entry in a transaction of its own; Tx.Audit takes the
// chain head's lock, so it orders with every other change.
func (l *auditLog) Record(ctx context.Context, actor authz.Actor, action, entity, entityID string, detail any) error {
	return l.s.InTx(ctx, func(tx *Tx) error {
		return tx.Audit(ctx, actor, action, entity, entityID, nil, detail)
	})
}

func (l *auditLog) List(ctx context.Context, f audit.Filter) ([]audit.Entry, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	where := []string{"1 = 1"}
	var args []any
	if f.Entity != "" {
		args = append(args, f.Entity)
		where = append(where, fmt.Sprintf("entity = $%d", len(args)))
	}
	if f.EntityID != "" {
		args = append(args, f.EntityID)
		where = append(where, fmt.Sprintf("entity_id = $%d", len(args)))
	}
	if f.ActorID != 0 {
		args = append(args, f.ActorID)
		where = append(where, fmt.Sprintf("actor_id = $%d", len(args)))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := l.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, l.s.reader, "audit entries", scanEntry,
		fmt.Sprintf(`SELECT `+auditColumns+` FROM audit_log WHERE %s ORDER BY seq DESC LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

// Verify walks the chain in one read-only snapshot, so that entries
// appended meanwhile neither count as rows beyond the head nor go missing.
// A keyed chain needs the store's audit key; with a key, the chain must be
// keyed and its head signed with it.
func (l *auditLog) Verify(ctx context.Context) (int64, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if l.s.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := l.s.reader.BeginTx(ctx, opts)
	if err != nil {
		return 0, fmt.Errorf("read audit trail: %w", err)
	}
	defer tx.Rollback()
	head, err := readHead(tx.QueryRowContext(ctx, `SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1`))
	if err != nil {
		return 0, err
	}
	key := l.s.auditKey
	if head.Keyed() && key == nil {
		return 0, errKeyNeeded(head.KeyedFrom)
	}
	v := audit.NewVerifier()
	if key != nil {
		v = audit.NewKeyedVerifier(key, head.KeyedFrom)
	}
	// Walk in pages so that a long trail never sits in memory at once.
	const page = 1000
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, after, head.Seq+page, page)
		if err != nil {
			return v.Checked(), fmt.Errorf("read audit trail: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return v.Checked(), fmt.Errorf("read audit row after %d: %w", after, err)
			}
			n++
			after = e.Seq
			if p := v.Check(e); p != nil {
				rows.Close()
				return v.Checked(), p
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Checked(), fmt.Errorf("read audit trail: %w", err)
		}
		if n < page {
			break
		}
	}
	// Rows past the head were appended outside crisisdesk.
	var extra int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq > $1`, head.Seq).Scan(&extra); err != nil {
		return v.Checked(), fmt.Errorf("read audit trail: %w", err)
	}
	if extra > 0 {
		return v.Checked(), &audit.Problem{Seq: head.Seq + 1, Reason: "rows beyond the recorded chain head: inserted outside crisisdesk"}
	}
	if p := v.Finish(head); p != nil {
		return v.Checked(), p
	}
	return v.Checked(), nil
}
