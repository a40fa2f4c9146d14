package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"crisisdesk/internal/live"
)

// liveChannel is the PostgreSQL channel that carries live events between
// replicas.
const liveChannel = "crisisdesk_live"

type liveMessage struct {
	Origin string     `json:"o"`
	Topic  string     `json:"t"`
	Event  live.Event `json:"e"`
}

// newOrigin names a store among the replicas, so that it skips its own
// notifications (it has published them locally already).
func newOrigin() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// notifyReplicas queues a live event for the other replicas; PostgreSQL
// delivers it when the transaction commits, and never if it rolls back.
func (tx *Tx) notifyReplicas(ctx context.Context, topic string, e live.Event) error {
	if tx.store.engine != Postgres {
		return nil
	}
	payload, err := json.Marshal(liveMessage{Origin: tx.store.origin, Topic: topic, Event: live.Event{Type: e.Type, ID: e.ID}})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, liveChannel, string(payload)); err != nil {
		return fmt.Errorf("notify replicas: %w", err)
	}
	return nil
}

// ListenLive relays the live events of other replicas into b until ctx
// ends, reconnecting after failures. On SQLite there are no other
// replicas and it returns at once.
func (s *Store) ListenLive(ctx context.Context, b *live.Broker) {
	if s.engine != Postgres || b == nil {
		return
	}
	for ctx.Err() == nil {
		if err := s.listenOnce(ctx, b); err != nil && ctx.Err() == nil {
			s.log.Warn("live events from other replicas interrupted; reconnecting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, b *live.Broker) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+liveChannel); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var m liveMessage
		if json.Unmarshal([]byte(n.Payload), &m) != nil || m.Origin == s.origin {
			continue
		}
		if m.Event.Type == officeEvent {
			s.office.drop()
		}
		b.Publish(m.Topic, m.Event)
	}
}
