package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// WriteProbeTimeout is how long the write probe of CheckWrites may take
// before the database counts as stalled.
const WriteProbeTimeout = 2 * time.Second

// WriteStallError reports that the write probe did not commit in time:
// another process or a long transaction holds the write lock, or the disk
// does not take writes.
type WriteStallError struct {
	After time.Duration
	Err   error
}

func (e *WriteStallError) Error() string {
	return fmt.Sprintf("database writes stalled: a one-row write did not commit within %s (is a lock held by another process or transaction?)", e.After)
}

func (e *WriteStallError) Unwrap() error { return e.Err }

// writeProbe lets concurrent readiness checks share one probe, so that a
// burst of /readyz requests costs one write, not one each.
type writeProbe struct {
	mu      sync.Mutex
	running chan struct{} // closed when the probe in flight has ended
	err     error         // its outcome
}

// CheckWrites proves that a write can commit now: it updates the one row
// of write_probe in a transaction bounded by WriteProbeTimeout, on both
// engines. On SQLite the write waits for the one writer connection and for
// the database's write lock, and the bound covers both, so the probe never
// queues forever behind a stalled writer. Callers that arrive while a probe
// runs wait for its outcome (or their ctx) instead of starting another.
func (s *Store) CheckWrites(ctx context.Context) error {
	p := &s.probe
	p.mu.Lock()
	done := p.running
	if done == nil {
		done = make(chan struct{})
		p.running = done
		go func() {
			err := s.probeWrite()
			p.mu.Lock()
			p.err, p.running = err, nil
			p.mu.Unlock()
			close(done)
		}()
	}
	p.mu.Unlock()
	select {
	case <-done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.err
	case <-ctx.Done():
		return &WriteStallError{After: WriteProbeTimeout, Err: ctx.Err()}
	}
}

// probeWrite runs one probe; the request that started it may end first,
// so it has a deadline of its own.
func (s *Store) probeWrite() error {
	ctx, cancel := context.WithTimeout(context.Background(), WriteProbeTimeout)
	defer cancel()
	err := func() error {
		tx, err := s.writer.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		res, err := tx.ExecContext(ctx, `UPDATE write_probe SET at = $1 WHERE id = 1`, s.clock.Now())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("the write_probe row is missing: run crisisdesk migrate")
		}
		return tx.Commit()
	}()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || isBusy(err):
		return &WriteStallError{After: WriteProbeTimeout, Err: err}
	}
	return fmt.Errorf("database write failed: %w", err)
}
