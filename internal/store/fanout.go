package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// Fan-out stages: staff recipients (registered endpoints and users) first,
// then the public subscribers in id order.
const (
	stageStaff       = "staff"
	stageSubscribers = "subscribers"
)

// deliveryChannels are the channels a notice of an audience is sent on.
func deliveryChannels(n notice.Notice) []string {
	switch n.Audience {
	case notice.Public:
		return []string{channel.Email, channel.SMS, channel.Webhook}
	case notice.Media:
		return []string{channel.Webhook, channel.Email}
	default:
		if n.Experts {
			return []string{channel.Email, channel.SMS}
		}
		return []string{channel.Email}
	}
}

// startDelivery records the fan-out checkpoint and the channel runs of a
// notice being published and enqueues their jobs, in the publishing
// transaction: the deliveries exist if and only if the publish commits.
func (tx *Tx) startDelivery(ctx context.Context, n notice.Notice, priority int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO fanouts (notice_id, priority, stage, last_id, done, heartbeat_at, created_at)
		VALUES ($1, $2, $3, 0, FALSE, $4, $4)`, n.ID, priority, stageStaff, tx.Now); err != nil {
		return fmt.Errorf("start fan-out: %w", err)
	}
	opts := &river.InsertOpts{Queue: delivery.Queue, Priority: priority}
	if _, err := tx.Enqueue(ctx, delivery.FanoutArgs{NoticeID: n.ID}, opts); err != nil {
		return err
	}
	for _, ch := range deliveryChannels(n) {
		if _, err := tx.Exec(ctx, `INSERT INTO delivery_runs (notice_id, channel, priority, done, heartbeat_at)
			VALUES ($1, $2, $3, FALSE, $4)`, n.ID, ch, priority, tx.Now); err != nil {
			return fmt.Errorf("start %s deliveries: %w", ch, err)
		}
		for range delivery.SendersPerChannel {
			if _, err := tx.Enqueue(ctx, delivery.SendArgs{NoticeID: n.ID, Channel: ch}, opts); err != nil {
				return err
			}
		}
	}
	return nil
}

const insertDelivery = `INSERT INTO deliveries (notice_id, recipient_kind, recipient_id, channel, address, language, state,
	next_attempt_at, sent_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) ON CONFLICT DO NOTHING`

// FanoutBatch writes the delivery records of the next batch of a notice's
// recipients and advances the checkpoint, in one transaction. It reports
// how many records it added and whether the walk is finished. Records that
// already exist (a walk started again from an older checkpoint) are left
// alone. The checkpoint row stays locked until the commit, so two fan-outs
// of one notice (one restarted while the other still ran) take turns.
func (d *Deliveries) FanoutBatch(ctx context.Context, noticeID int64, limit int) (added int, done bool, err error) {
	err = d.s.InTx(ctx, func(tx *Tx) error {
		var stage string
		var last int64
		err := tx.QueryRow(ctx, `SELECT stage, last_id, done FROM fanouts WHERE notice_id = $1`+d.s.forUpdate(), noticeID).Scan(&stage, &last, &done)
		if errors.Is(err, sql.ErrNoRows) {
			done = true
			return nil
		}
		if err != nil || done {
			return err
		}
		n, err := txNotice(ctx, tx, noticeID)
		if err != nil {
			return err
		}
		switch stage {
		case stageStaff:
			if added, err = tx.fanoutStaff(ctx, n); err != nil {
				return err
			}
			stage, last = stageSubscribers, 0
		default:
			var end int64
			if added, end, err = tx.fanoutSubscribers(ctx, n, last, limit); err != nil {
				return err
			}
			if end == last {
				done = true
			}
			last = end
		}
		var finished sql.NullTime
		if done {
			finished = nullTime(tx.Now)
		}
		_, err = tx.Exec(ctx, `UPDATE fanouts SET stage = $1, last_id = $2, done = $3, heartbeat_at = $4, finished_at = $5
			WHERE notice_id = $6`, stage, last, done, tx.Now, finished, noticeID)
		if err != nil {
			return fmt.Errorf("save fan-out checkpoint: %w", err)
		}
		return nil
	})
	return added, done, err
}

// fanoutStaff adds the registered endpoints and, for an internal notice,
// the chosen departments and roles: in the app (delivered at once) and by
// e-mail.
func (tx *Tx) fanoutStaff(ctx context.Context, n notice.Notice) (int, error) {
	added := 0
	eps, err := queryAll(ctx, tx, "webhooks", scanEndpoint, `SELECT `+endpointColumns+` FROM webhooks WHERE status = $1`,
		string(subscriber.EndpointActive))
	if err != nil {
		return 0, err
	}
	for _, e := range eps {
		if !e.Receives(string(n.Audience), n.Exercise) {
			continue
		}
		res, err := tx.Exec(ctx, insertDelivery, n.ID, delivery.ToEndpoint, e.ID, channel.Webhook, e.URL, "",
			string(delivery.Queued), tx.Now, nil)
		if err != nil {
			return 0, fmt.Errorf("add webhook delivery: %w", err)
		}
		added += affected(res)
	}
	if n.Audience == notice.Media {
		k, err := tx.fanoutJournalists(ctx, n)
		return added + k, err
	}
	if n.Audience != notice.Internal {
		return added, nil
	}
	if n.Experts {
		k, err := tx.fanoutExperts(ctx, n)
		if err != nil {
			return 0, err
		}
		added += k
	}
	var conds []string
	var args []any
	for _, dep := range n.Departments {
		args = append(args, dep)
		conds = append(conds, "department_id = $"+strconv.Itoa(len(args)))
	}
	for _, r := range n.Roles {
		args = append(args, string(r))
		conds = append(conds, "role = $"+strconv.Itoa(len(args)))
	}
	if len(conds) == 0 {
		return added, nil
	}
	rows, err := tx.Query(ctx, `SELECT id, email, language FROM users WHERE disabled = FALSE AND (`+strings.Join(conds, " OR ")+`) ORDER BY id`, args...)
	if err != nil {
		return 0, fmt.Errorf("read internal recipients: %w", err)
	}
	type user struct {
		id          int64
		email, lang string
	}
	var users []user
	for rows.Next() {
		var u user
		if err := rows.Scan(&u.id, &u.email, &u.lang); err != nil {
			rows.Close()
			return 0, fmt.Errorf("read internal recipients: %w", err)
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read internal recipients: %w", err)
	}
	for _, u := range users {
		res, err := tx.Exec(ctx, insertDelivery, n.ID, delivery.ToUser, u.id, channel.App, "", u.lang, string(delivery.Sent), tx.Now, tx.Now)
		if err != nil {
			return 0, fmt.Errorf("add in-app delivery: %w", err)
		}
		added += affected(res)
		if u.email == "" {
			continue
		}
		res, err = tx.Exec(ctx, insertDelivery, n.ID, delivery.ToUser, u.id, channel.Email, u.email, u.lang, string(delivery.Queued), tx.Now, nil)
		if err != nil {
			return 0, fmt.Errorf("add e-mail delivery: %w", err)
		}
		added += affected(res)
	}
	return added, nil
}

// fanoutSubscribers adds the next batch of active public subscribers after
// id last who asked for the notice's category and area. Those without an
// area are added by one INSERT … SELECT inside the database; the few with
// an area are matched here. It returns the batch's last id (last itself
// when no subscriber is left).
func (tx *Tx) fanoutSubscribers(ctx context.Context, n notice.Notice, last int64, limit int) (int, int64, error) {
	if n.Audience != notice.Public || n.Exercise {
		return 0, last, nil // exercise notices never reach the public as if real
	}
	var end sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT MAX(id) FROM (SELECT id FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2) batch`, last, limit).Scan(&end)
	if err != nil {
		return 0, last, fmt.Errorf("find the next batch of subscribers: %w", err)
	}
	if !end.Valid {
		return 0, last, nil
	}
	category := ""
	if n.CrisisID != 0 {
		if err := tx.QueryRow(ctx, `SELECT t.category FROM crises c JOIN crisis_types t ON t.id = c.type_id WHERE c.id = $1`,
			n.CrisisID).Scan(&category); err != nil {
			return 0, last, fmt.Errorf("read the crisis category: %w", err)
		}
	}
	pattern := "%," + category + ",%"
	// Skipping existing records costs every row an extra probe of the
	// unique index; only a walk started again from an older checkpoint
	// can meet any, so the cheap look at the batch's range decides.
	var repeat bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE notice_id = $1 AND recipient_kind = $2
		AND recipient_id > $3 AND recipient_id <= $4)`, n.ID, delivery.ToSubscriber, last, end.Int64).Scan(&repeat); err != nil {
		return 0, last, fmt.Errorf("look for a repeated batch: %w", err)
	}
	onConflict := ""
	if repeat {
		onConflict = " ON CONFLICT DO NOTHING"
	}
	res, err := tx.Exec(ctx, `INSERT INTO deliveries (notice_id, recipient_kind, recipient_id, channel, address, language, state,
		next_attempt_at, created_at)
		SELECT $1, $2, id, channel, address, language, $3, $4, $4 FROM subscribers
		WHERE id > $5 AND id <= $6 AND status = $7 AND area_lat IS NULL AND district = ''
		AND (categories = '' OR $8 = '' OR categories LIKE $9)`+onConflict,
		n.ID, delivery.ToSubscriber, string(delivery.Queued), tx.Now, last, end.Int64, string(subscriber.Active), category, pattern)
	if err != nil {
		return 0, last, fmt.Errorf("add subscriber deliveries: %w", err)
	}
	added := affected(res)
	located, err := queryAll(ctx, tx, "subscribers", scanSubscriber, `SELECT `+subscriberColumns+` FROM subscribers
		WHERE id > $1 AND id <= $2 AND status = $3 AND (area_lat IS NOT NULL OR district <> '')
		AND (categories = '' OR $4 = '' OR categories LIKE $5) ORDER BY id`,
		last, end.Int64, string(subscriber.Active), category, pattern)
	if err != nil {
		return 0, last, err
	}
	for _, s := range located {
		if !s.Area.Covers(n.CAP.Area) {
			continue
		}
		res, err := tx.Exec(ctx, insertDelivery, n.ID, delivery.ToSubscriber, s.ID, s.Channel, s.Address, s.Language,
			string(delivery.Queued), tx.Now, nil)
		if err != nil {
			return 0, last, fmt.Errorf("add subscriber delivery: %w", err)
		}
		added += affected(res)
	}
	return added, end.Int64, nil
}

// forUpdate locks the rows a PostgreSQL query reads until the commit;
// SQLite's write transactions never overlap, so it needs nothing.
func (s *Store) forUpdate() string {
	if s.engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

func affected(res sql.Result) int {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return int(n)
}

// fanoutExperts adds the active outside experts of an internal notice
// addressed to them: by e-mail and by SMS, to each address they gave, in
// their preferred language.
func (tx *Tx) fanoutExperts(ctx context.Context, n notice.Notice) (int, error) {
	list, err := queryAll(ctx, tx, "experts", scanExpert, `SELECT `+expertColumns+` FROM experts WHERE active = TRUE ORDER BY id`)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, e := range list {
		for _, to := range []struct{ channel, address string }{{channel.Email, e.Email}, {channel.SMS, e.Phone}} {
			if to.address == "" {
				continue
			}
			res, err := tx.Exec(ctx, insertDelivery, n.ID, delivery.ToExpert, e.ID, to.channel, to.address, e.Language(),
				string(delivery.Queued), tx.Now, nil)
			if err != nil {
				return 0, fmt.Errorf("add expert %s delivery: %w", to.channel, err)
			}
			added += affected(res)
		}
	}
	return added, nil
}
