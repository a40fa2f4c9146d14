package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

type endpoints struct{ s *Store }

// Endpoints returns the registered webhook endpoints.
func (s *Store) Endpoints() subscriber.Endpoints { return &endpoints{s} }

const endpointColumns = `id, name, url, secret, previous_secret, previous_until, audiences, exercises, owner_id, status,
	paused_reason, failing_since, last_success, last_failure, last_error, created_at, updated_at`

func scanEndpoint(r rowScanner) (subscriber.Endpoint, error) {
	var e subscriber.Endpoint
	var prevUntil, failing, success, failure sql.NullTime
	var owner sql.NullInt64
	var audiences, status string
	if err := r.Scan(&e.ID, &e.Name, &e.URL, &e.Secret, &e.PreviousSecret, &prevUntil, &audiences, &e.Exercises, &owner,
		&status, &e.PausedReason, &failing, &success, &failure, &e.LastError, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return e, err
	}
	e.Audiences = strings.Split(audiences, ",")
	e.Status, e.OwnerID = subscriber.EndpointStatus(status), owner.Int64
	e.PreviousUntil, e.FailingSince, e.LastSuccess, e.LastFailure = timeOf(prevUntil), timeOf(failing), timeOf(success), timeOf(failure)
	e.CreatedAt, e.UpdatedAt = utc(e.CreatedAt), utc(e.UpdatedAt)
	return e, nil
}

// auditEndpoint is what the audit trail keeps of an endpoint: never its
// secrets.
func auditEndpoint(e subscriber.Endpoint) map[string]any {
	return map[string]any{"name": e.Name, "url": e.URL, "audiences": e.Audiences, "exercises": e.Exercises, "status": e.Status}
}

func txEndpoint(ctx context.Context, tx *Tx, id int64) (subscriber.Endpoint, error) {
	e, err := scanEndpoint(tx.QueryRow(ctx, `SELECT `+endpointColumns+` FROM webhooks WHERE id = $1`, id))
	if err != nil {
		return e, notFound(err, "webhook", id)
	}
	return e, nil
}

func (es *endpoints) Register(ctx context.Context, a authz.Actor, e subscriber.Endpoint) (subscriber.Endpoint, error) {
	var out subscriber.Endpoint
	if err := authz.Require(a, authz.ManageWebhooks); err != nil {
		return out, err
	}
	err := es.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO webhooks (name, url, secret, audiences, exercises, owner_id, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			e.Name, e.URL, e.Secret, strings.Join(e.Audiences, ","), e.Exercises, nullInt(a.UserID),
			string(subscriber.EndpointActive), tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert webhook: %w", err)
		}
		var err error
		if out, err = txEndpoint(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "webhook.register", "webhook", strconv.FormatInt(id, 10), nil, auditEndpoint(out))
	})
	return out, err
}

func (es *endpoints) Get(ctx context.Context, id int64) (subscriber.Endpoint, error) {
	e, err := scanEndpoint(es.s.reader.QueryRowContext(ctx, `SELECT `+endpointColumns+` FROM webhooks WHERE id = $1`, id))
	if err != nil {
		return e, notFound(err, "webhook", id)
	}
	return e, nil
}

func (es *endpoints) List(ctx context.Context) ([]subscriber.Endpoint, error) {
	return queryAll(ctx, es.s.reader, "webhooks", scanEndpoint, `SELECT `+endpointColumns+` FROM webhooks ORDER BY id`)
}

func (es *endpoints) update(ctx context.Context, a authz.Actor, id int64, action string,
	change func(tx *Tx, e subscriber.Endpoint) error) (subscriber.Endpoint, error) {
	var out subscriber.Endpoint
	if err := authz.Require(a, authz.ManageWebhooks); err != nil {
		return out, err
	}
	err := es.s.InTx(ctx, func(tx *Tx) error {
		before, err := txEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := change(tx, before); err != nil {
			return err
		}
		if out, err = txEndpoint(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, action, "webhook", strconv.FormatInt(id, 10), auditEndpoint(before), auditEndpoint(out))
	})
	return out, err
}

func (es *endpoints) Pause(ctx context.Context, a authz.Actor, id int64, reason string) (subscriber.Endpoint, error) {
	return es.update(ctx, a, id, "webhook.pause", func(tx *Tx, e subscriber.Endpoint) error {
		if e.Status == subscriber.EndpointPaused {
			return fault.New(fault.Conflict, "webhook %d is already paused", id)
		}
		if strings.TrimSpace(reason) == "" {
			reason = "paused by " + a.Name
		}
		_, err := tx.Exec(ctx, `UPDATE webhooks SET status = $1, paused_reason = $2, updated_at = $3 WHERE id = $4`,
			string(subscriber.EndpointPaused), reason, tx.Now, id)
		return err
	})
}

func (es *endpoints) Resume(ctx context.Context, a authz.Actor, id int64) (subscriber.Endpoint, error) {
	return es.update(ctx, a, id, "webhook.resume", func(tx *Tx, e subscriber.Endpoint) error {
		if e.Status == subscriber.EndpointActive {
			return fault.New(fault.Conflict, "webhook %d is not paused", id)
		}
		_, err := tx.Exec(ctx, `UPDATE webhooks SET status = $1, paused_reason = '', failing_since = NULL, updated_at = $2 WHERE id = $3`,
			string(subscriber.EndpointActive), tx.Now, id)
		return err
	})
}

func (es *endpoints) Rotate(ctx context.Context, a authz.Actor, id int64, secret string) (subscriber.Endpoint, error) {
	return es.update(ctx, a, id, "webhook.rotate", func(tx *Tx, e subscriber.Endpoint) error {
		if secret == e.Secret {
			return fault.Field("secret", "the new secret must differ from the current one")
		}
		_, err := tx.Exec(ctx, `UPDATE webhooks SET previous_secret = secret, previous_until = $1, secret = $2, updated_at = $3 WHERE id = $4`,
			tx.Now.Add(subscriber.RotationGrace), secret, tx.Now, id)
		return err
	})
}

func (es *endpoints) Delete(ctx context.Context, a authz.Actor, id int64) error {
	if err := authz.Require(a, authz.ManageWebhooks); err != nil {
		return err
	}
	return es.s.InTx(ctx, func(tx *Tx) error {
		before, err := txEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete webhook %d: %w", id, err)
		}
		return tx.Audit(ctx, a, "webhook.delete", "webhook", strconv.FormatInt(id, 10), auditEndpoint(before), nil)
	})
}
