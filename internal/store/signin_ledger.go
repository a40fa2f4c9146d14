package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

// attempt is one row of the sign-in ledger.
type attempt struct {
	name    string
	userID  int64 // 0 when the name is nobody's
	address string
	device  string // hash of a device cookie valid for the user
	agent   string
	factor  string
}

// reserve writes the attempt as pending before its password is checked,
// then counts the failures that bear on it. Because every attempt is
// visible to the others before any of them counts, a burst of parallel
// guesses cannot slip past a limit together: the last of them to write
// sees all the rest.
func (a *accounts) reserve(ctx context.Context, at attempt) (int64, account.Tally, error) {
	var id int64
	err := a.s.InTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO signin_attempts (name, user_id, address, device, agent, factor, outcome, at)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id`,
			at.name, nullInt(at.userID), at.address, at.device, at.agent, at.factor, tx.Now).Scan(&id)
	})
	if err != nil {
		return 0, account.Tally{}, fmt.Errorf("record sign-in attempt: %w", err)
	}
	t := account.Tally{Device: at.device != ""}
	const counted = `factor = 'password' AND outcome IN ('pending', 'failed') AND at > $1 AND id <> $2`
	err = a.s.reader.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM signin_attempts WHERE address = $3 AND `+counted+`),
		(SELECT COUNT(*) FROM signin_attempts WHERE name = $4 AND address = $3 AND `+counted+`),
		(SELECT COUNT(*) FROM signin_attempts WHERE name = $4 AND address <> $3 AND `+counted+`),
		(SELECT COUNT(*) FROM signin_attempts WHERE name = $4 AND device = $5 AND device <> '' AND `+counted+`)`,
		a.s.clock.Now().Add(-account.FailureWindow), id, at.address, at.name, at.device,
	).Scan(&t.FromAddress, &t.AccountAtAddress, &t.AccountElsewhere, &t.FromDevice)
	if err != nil {
		a.drop(ctx, id)
		return 0, account.Tally{}, fmt.Errorf("count sign-in failures: %w", err)
	}
	return id, t, nil
}

// drop removes an attempt that was never judged on its password (refused
// by the throttle, or given up by the client). It must happen even when
// the request's context has ended.
func (a *accounts) drop(ctx context.Context, id int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := a.s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM signin_attempts WHERE id = $1`, id)
		return err
	}); err != nil {
		a.s.log.Warn("drop sign-in attempt", "id", id, "err", err)
	}
}

// fail settles an attempt as failed and audits it. A name that is
// nobody's is recorded under the name given, for the addresses trying it.
func (a *accounts) fail(ctx context.Context, id int64, at attempt, u account.User, known bool) error {
	return a.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE signin_attempts SET outcome = 'failed' WHERE id = $1`, id); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		actor, entityID := authz.Actor{Name: at.name, Source: authz.SourceUI}, ""
		if known {
			actor, entityID = u.Actor(authz.SourceUI), strconv.FormatInt(u.ID, 10)
		}
		return tx.Audit(ctx, actor, "session.signin_failed", "user", entityID, nil,
			map[string]any{"address": at.address, "agent": at.agent, "factor": at.factor, "known_device": at.device != ""})
	})
}

// deviceOf returns the stored hash of a device cookie when it is valid for
// the user, else "".
func (a *accounts) deviceOf(ctx context.Context, secret string, userID int64) (string, error) {
	if secret == "" {
		return "", nil
	}
	hash := account.HashSecret(secret)
	var owner int64
	var expires time.Time
	err := a.s.reader.QueryRowContext(ctx, `SELECT user_id, expires_at FROM signin_devices WHERE secret_hash = $1`, hash).Scan(&owner, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read sign-in device: %w", err)
	}
	if owner != userID || !a.s.clock.Now().Before(expires) {
		return "", nil
	}
	return hash, nil
}

// rememberDevice gives a browser that has just signed in a device cookie
// for the user, unless the one it holds is already valid. It returns the
// new secret, or "".
func (a *accounts) rememberDevice(ctx context.Context, tx *Tx, userID int64, current string) (string, error) {
	if current != "" {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM signin_devices WHERE secret_hash = $1 AND user_id = $2 AND expires_at > $3`,
			account.HashSecret(current), userID, tx.Now).Scan(&n); err != nil {
			return "", fmt.Errorf("read sign-in device: %w", err)
		}
		if n == 1 {
			return "", nil
		}
	}
	secret, hash := account.NewSecret("")
	if _, err := tx.Exec(ctx, `INSERT INTO signin_devices (secret_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		hash, userID, tx.Now, tx.Now.Add(account.DeviceTTL)); err != nil {
		return "", fmt.Errorf("remember sign-in device: %w", err)
	}
	return secret, nil
}

func (a *accounts) FailedSignIns(ctx context.Context, userID int64, since time.Time, offset, limit int) ([]account.FailedSignIn, int, error) {
	offset, limit = clampPage(offset, limit)
	const where = `user_id = $1 AND outcome IN ('failed', 'forgiven') AND at > $2`
	var total int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM signin_attempts WHERE `+where, userID, since).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count failed sign-ins: %w", err)
	}
	out, err := queryAll(ctx, a.s.reader, "failed sign-ins", func(r rowScanner) (account.FailedSignIn, error) {
		var f account.FailedSignIn
		err := r.Scan(&f.At, &f.Address, &f.Agent, &f.Factor)
		f.At = utc(f.At)
		return f, err
	}, `SELECT at, address, agent, factor FROM signin_attempts WHERE `+where+` ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4`,
		userID, since, limit, offset)
	return out, total, err
}
