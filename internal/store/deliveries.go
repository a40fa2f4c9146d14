package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// Deliveries is the delivery log: the fan-out, the claims and outcomes of
// the senders, progress and retries.
type Deliveries struct{ s *Store }

// Deliveries returns the delivery log.
func (s *Store) Deliveries() *Deliveries { return &Deliveries{s} }

var (
	_ delivery.Store = (*Deliveries)(nil)
	_ delivery.Log   = (*Deliveries)(nil)
)

const deliveryColumns = `d.id, d.notice_id, d.recipient_kind, d.recipient_id, d.channel, d.address, d.language, d.state,
	d.attempts, d.last_error, d.next_attempt_at, d.sent_at, d.read_at, d.created_at`

func scanDelivery(r rowScanner, extra ...any) (delivery.Delivery, error) {
	var d delivery.Delivery
	var state string
	var sent, read sql.NullTime
	dest := append([]any{&d.ID, &d.NoticeID, &d.RecipientKind, &d.RecipientID, &d.Channel, &d.Address, &d.Language, &state,
		&d.Attempts, &d.LastError, &d.NextAttemptAt, &sent, &read, &d.CreatedAt}, extra...)
	if err := r.Scan(dest...); err != nil {
		return d, err
	}
	d.State = delivery.State(state)
	d.NextAttemptAt, d.CreatedAt = utc(d.NextAttemptAt), utc(d.CreatedAt)
	d.SentAt, d.ReadAt = timeOf(sent), timeOf(read)
	return d, nil
}

// skipLocked lets concurrent claims on PostgreSQL pass each other's rows;
// SQLite has one writer, so claims cannot overlap there.
func (s *Store) skipLocked() string {
	if s.engine == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// inList returns "$k, $k+1, …" for n values starting at placeholder k.
func inList(k, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(k + i))
	}
	return b.String()
}

// Claim leases up to limit sendable deliveries of a notice's channel —
// queued ones first, then failed ones due for another attempt — and counts
// the attempt. A lease that runs out (its sender died) makes the rows
// claimable again.
func (d *Deliveries) Claim(ctx context.Context, noticeID int64, ch string, limit int, lease time.Duration) (delivery.Claim, error) {
	c := delivery.Claim{Lease: randomToken(12)}
	err := d.s.InTx(ctx, func(tx *Tx) error {
		var ids []any
		for _, st := range []delivery.State{delivery.Queued, delivery.Failed} {
			if len(ids) >= limit {
				break
			}
			// The state is matched as a range and ordered on, so that the
			// only index giving this order is deliveries_progress: with
			// "state = $5" PostgreSQL drops the state from the order and,
			// its statistics taken while every record was queued, walks
			// the primary key from the lowest id past every record
			// already sent, a longer walk at each claim of a big notice.
			rows, err := tx.Query(ctx, `UPDATE deliveries SET lease_id = $1, lease_until = $2, attempts = attempts + 1
				WHERE id IN (SELECT id FROM deliveries WHERE notice_id = $3 AND channel = $4 AND state >= $5 AND state <= $5
					AND next_attempt_at <= $6 AND (lease_until IS NULL OR lease_until < $6) ORDER BY state, id LIMIT $7`+d.s.skipLocked()+`)
				AND (lease_until IS NULL OR lease_until < $6) RETURNING id`,
				c.Lease, tx.Now.Add(lease), noticeID, ch, string(st), tx.Now, limit-len(ids))
			if err != nil {
				return fmt.Errorf("claim deliveries: %w", err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return fmt.Errorf("claim deliveries: %w", err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("claim deliveries: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE delivery_runs SET heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3 AND heartbeat_at < $1`,
			tx.Now, noticeID, ch); err != nil {
			return fmt.Errorf("record sender heartbeat: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT `+deliveryColumns+`, COALESCE(s.token, ''), COALESCE(s.secret, ''), COALESCE(s.source, ''),
			COALESCE(s.status, ''), COALESCE(w.secret, ''), COALESCE(w.previous_secret, ''), w.previous_until, COALESCE(w.status, '')
			FROM deliveries d
			LEFT JOIN subscribers s ON d.recipient_kind = 'subscriber' AND s.id = d.recipient_id
			LEFT JOIN webhooks w ON d.recipient_kind = 'webhook' AND w.id = d.recipient_id
			WHERE d.id IN (`+inList(1, len(ids))+`) ORDER BY d.id`, ids...)
		if err != nil {
			return fmt.Errorf("read claimed deliveries: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var it delivery.Item
			var subSecret, source, subStatus, epSecret, epPrev, epStatus string
			var prevUntil sql.NullTime
			if it.Delivery, err = scanDelivery(rows, &it.Token, &subSecret, &source, &subStatus, &epSecret, &epPrev, &prevUntil, &epStatus); err != nil {
				return fmt.Errorf("read claimed deliveries: %w", err)
			}
			switch it.RecipientKind {
			case delivery.ToSubscriber:
				it.Secrets = []string{subSecret}
				it.Guard = source == string(subscriber.FromPublic)
				if subStatus != string(subscriber.Active) {
					it.Skip = "unsubscribed before sending"
				}
			case delivery.ToEndpoint:
				e := subscriber.Endpoint{Secret: epSecret, PreviousSecret: epPrev, PreviousUntil: timeOf(prevUntil)}
				it.Secrets = e.Secrets(tx.Now)
				if epStatus != string(subscriber.EndpointActive) {
					it.Skip = "webhook endpoint paused or removed"
				}
			}
			c.Items = append(c.Items, it)
		}
		return rows.Err()
	})
	return c, err
}

// Finish records the outcomes of a claim. Only rows still held by the
// lease change: a sender whose lease ran out and was overtaken records
// nothing. For registered endpoints it keeps the failure streak and pauses
// an endpoint failing for subscriber.PauseAfter; the paused endpoints are
// returned so that their owners can be told.
func (d *Deliveries) Finish(ctx context.Context, lease string, outcomes []delivery.Outcome) ([]subscriber.Endpoint, error) {
	var paused []subscriber.Endpoint
	err := d.s.InTx(ctx, func(tx *Tx) error {
		if err := d.s.relaxedCommit(ctx, tx); err != nil {
			return err
		}
		var sent []any
		endpointOK := map[int64]bool{}
		endpointErr := map[int64]string{}
		for _, o := range outcomes {
			if o.Endpoint != 0 {
				if o.State == delivery.Sent {
					endpointOK[o.Endpoint] = true
				} else {
					endpointErr[o.Endpoint] = o.Error
				}
			}
			if o.State == delivery.Sent {
				sent = append(sent, o.ID)
				continue
			}
			next := o.Next
			if next.IsZero() {
				next = tx.Now
			}
			if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = $1, last_error = $2, next_attempt_at = $3, lease_id = NULL,
				lease_until = NULL WHERE id = $4 AND lease_id = $5`, string(o.State), truncate(o.Error, 500), next, o.ID, lease); err != nil {
				return fmt.Errorf("record delivery %d: %w", o.ID, err)
			}
		}
		for start := 0; start < len(sent); start += 500 {
			chunk := sent[start:min(start+500, len(sent))]
			args := append([]any{tx.Now, lease}, chunk...)
			if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'sent', sent_at = $1, last_error = '', lease_id = NULL, lease_until = NULL
				WHERE lease_id = $2 AND id IN (`+inList(3, len(chunk))+`)`, args...); err != nil {
				return fmt.Errorf("record sent deliveries: %w", err)
			}
		}
		for id := range endpointOK {
			if _, err := tx.Exec(ctx, `UPDATE webhooks SET failing_since = NULL, last_success = $1 WHERE id = $2`, tx.Now, id); err != nil {
				return fmt.Errorf("record webhook success: %w", err)
			}
		}
		for id, msg := range endpointErr {
			if endpointOK[id] {
				continue // a success in the same batch ends the streak
			}
			if _, err := tx.Exec(ctx, `UPDATE webhooks SET failing_since = COALESCE(failing_since, $1), last_failure = $1, last_error = $2
				WHERE id = $3`, tx.Now, truncate(msg, 500), id); err != nil {
				return fmt.Errorf("record webhook failure: %w", err)
			}
			e, err := txEndpoint(ctx, tx, id)
			if err != nil {
				return err
			}
			if !e.ShouldPause(tx.Now) {
				continue
			}
			reason := fmt.Sprintf("failing since %s: %s", e.FailingSince.Format(time.RFC3339), e.LastError)
			if _, err := tx.Exec(ctx, `UPDATE webhooks SET status = $1, paused_reason = $2, updated_at = $3 WHERE id = $4`,
				string(subscriber.EndpointPaused), truncate(reason, 500), tx.Now, id); err != nil {
				return fmt.Errorf("pause webhook %d: %w", id, err)
			}
			after, err := txEndpoint(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := tx.Audit(ctx, authz.System(authz.SourceSystem, "crisisdesk"), "webhook.pause", "webhook",
				strconv.FormatInt(id, 10), auditEndpoint(e), auditEndpoint(after)); err != nil {
				return err
			}
			paused = append(paused, after)
		}
		return nil
	})
	return paused, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1]) + "…"
}

// Pending tells a sender with nothing to claim whether to wait: the
// earliest moment a pending delivery of the channel becomes claimable
// (zero when none is pending), and whether the fan-out has finished.
func (d *Deliveries) Pending(ctx context.Context, noticeID int64, ch string) (next time.Time, fanoutDone bool, err error) {
	err = d.s.reader.QueryRowContext(ctx, `SELECT done FROM fanouts WHERE notice_id = $1`, noticeID).Scan(&fanoutDone)
	if errors.Is(err, sql.ErrNoRows) {
		fanoutDone, err = true, nil
	}
	if err != nil {
		return next, false, fmt.Errorf("read fan-out: %w", err)
	}
	// Two ordered reads rather than MIN over an expression, which SQLite
	// would hand back as text: the earliest retry not held by a lease, and
	// the earliest lease to run out.
	var at time.Time
	for _, q := range []string{
		`SELECT next_attempt_at FROM deliveries WHERE notice_id = $1 AND channel = $2 AND state IN ('queued', 'failed')
			AND (lease_until IS NULL OR lease_until <= next_attempt_at) ORDER BY next_attempt_at LIMIT 1`,
		`SELECT lease_until FROM deliveries WHERE notice_id = $1 AND channel = $2 AND state IN ('queued', 'failed')
			AND lease_until > next_attempt_at ORDER BY lease_until LIMIT 1`,
	} {
		var t sql.NullTime
		err := d.s.reader.QueryRowContext(ctx, q, noticeID, ch).Scan(&t)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return next, fanoutDone, fmt.Errorf("read pending deliveries: %w", err)
		}
		if t.Valid && (at.IsZero() || t.Time.Before(at)) {
			at = t.Time.UTC()
		}
	}
	return at, fanoutDone, nil
}

// Rest records that a channel's senders are idle until at (a retry due
// later), so that the sweeper leaves the run alone until then; a zero at
// closes the run.
func (d *Deliveries) Rest(ctx context.Context, noticeID int64, ch string, at time.Time) error {
	return d.s.InTx(ctx, func(tx *Tx) error {
		var err error
		if at.IsZero() {
			_, err = tx.Exec(ctx, `UPDATE delivery_runs SET done = TRUE, heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3`, tx.Now, noticeID, ch)
		} else {
			_, err = tx.Exec(ctx, `UPDATE delivery_runs SET heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3`, at, noticeID, ch)
		}
		if err != nil {
			return fmt.Errorf("record sender rest: %w", err)
		}
		return nil
	})
}

// RestartStalled enqueues again the fan-outs and channel runs whose
// heartbeat is older than staleAfter: their process died. Extra senders are
// harmless, since claims never overlap. It returns the runs restarted.
func (d *Deliveries) RestartStalled(ctx context.Context, staleAfter time.Duration) ([]delivery.Run, error) {
	var out []delivery.Run
	err := d.s.InTx(ctx, func(tx *Tx) error {
		before := tx.Now.Add(-staleAfter)
		rows, err := tx.Query(ctx, `SELECT notice_id, '', priority FROM fanouts WHERE done = FALSE AND heartbeat_at < $1
			UNION ALL SELECT notice_id, channel, priority FROM delivery_runs WHERE done = FALSE AND heartbeat_at < $1`, before)
		if err != nil {
			return fmt.Errorf("find stalled deliveries: %w", err)
		}
		for rows.Next() {
			var r delivery.Run
			if err := rows.Scan(&r.NoticeID, &r.Channel, &r.Priority); err != nil {
				rows.Close()
				return fmt.Errorf("find stalled deliveries: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find stalled deliveries: %w", err)
		}
		for _, r := range out {
			opts := &river.InsertOpts{Queue: delivery.Queue, Priority: min(max(r.Priority, 1), 4)}
			var args river.JobArgs = delivery.SendArgs{NoticeID: r.NoticeID, Channel: r.Channel}
			q := `UPDATE delivery_runs SET heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3`
			qargs := []any{tx.Now, r.NoticeID, r.Channel}
			if r.Channel == "" {
				args = delivery.FanoutArgs{NoticeID: r.NoticeID}
				q, qargs = `UPDATE fanouts SET heartbeat_at = $1 WHERE notice_id = $2`, qargs[:2]
			}
			if _, err := tx.Exec(ctx, q, qargs...); err != nil {
				return fmt.Errorf("record restart: %w", err)
			}
			if _, err := tx.Enqueue(ctx, args, opts); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// FanoutDone reports whether a notice's fan-out has written every record.
func (d *Deliveries) FanoutDone(ctx context.Context, noticeID int64) (bool, error) {
	var done bool
	err := d.s.reader.QueryRowContext(ctx, `SELECT done FROM fanouts WHERE notice_id = $1`, noticeID).Scan(&done)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read fan-out of notice %d: %w", noticeID, err)
	}
	return done, nil
}

// Progress counts a notice's deliveries per channel and state.
func (d *Deliveries) Progress(ctx context.Context, noticeID int64) ([]delivery.Progress, error) {
	rows, err := d.s.reader.QueryContext(ctx, `SELECT channel, state, COUNT(*), COUNT(read_at) FROM deliveries
		WHERE notice_id = $1 GROUP BY channel, state ORDER BY channel`, noticeID)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	var out []delivery.Progress
	for rows.Next() {
		var ch, st string
		var n, read int
		if err := rows.Scan(&ch, &st, &n, &read); err != nil {
			return nil, fmt.Errorf("count deliveries: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Channel != ch {
			out = append(out, delivery.Progress{Channel: ch})
		}
		p := &out[len(out)-1]
		p.Read += read
		switch delivery.State(st) {
		case delivery.Queued:
			p.Queued += n
		case delivery.Sent:
			p.Sent += n
		case delivery.Failed:
			p.Failed += n
		case delivery.GaveUp:
			p.GaveUp += n
		}
	}
	return out, rows.Err()
}

// Failures lists a notice's failed and abandoned deliveries, newest
// attempts first; channel "" means every channel.
func (d *Deliveries) Failures(ctx context.Context, noticeID int64, ch string, limit int) ([]delivery.Delivery, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return queryAll(ctx, d.s.reader, "deliveries", func(r rowScanner) (delivery.Delivery, error) { return scanDelivery(r) },
		`SELECT `+deliveryColumns+` FROM deliveries d WHERE d.notice_id = $1 AND ($2 = '' OR d.channel = $2)
		AND d.state IN ('failed', 'gave_up') ORDER BY d.id LIMIT `+strconv.Itoa(limit), noticeID, ch)
}

// Retry queues a notice's failed and abandoned deliveries again (of one
// channel, or all when ch is empty) for an attempt now, reopens their runs
// and starts a sender for each channel. It returns how many were queued.
func (d *Deliveries) Retry(ctx context.Context, a authz.Actor, noticeID int64, ch string) (int, error) {
	total := 0
	if err := authz.Require(a, authz.RetryDeliveries); err != nil {
		return 0, err
	}
	err := d.s.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT channel, priority FROM delivery_runs WHERE notice_id = $1 AND ($2 = '' OR channel = $2)`, noticeID, ch)
		if err != nil {
			return fmt.Errorf("read delivery runs: %w", err)
		}
		var runs []delivery.Run
		for rows.Next() {
			r := delivery.Run{NoticeID: noticeID}
			if err := rows.Scan(&r.Channel, &r.Priority); err != nil {
				rows.Close()
				return fmt.Errorf("read delivery runs: %w", err)
			}
			runs = append(runs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read delivery runs: %w", err)
		}
		for _, r := range runs {
			res, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'queued', attempts = 0, next_attempt_at = $1, lease_id = NULL,
				lease_until = NULL WHERE notice_id = $2 AND channel = $3 AND state IN ('failed', 'gave_up')`, tx.Now, noticeID, r.Channel)
			if err != nil {
				return fmt.Errorf("queue %s deliveries again: %w", r.Channel, err)
			}
			n := affected(res)
			if n == 0 {
				continue
			}
			total += n
			if _, err := tx.Exec(ctx, `UPDATE delivery_runs SET done = FALSE, heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3`,
				tx.Now, noticeID, r.Channel); err != nil {
				return fmt.Errorf("reopen %s deliveries: %w", r.Channel, err)
			}
			if _, err := tx.Enqueue(ctx, delivery.SendArgs{NoticeID: noticeID, Channel: r.Channel},
				&river.InsertOpts{Queue: delivery.Queue, Priority: min(max(r.Priority, 1), 4)}); err != nil {
				return err
			}
		}
		if total == 0 {
			return fault.New(fault.Conflict, "notice %d has no failed deliveries to retry", noticeID)
		}
		return tx.Audit(ctx, a, "delivery.retry", "notice", strconv.FormatInt(noticeID, 10), nil,
			map[string]any{"channel": ch, "queued": total})
	})
	return total, err
}

// Inbox lists the in-app notices sent to a user, newest first.
func (d *Deliveries) Inbox(ctx context.Context, userID int64, limit int) ([]delivery.InboxItem, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return queryAll(ctx, d.s.reader, "inbox", func(r rowScanner) (delivery.InboxItem, error) {
		var it delivery.InboxItem
		var sent, read sql.NullTime
		err := r.Scan(&it.NoticeID, &sent, &read)
		it.SentAt, it.ReadAt = timeOf(sent), timeOf(read)
		return it, err
	}, `SELECT notice_id, sent_at, read_at FROM deliveries WHERE recipient_kind = 'user' AND recipient_id = $1 AND channel = 'app'
		ORDER BY notice_id DESC LIMIT `+strconv.Itoa(limit), userID)
}

// receiptWait bounds how long MarkRead waits for the writer before it
// leaves the receipt to the next flush.
const receiptWait = time.Second

// MarkRead records that a user opened an internal notice in the app; the
// first opening counts. Opening a notice is a read (the staff UI records
// the receipt on GET), so it never queues behind a busy or locked writer:
// whether there is an unread receipt at all is asked of the reader pool,
// and when the write cannot finish within a second the receipt is kept in
// memory and written by the next flush of last-use times (lastused.go).
func (d *Deliveries) MarkRead(ctx context.Context, noticeID, userID int64) error {
	k := receiptKey{noticeID, userID}
	now := d.s.clock.Now()
	var unread int
	if err := d.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE notice_id = $1 AND recipient_kind = 'user'
		AND recipient_id = $2 AND channel = 'app' AND read_at IS NULL`, noticeID, userID).Scan(&unread); err != nil {
		return fmt.Errorf("read receipt: %w", err)
	}
	if unread == 0 || d.s.lastUsed.pendingReceipt(k) {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, receiptWait)
	defer cancel()
	err := d.s.InTx(wctx, func(tx *Tx) error { return writeReceipt(wctx, tx, k, now) })
	if err != nil && ctx.Err() == nil && wctx.Err() != nil {
		d.s.lastUsed.receipt(k, now)
		d.s.log.Warn("writer busy: read receipt left to the next flush", "notice", noticeID, "user", userID)
		return nil
	}
	return err
}

// writeReceipt records a reading at t unless an earlier one is recorded.
func writeReceipt(ctx context.Context, tx *Tx, k receiptKey, t time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE deliveries SET read_at = $1 WHERE notice_id = $2 AND recipient_kind = 'user'
		AND recipient_id = $3 AND channel = 'app' AND (read_at IS NULL OR read_at > $1)`, t, k.notice, k.user); err != nil {
		return fmt.Errorf("record read receipt: %w", err)
	}
	return nil
}

// Receipts lists who an internal notice reached in the app and who read it.
func (d *Deliveries) Receipts(ctx context.Context, noticeID int64) ([]delivery.Receipt, error) {
	return queryAll(ctx, d.s.reader, "read receipts", func(r rowScanner) (delivery.Receipt, error) {
		var rc delivery.Receipt
		var read sql.NullTime
		err := r.Scan(&rc.UserID, &rc.Name, &read)
		rc.ReadAt = timeOf(read)
		return rc, err
	}, `SELECT u.id, u.display_name, d.read_at FROM deliveries d JOIN users u ON u.id = d.recipient_id
		WHERE d.notice_id = $1 AND d.recipient_kind = 'user' AND d.channel = 'app' ORDER BY u.display_name`, noticeID)
}

// relaxedCommit lets a PostgreSQL transaction of outcomes commit without
// waiting for its WAL flush: senders record outcomes in many small
// transactions, and a crash of crisisdesk loses none of them (the server
// has them). Only a crash of the database server itself may lose the last
// fraction of a second of outcomes, whose messages are then sent again
// under the same idempotency key. SQLite in WAL mode with synchronous
// NORMAL already commits without a flush.
func (s *Store) relaxedCommit(ctx context.Context, tx *Tx) error {
	if s.engine != Postgres {
		return nil
	}
	if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return fmt.Errorf("relax the commit of delivery outcomes: %w", err)
	}
	return nil
}

// Extend renews the lease of the rows of a claim (ids lo to hi) that it
// still holds, for d from now, and the channel run's heartbeat: a sender
// whose batch takes long keeps its work while it is alive.
func (d *Deliveries) Extend(ctx context.Context, noticeID int64, ch, lease string, lo, hi int64, dur time.Duration) error {
	return d.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE deliveries SET lease_until = $1 WHERE id >= $2 AND id <= $3 AND lease_id = $4`,
			tx.Now.Add(dur), lo, hi, lease); err != nil {
			return fmt.Errorf("renew delivery lease: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE delivery_runs SET heartbeat_at = $1 WHERE notice_id = $2 AND channel = $3 AND heartbeat_at < $1`,
			tx.Now, noticeID, ch); err != nil {
			return fmt.Errorf("record sender heartbeat: %w", err)
		}
		return nil
	})
}
