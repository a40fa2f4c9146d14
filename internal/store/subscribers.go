package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

type subscribers struct{ s *Store }

// Subscribers returns the subscriber service.
func (s *Store) Subscribers() subscriber.Service { return &subscribers{s} }

const subscriberColumns = `id, channel, address, language, categories, area_lat, area_lon, district, status, source,
	secret, token, created_at, confirmed_at, unsubscribed_at, updated_at`

func scanSubscriber(r rowScanner) (subscriber.Subscriber, error) {
	var sub subscriber.Subscriber
	var cats, status, source string
	var lat, lon sql.NullFloat64
	var confirmed, unsub sql.NullTime
	if err := r.Scan(&sub.ID, &sub.Channel, &sub.Address, &sub.Language, &cats, &lat, &lon, &sub.Area.District,
		&status, &source, &sub.Secret, &sub.Token, &sub.CreatedAt, &confirmed, &unsub, &sub.UpdatedAt); err != nil {
		return sub, err
	}
	sub.Categories = parseCategories(cats)
	if lat.Valid && lon.Valid {
		sub.Area.Point = &subscriber.Point{Lat: lat.Float64, Lon: lon.Float64}
	}
	sub.Status, sub.Source = subscriber.Status(status), subscriber.Source(source)
	sub.CreatedAt, sub.UpdatedAt = utc(sub.CreatedAt), utc(sub.UpdatedAt)
	sub.ConfirmedAt, sub.UnsubscribedAt = timeOf(confirmed), timeOf(unsub)
	return sub, nil
}

// categoriesColumn stores categories as ",a,b," so that a fan-out can
// match one with LIKE on both engines; "" means every category.
func categoriesColumn(cs []catalog.Category) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, c := range cs {
		b.WriteString(string(c))
		b.WriteByte(',')
	}
	return b.String()
}

func parseCategories(s string) []catalog.Category {
	var out []catalog.Category
	for _, c := range strings.Split(strings.Trim(s, ","), ",") {
		if c != "" {
			out = append(out, catalog.Category(c))
		}
	}
	return out
}

func areaColumns(a subscriber.Area) (sql.NullFloat64, sql.NullFloat64) {
	if a.Point == nil {
		return sql.NullFloat64{}, sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: a.Point.Lat, Valid: true}, sql.NullFloat64{Float64: a.Point.Lon, Valid: true}
}

// randomToken returns n random bytes, URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the kernel's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomCode(digits int) string {
	max := big.NewInt(1)
	for range digits {
		max.Mul(max, big.NewInt(10))
	}
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return fmt.Sprintf("%0*d", digits, n)
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func txSubscriberBy(ctx context.Context, tx *Tx, where string, args ...any) (subscriber.Subscriber, error) {
	return scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE `+where, args...))
}

func (ss *subscribers) Subscribe(ctx context.Context, in subscriber.Subscriber) (subscriber.Confirmation, error) {
	var out subscriber.Confirmation
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		secret, valid := randomToken(subscriber.TokenBytes), subscriber.LinkValidFor
		if in.Channel == channel.SMS {
			secret, valid = randomCode(subscriber.CodeDigits), subscriber.CodeValidFor
		}
		lat, lon := areaColumns(in.Area)
		cur, err := txSubscriberBy(ctx, tx, `channel = $1 AND address = $2`, in.Channel, in.Address)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			var id int64
			err = tx.QueryRow(ctx, `INSERT INTO subscribers (channel, address, language, categories, area_lat, area_lon, district,
				status, source, secret, token, confirm_hash, confirm_expires, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
				in.Channel, in.Address, in.Language, categoriesColumn(in.Categories), lat, lon, in.Area.District,
				string(subscriber.Pending), string(in.Source), in.Secret, randomToken(subscriber.TokenBytes),
				hashSecret(secret), tx.Now.Add(valid), tx.Now).Scan(&id)
			if err != nil {
				return fmt.Errorf("insert subscriber: %w", err)
			}
			cur, err = txSubscriberBy(ctx, tx, `id = $1`, id)
			if err != nil {
				return fmt.Errorf("read subscriber %d: %w", id, err)
			}
		case err != nil:
			return fmt.Errorf("read subscriber: %w", err)
		case cur.Status == subscriber.Active:
			out = subscriber.Confirmation{Subscriber: cur, Already: true}
			return nil
		default:
			// Pending or unsubscribed: the new request replaces the old
			// preferences and needs a fresh confirmation.
			if _, err := tx.Exec(ctx, `UPDATE subscribers SET language = $1, categories = $2, area_lat = $3, area_lon = $4,
				district = $5, status = $6, secret = CASE WHEN $7 = '' THEN secret ELSE $7 END, confirm_hash = $8,
				confirm_expires = $9, confirm_tries = 0, updated_at = $10 WHERE id = $11`,
				in.Language, categoriesColumn(in.Categories), lat, lon, in.Area.District, string(subscriber.Pending),
				in.Secret, hashSecret(secret), tx.Now.Add(valid), tx.Now, cur.ID); err != nil {
				return fmt.Errorf("renew subscriber %d: %w", cur.ID, err)
			}
			if cur, err = txSubscriberBy(ctx, tx, `id = $1`, cur.ID); err != nil {
				return fmt.Errorf("read subscriber: %w", err)
			}
		}
		if _, err := tx.Enqueue(ctx, subscriber.ConfirmArgs{SubscriberID: cur.ID, Secret: secret}, nil); err != nil {
			return err
		}
		out = subscriber.Confirmation{Subscriber: cur, Secret: secret}
		return nil
	})
	return out, err
}

func (ss *subscribers) Confirm(ctx context.Context, token string) (subscriber.Subscriber, error) {
	var out subscriber.Subscriber
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		cur, err := txSubscriberBy(ctx, tx, `confirm_hash = $1 AND confirm_expires > $2 AND status = $3`,
			hashSecret(strings.TrimSpace(token)), tx.Now, string(subscriber.Pending))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "this confirmation link is not valid or has expired; please subscribe again")
		}
		if err != nil {
			return fmt.Errorf("read subscriber: %w", err)
		}
		out, err = activate(ctx, tx, cur.ID)
		return err
	})
	return out, err
}

func activate(ctx context.Context, tx *Tx, id int64) (subscriber.Subscriber, error) {
	if _, err := tx.Exec(ctx, `UPDATE subscribers SET status = $1, confirmed_at = $2, confirm_hash = '', confirm_expires = NULL,
		confirm_tries = 0, unsubscribed_at = NULL, updated_at = $2 WHERE id = $3`, string(subscriber.Active), tx.Now, id); err != nil {
		return subscriber.Subscriber{}, fmt.Errorf("activate subscriber %d: %w", id, err)
	}
	return txSubscriberBy(ctx, tx, `id = $1`, id)
}

func (ss *subscribers) ConfirmCode(ctx context.Context, address, code string) (subscriber.Subscriber, error) {
	var out subscriber.Subscriber
	var refusal error
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		var hash string
		var tries int
		var expires sql.NullTime
		err := tx.QueryRow(ctx, `SELECT id, confirm_hash, confirm_tries, confirm_expires FROM subscribers
			WHERE channel = $1 AND address = $2 AND status = $3`, channel.SMS, address, string(subscriber.Pending)).
			Scan(&id, &hash, &tries, &expires)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (hash == "" || !expires.Valid || !expires.Time.After(tx.Now))) {
			refusal = fault.Field("code", "no confirmation is waiting for this number, or it has expired; please subscribe again")
			return nil
		}
		if err != nil {
			return fmt.Errorf("read subscriber: %w", err)
		}
		if tries >= subscriber.MaxCodeTries {
			refusal = fault.Field("code", "too many wrong codes; please subscribe again")
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(hashSecret(strings.TrimSpace(code))), []byte(hash)) != 1 {
			// The wrong try is counted and committed; the refusal is
			// returned after the commit.
			if _, err := tx.Exec(ctx, `UPDATE subscribers SET confirm_tries = confirm_tries + 1 WHERE id = $1`, id); err != nil {
				return fmt.Errorf("count code try: %w", err)
			}
			refusal = fault.Field("code", "the code is wrong (%d tries left)", subscriber.MaxCodeTries-tries-1)
			return nil
		}
		out, err = activate(ctx, tx, id)
		return err
	})
	if err != nil {
		return out, err
	}
	return out, refusal
}

func (ss *subscribers) Unsubscribe(ctx context.Context, token string) (subscriber.Subscriber, error) {
	var out subscriber.Subscriber
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		cur, err := txSubscriberBy(ctx, tx, `token = $1`, strings.TrimSpace(token))
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "this unsubscribe link is not valid")
		}
		if err != nil {
			return fmt.Errorf("read subscriber: %w", err)
		}
		if cur.Status == subscriber.Unsubscribed {
			out = cur
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE subscribers SET status = $1, unsubscribed_at = $2, confirm_hash = '', updated_at = $2
			WHERE id = $3`, string(subscriber.Unsubscribed), tx.Now, cur.ID); err != nil {
			return fmt.Errorf("unsubscribe %d: %w", cur.ID, err)
		}
		out, err = txSubscriberBy(ctx, tx, `id = $1`, cur.ID)
		return err
	})
	return out, err
}

func (ss *subscribers) UnsubscribeAddress(ctx context.Context, ch, address string) (int, error) {
	var n int64
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE subscribers SET status = $1, unsubscribed_at = $2, confirm_hash = '', updated_at = $2
			WHERE channel = $3 AND address = $4 AND status <> $1`, string(subscriber.Unsubscribed), tx.Now, ch, address)
		if err != nil {
			return fmt.Errorf("unsubscribe %s: %w", ch, err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

func (ss *subscribers) Create(ctx context.Context, a authz.Actor, in subscriber.Subscriber) (subscriber.Subscriber, error) {
	var out subscriber.Subscriber
	if err := authz.Require(a, authz.ManageSubscribers); err != nil {
		return out, err
	}
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		id, err := insertActive(ctx, tx, in)
		if isUnique(err) {
			return fault.Field("address", "%s is already subscribed by %s", in.Address, in.Channel)
		}
		if err != nil {
			return err
		}
		if out, err = txSubscriberBy(ctx, tx, `id = $1`, id); err != nil {
			return fmt.Errorf("read subscriber: %w", err)
		}
		return tx.Audit(ctx, a, "subscriber.create", "subscriber", strconv.FormatInt(id, 10), nil,
			map[string]any{"channel": out.Channel, "source": out.Source})
	})
	return out, err
}

func insertActive(ctx context.Context, tx *Tx, in subscriber.Subscriber) (int64, error) {
	lat, lon := areaColumns(in.Area)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO subscribers (channel, address, language, categories, area_lat, area_lon, district,
		status, source, secret, token, created_at, confirmed_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12) RETURNING id`,
		in.Channel, in.Address, in.Language, categoriesColumn(in.Categories), lat, lon, in.Area.District,
		string(subscriber.Active), string(in.Source), in.Secret, randomToken(subscriber.TokenBytes), tx.Now).Scan(&id)
	if err != nil && !isUnique(err) {
		return 0, fmt.Errorf("insert subscriber: %w", err)
	}
	return id, err
}

// importBatch is how many rows one import transaction writes.
const importBatch = 1000

func (ss *subscribers) Import(ctx context.Context, a authz.Actor, rows []subscriber.Subscriber, rep subscriber.ImportReport) (subscriber.ImportReport, error) {
	if err := authz.Require(a, authz.ManageSubscribers); err != nil {
		return rep, err
	}
	added := map[string]bool{} // webhook addresses inserted
	for start := 0; start < len(rows); start += importBatch {
		batch := rows[start:min(start+importBatch, len(rows))]
		err := ss.s.InTx(ctx, func(tx *Tx) error {
			for _, in := range batch {
				var id int64
				var status string
				err := tx.QueryRow(ctx, `SELECT id, status FROM subscribers WHERE channel = $1 AND address = $2`,
					in.Channel, in.Address).Scan(&id, &status)
				switch {
				case errors.Is(err, sql.ErrNoRows):
					if _, err := insertActive(ctx, tx, in); err != nil {
						return err
					}
					if in.Channel == channel.Webhook {
						added[in.Address] = true
					}
					rep.Imported++
				case err != nil:
					return fmt.Errorf("read subscriber: %w", err)
				case status == string(subscriber.Unsubscribed):
					rep.Skipped++
				default:
					lat, lon := areaColumns(in.Area)
					if _, err := tx.Exec(ctx, `UPDATE subscribers SET language = $1, categories = $2, area_lat = $3, area_lon = $4,
						district = $5, status = $6, confirmed_at = COALESCE(confirmed_at, $7), confirm_hash = '', updated_at = $7
						WHERE id = $8`, in.Language, categoriesColumn(in.Categories), lat, lon, in.Area.District,
						string(subscriber.Active), tx.Now, id); err != nil {
						return fmt.Errorf("update subscriber %d: %w", id, err)
					}
					rep.Updated++
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	// An updated or skipped subscriber keeps the secret it had, so a secret
	// made for its row was never stored and must not be handed out.
	rep.Secrets = slices.DeleteFunc(slices.Clone(rep.Secrets), func(g subscriber.GeneratedSecret) bool { return !added[g.Address] })
	if len(rep.Secrets) == 0 {
		rep.Secrets = nil
	}
	err := ss.s.InTx(ctx, func(tx *Tx) error {
		return tx.Audit(ctx, a, "subscriber.import", "subscriber", "", nil, map[string]any{
			"rows": rep.Rows, "imported": rep.Imported, "updated": rep.Updated, "skipped": rep.Skipped, "rejected": len(rep.Rejected)})
	})
	return rep, err
}

func (ss *subscribers) Delete(ctx context.Context, a authz.Actor, id int64) error {
	if err := authz.Require(a, authz.ManageSubscribers); err != nil {
		return err
	}
	return ss.s.InTx(ctx, func(tx *Tx) error {
		cur, err := txSubscriberBy(ctx, tx, `id = $1`, id)
		if err != nil {
			return notFound(err, "subscriber", id)
		}
		// The delivery log keeps that a notice went out, not to whom.
		if _, err := tx.Exec(ctx, `UPDATE deliveries SET address = '' WHERE recipient_kind = 'subscriber' AND recipient_id = $1`, id); err != nil {
			return fmt.Errorf("erase delivery addresses: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM subscribers WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete subscriber %d: %w", id, err)
		}
		return tx.Audit(ctx, a, "subscriber.delete", "subscriber", strconv.FormatInt(id, 10),
			map[string]any{"channel": cur.Channel, "source": cur.Source}, nil)
	})
}

func (ss *subscribers) Get(ctx context.Context, id int64) (subscriber.Subscriber, error) {
	out, err := scanSubscriber(ss.s.reader.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM subscribers WHERE id = $1`, id))
	if err != nil {
		return out, notFound(err, "subscriber", id)
	}
	return out, nil
}

func (ss *subscribers) List(ctx context.Context, f subscriber.Filter) ([]subscriber.Subscriber, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Channel != "" {
		args = append(args, f.Channel)
		where = append(where, "channel = $"+strconv.Itoa(len(args)))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, "status = $"+strconv.Itoa(len(args)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		where = append(where, "LOWER(address) LIKE $"+strconv.Itoa(len(args)))
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := ss.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscribers WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count subscribers: %w", err)
	}
	args = append(args, f.AfterID)
	out, err := queryAll(ctx, ss.s.reader, "subscribers", scanSubscriber,
		`SELECT `+subscriberColumns+` FROM subscribers WHERE `+cond+` AND id > $`+strconv.Itoa(len(args))+` ORDER BY id LIMIT `+strconv.Itoa(limit), args...)
	return out, total, err
}

func (ss *subscribers) Counts(ctx context.Context) (map[string]map[subscriber.Status]int, error) {
	rows, err := ss.s.reader.QueryContext(ctx, `SELECT channel, status, COUNT(*) FROM subscribers GROUP BY channel, status`)
	if err != nil {
		return nil, fmt.Errorf("count subscribers: %w", err)
	}
	defer rows.Close()
	out := map[string]map[subscriber.Status]int{}
	for rows.Next() {
		var ch, st string
		var n int
		if err := rows.Scan(&ch, &st, &n); err != nil {
			return nil, fmt.Errorf("count subscribers: %w", err)
		}
		if out[ch] == nil {
			out[ch] = map[subscriber.Status]int{}
		}
		out[ch][subscriber.Status(st)] = n
	}
	return out, rows.Err()
}
