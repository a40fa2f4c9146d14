package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Recognising a session or an API token is a read. Writing its "last used"
// time on the request would put every authenticated request, GETs too,
// behind the single SQLite writer (and behind any lock another process
// holds), so those times are kept here and written in batches by
// FlushLastUsed: the app flushes every LastUsedFlushEvery and once more
// on shutdown. A session or token is noted at most once a minute, so it is
// written at most once a minute too.
//
// Read receipts whose write could not start at once (MarkRead) wait here
// as well.
//
// Several replicas may each hold a time for the same row: every write only
// ever moves a time forward (or, for a read receipt, keeps the earliest),
// so the order of their flushes does not matter.

// LastUsedFlushEvery is how often the app writes the noted times.
const LastUsedFlushEvery = 30 * time.Second

// touchEvery is how stale a stored "last used" time may become before a
// use is noted again.
const touchEvery = time.Minute

type receiptKey struct{ notice, user int64 }

type lastUsed struct {
	mu       sync.Mutex
	sessions map[int64]time.Time
	tokens   map[int64]time.Time
	receipts map[receiptKey]time.Time
}

func newLastUsed() *lastUsed {
	return &lastUsed{sessions: map[int64]time.Time{}, tokens: map[int64]time.Time{}, receipts: map[receiptKey]time.Time{}}
}

type usedKind int

const (
	sessionUse usedKind = iota
	tokenUse
)

func (l *lastUsed) times(k usedKind) map[int64]time.Time {
	if k == sessionUse {
		return l.sessions
	}
	return l.tokens
}

// latest returns the later of stored (the database's time of last use of
// row id) and a use noted but not yet written.
func (l *lastUsed) latest(k usedKind, id int64, stored time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.times(k)[id]; ok && t.After(stored) {
		return t
	}
	return stored
}

// note records a use of row id at now unless the stored time or one
// already noted is within touchEvery. It returns the latest time of use.
func (l *lastUsed) note(k usedKind, id int64, stored, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.times(k)
	latest := stored
	if t, ok := m[id]; ok && t.After(latest) {
		latest = t
	}
	if now.Sub(latest) > touchEvery {
		m[id] = now
		latest = now
	}
	return latest
}

// receipt keeps a read receipt until the next flush; the earliest reading
// counts.
func (l *lastUsed) receipt(k receiptKey, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t, ok := l.receipts[k]; !ok || at.Before(t) {
		l.receipts[k] = at
	}
}

// pendingReceipt reports a read receipt not yet written.
func (l *lastUsed) pendingReceipt(k receiptKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.receipts[k]
	return ok
}

type lastUsedBatch struct {
	sessions, tokens map[int64]time.Time
	receipts         map[receiptKey]time.Time
}

func (b lastUsedBatch) empty() bool {
	return len(b.sessions) == 0 && len(b.tokens) == 0 && len(b.receipts) == 0
}

// take empties the buffer and returns what it held.
func (l *lastUsed) take() lastUsedBatch {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := lastUsedBatch{l.sessions, l.tokens, l.receipts}
	l.sessions, l.tokens, l.receipts = map[int64]time.Time{}, map[int64]time.Time{}, map[receiptKey]time.Time{}
	return b
}

// putBack returns a batch whose write failed, keeping for each row the
// time a later use may have noted meanwhile.
func (l *lastUsed) putBack(b lastUsedBatch) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, t := range b.sessions {
		if cur, ok := l.sessions[id]; !ok || t.After(cur) {
			l.sessions[id] = t
		}
	}
	for id, t := range b.tokens {
		if cur, ok := l.tokens[id]; !ok || t.After(cur) {
			l.tokens[id] = t
		}
	}
	for k, t := range b.receipts {
		if cur, ok := l.receipts[k]; !ok || t.Before(cur) {
			l.receipts[k] = t
		}
	}
}

// FlushLastUsed writes the noted "last used" times of sessions and tokens
// and the read receipts that waited, in one transaction. On failure they
// stay noted for the next flush.
func (s *Store) FlushLastUsed(ctx context.Context) error {
	b := s.lastUsed.take()
	if b.empty() {
		return nil
	}
	err := s.InTx(ctx, func(tx *Tx) error {
		for id, t := range b.sessions {
			if _, err := tx.Exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE id = $2 AND last_seen < $1`, t, id); err != nil {
				return fmt.Errorf("session %d: %w", id, err)
			}
		}
		for id, t := range b.tokens {
			if _, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1
				WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)`, t, id); err != nil {
				return fmt.Errorf("token %d: %w", id, err)
			}
		}
		for k, t := range b.receipts {
			if err := writeReceipt(ctx, tx, k, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.lastUsed.putBack(b)
		return fmt.Errorf("record last use of sessions and tokens: %w", err)
	}
	return nil
}

// FlushLastUsedEvery flushes every interval until ctx ends. A failed flush
// is logged and retried at the next tick.
func (s *Store) FlushLastUsedEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.FlushLastUsed(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Warn("could not record last use; retrying later", "err", err)
			}
		}
	}
}
