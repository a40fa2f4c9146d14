package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// Tx is one transaction with one timestamp: audit rows, updated_at columns
// and job schedules written in it all agree on Now.
type Tx struct {
	tx          *sql.Tx
	store       *Store
	Now         time.Time
	afterCommit []func()
}

// InTx runs fn in a write transaction and commits if it returns nil. A
// SQLite busy error, which the single-writer pool makes rare, is retried a
// few times.
func (s *Store) InTx(ctx context.Context, fn func(*Tx) error) error {
	var err error
	for attempt := range 3 {
		err = s.inTx(ctx, fn)
		if !isBusy(err) {
			return err
		}
		s.log.Warn("database busy, retrying transaction", "attempt", attempt+1)
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
	return err
}

func (s *Store) inTx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, store: s, Now: s.clock.Now()}
	if err := fn(tx); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			s.log.Error("rollback failed", "err", rbErr)
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// AfterCommit runs f once the transaction has committed; never if it rolls
// back. Live updates and cache invalidation go here.
func (tx *Tx) AfterCommit(f func()) { tx.afterCommit = append(tx.afterCommit, f) }

// Exec runs a statement.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, q, args...)
}

// QueryRow runs a query returning one row.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, q, args...)
}

// Query runs a query.
func (tx *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, q, args...)
}

// Enqueue inserts a River job in this transaction, so that it exists if and
// only if the change that caused it commits.
// It returns the job's id.
func (tx *Tx) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := tx.store.inserter.InsertTx(ctx, tx.tx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Audit appends an entry to the hash-chained audit trail. The chain head
// row is updated first, which serialises concurrent appenders on both
// engines (a row lock on PostgreSQL, the single writer on SQLite). Once
// the chain is keyed (auditkey.go), the entry's hash is an HMAC under the
// store's audit key and the head is signed with it; without the key such
// a chain takes no entry.
func (tx *Tx) Audit(ctx context.Context, actor authz.Actor, action, entity, entityID string, before, after any) error {
	var h audit.Head
	var prev string
	var keyedFrom sql.NullInt64
	err := tx.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, keyed_from`).Scan(&h.Seq, &prev, &keyedFrom)
	if err != nil {
		return fmt.Errorf("audit: advance chain head: %w", err)
	}
	h.KeyedFrom = keyedFrom.Int64
	key := tx.store.auditKey
	if h.Keyed() && key == nil {
		return errKeyNeeded(h.KeyedFrom)
	}
	e := audit.Entry{
		Seq: h.Seq, At: tx.Now, ActorID: actor.UserID, Actor: actor.Name, Source: string(actor.Source),
		Action: action, Entity: entity, EntityID: entityID,
		Before: audit.Snapshot(before), After: audit.Snapshot(after), PrevHash: prev,
	}
	if h.Keyed() && e.Seq >= h.KeyedFrom {
		e.Hash = e.ComputeMAC(key)
	} else {
		e.Hash = e.ComputeHash()
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log
		(seq, at, actor_id, actor, source, action, entity, entity_id, before_state, after_state, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.Seq, e.At, e.ActorID, e.Actor, e.Source, e.Action, e.Entity, e.EntityID,
		string(e.Before), string(e.After), e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit: append row %d: %w", h.Seq, err)
	}
	h.Hash = e.Hash
	if h.Keyed() {
		h.MAC = h.ComputeMAC(key)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET hash = $1, mac = $2 WHERE id = 1`, h.Hash, h.MAC); err != nil {
		return fmt.Errorf("audit: record chain head: %w", err)
	}
	return nil
}

func isBusy(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked"))
}

// isUnique reports a unique-constraint violation on either engine.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isForeignKey reports a foreign-key violation on either engine.
func isForeignKey(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// notFound turns sql.ErrNoRows into a coded not-found error.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.New(fault.NotFound, "%s %v not found", what, id)
	}
	return fmt.Errorf("read %s %v: %w", what, id, err)
}

func nullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t, Valid: !t.IsZero()} }

func utc(t time.Time) time.Time { return t.UTC() }

func clampPage(offset, limit int) (int, int) {
	if offset < 0 {
		offset = 0
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return offset, limit
}
