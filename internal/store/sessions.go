package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func (a *accounts) countFailures(ctx context.Context, name, addr string, since time.Time) (byName, byAddr int, err error) {
	err = a.s.reader.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM signin_failures WHERE name = $1 AND at > $3),
		(SELECT COUNT(*) FROM signin_failures WHERE address = $2 AND at > $3)`, name, addr, since).Scan(&byName, &byAddr)
	if err != nil {
		return 0, 0, fmt.Errorf("count sign-in failures: %w", err)
	}
	return byName, byAddr, nil
}

func (a *accounts) recordFailure(ctx context.Context, name, addr string) error {
	return a.s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO signin_failures (name, address, at) VALUES ($1, $2, $3)`, name, addr, tx.Now)
		return err
	})
}

var errBadCredentials = fault.New(fault.Unauthenticated, "wrong name or password")

func (a *accounts) SignIn(ctx context.Context, name, password, addr, userAgent string) (string, account.User, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return "", account.User{}, fault.Field("name", "is required")
	}
	if password == "" {
		return "", account.User{}, fault.Field("password", "is required")
	}
	now := a.s.clock.Now()
	byName, byAddr, err := a.countFailures(ctx, name, addr, now.Add(-account.FailureWindow))
	if err != nil {
		return "", account.User{}, err
	}
	if account.Throttled(byName, byAddr) {
		return "", account.User{}, fault.New(fault.TooManyRequests,
			"too many failed sign-ins: wait %d minutes and try again", int(account.FailureWindow.Minutes()))
	}
	var hash string
	u, err := scanUser(a.s.reader.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE name = $1`, name), &hash)
	if err != nil || u.Disabled {
		account.VerifyNobody(password)
		if ferr := a.recordFailure(ctx, name, addr); ferr != nil {
			return "", account.User{}, ferr
		}
		return "", account.User{}, errBadCredentials
	}
	if !account.VerifyPassword(hash, password) {
		if ferr := a.recordFailure(ctx, name, addr); ferr != nil {
			return "", account.User{}, ferr
		}
		return "", account.User{}, errBadCredentials
	}
	secret, secretHash := account.NewSecret("")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err = a.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (secret_hash, user_id, created_at, expires_at, last_seen, address, user_agent)
			VALUES ($1, $2, $3, $4, $3, $5, $6)`, secretHash, u.ID, tx.Now, tx.Now.Add(account.SessionAbsolute), addr, userAgent); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM signin_failures WHERE name = $1`, name); err != nil {
			return fmt.Errorf("clear sign-in failures: %w", err)
		}
		return tx.Audit(ctx, u.Actor(authz.SourceUI), "session.signin", "user", strconv.FormatInt(u.ID, 10),
			nil, map[string]any{"address": addr})
	})
	if err != nil {
		return "", account.User{}, err
	}
	return secret, u, nil
}

var errSessionExpired = fault.New(fault.Unauthenticated, "your session has ended: please sign in again")

func (a *accounts) SessionUser(ctx context.Context, secret string) (account.User, account.Session, error) {
	if secret == "" {
		return account.User{}, account.Session{}, errSessionExpired
	}
	var sess account.Session
	row := a.s.reader.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.created_at, s.expires_at, s.last_seen, s.address, s.user_agent
		FROM sessions s WHERE s.secret_hash = $1`, account.HashSecret(secret))
	if err := row.Scan(&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.ExpiresAt, &sess.LastSeen, &sess.Address, &sess.UserAgent); err != nil {
		return account.User{}, account.Session{}, errSessionExpired
	}
	now := a.s.clock.Now()
	// A use noted but not yet written (lastused.go) counts as well.
	seen := a.s.lastUsed.latest(sessionUse, sess.ID, sess.LastSeen)
	if !now.Before(sess.ExpiresAt) || now.Sub(seen) > account.SessionIdle {
		return account.User{}, account.Session{}, errSessionExpired
	}
	u, err := a.User(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return account.User{}, account.Session{}, errSessionExpired
	}
	// Extending the session is noted in memory and written in a batch, so
	// that recognising it never waits on the writer.
	sess.LastSeen = a.s.lastUsed.note(sessionUse, sess.ID, seen, now)
	return u, sess, nil
}

func (a *accounts) SignOut(ctx context.Context, secret string) error {
	return a.s.InTx(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `DELETE FROM sessions WHERE secret_hash = $1 RETURNING user_id`, account.HashSecret(secret)).Scan(&userID)
		if err != nil {
			return nil // already gone: signing out twice is fine
		}
		u, err := a.txUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, u.Actor(authz.SourceUI), "session.signout", "user", strconv.FormatInt(userID, 10), nil, nil)
	})
}

// sessionPurgeGrace keeps an idle session's row a while past its idle
// limit: a use noted on some replica but not yet written (lastused.go)
// still extends it.
const sessionPurgeGrace = 10 * time.Minute

// PurgeExpired deletes ended sessions and old sign-in failures. It runs as a
// periodic job.
func (s *Store) PurgeExpired(ctx context.Context) (int64, error) {
	var total int64
	err := s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2`,
			tx.Now, tx.Now.Add(-account.SessionIdle-sessionPurgeGrace))
		if err != nil {
			return fmt.Errorf("purge sessions: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
		res, err = tx.Exec(ctx, `DELETE FROM signin_failures WHERE at <= $1`, tx.Now.Add(-account.FailureWindow))
		if err != nil {
			return fmt.Errorf("purge sign-in failures: %w", err)
		}
		n, _ = res.RowsAffected()
		total += n
		return nil
	})
	return total, err
}
