package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/fault"
)

var (
	errBadCredentials = fault.New(fault.Unauthenticated, "wrong name or password")
	errThrottled      = fault.New(fault.TooManyRequests,
		"too many failed sign-ins: wait %d minutes and try again", int(account.FailureWindow.Minutes()))
	errChallengeEnded = fault.New(fault.Unauthenticated, "this sign-in has ended: start again with your password")
	errWrongCode      = fault.Field("code", "is wrong or was used already")
)

// maxLedgerName bounds the names the ledger keeps: no user's name is
// longer, and a stranger's text is cut.
const maxLedgerName = 64

func (a *accounts) SignIn(ctx context.Context, name, password string, c account.Client) (account.SignedIn, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return account.SignedIn{}, fault.Field("name", "is required")
	}
	if password == "" {
		return account.SignedIn{}, fault.Field("password", "is required")
	}
	if len(name) > maxLedgerName {
		name = name[:maxLedgerName]
	}
	var hash string
	u, err := scanUser(a.s.reader.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE name = $1`, name), &hash)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return account.SignedIn{}, fmt.Errorf("read user %s: %w", name, err)
	}
	var device string
	if known {
		if device, err = a.deviceOf(ctx, c.Device, u.ID); err != nil {
			return account.SignedIn{}, err
		}
	}
	at := attempt{name: name, address: c.Address, device: device, agent: account.AgentKind(c.UserAgent), factor: account.FactorPassword}
	if known {
		at.userID = u.ID
	}
	id, tally, err := a.reserve(ctx, at)
	if err != nil {
		return account.SignedIn{}, err
	}
	verdict := account.Judge(tally)
	if verdict.Refused {
		a.drop(ctx, id)
		return account.SignedIn{}, errThrottled
	}
	// The wait is what slows a guesser elsewhere down; the owner's right
	// password is checked after it all the same.
	if err := clock.Sleep(ctx, a.s.clock, verdict.Delay); err != nil {
		a.drop(ctx, id)
		return account.SignedIn{}, err
	}
	ok := known && !u.Disabled && hash != "" && account.VerifyPassword(hash, password)
	if !known || hash == "" {
		a.s.passwords.VerifyNobody(password)
	}
	if !ok {
		if err := a.fail(ctx, id, at, u, known); err != nil {
			return account.SignedIn{}, err
		}
		return account.SignedIn{}, errBadCredentials
	}
	out := account.SignedIn{User: u}
	err = a.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM signin_attempts WHERE id = $1`, id); err != nil {
			return fmt.Errorf("settle sign-in attempt: %w", err)
		}
		// The owner's own mistypes no longer count: those from this
		// browser when it is known, else those from this address by
		// browsers not known. Others' failures still count, even from a
		// shared address, when the owner's browser is known.
		forgive := `UPDATE signin_attempts SET outcome = 'forgiven'
			WHERE name = $1 AND factor = 'password' AND outcome = 'failed' AND device = $2`
		args := []any{name, device}
		if device == "" {
			forgive += ` AND address = $3`
			args = append(args, c.Address)
		}
		if _, err := tx.Exec(ctx, forgive, args...); err != nil {
			return fmt.Errorf("forgive sign-in failures: %w", err)
		}
		if u.SecondFactor {
			out.Challenge, err = a.challenge(ctx, tx, u.ID, c)
			return err
		}
		return a.complete(ctx, tx, &out, account.MethodPassword, c, map[string]any{"address": c.Address, "method": account.MethodPassword})
	})
	if err != nil {
		return account.SignedIn{}, err
	}
	return out, nil
}

// complete starts the session of a sign-in that passed every check,
// remembers the browser and audits the sign-in.
func (a *accounts) complete(ctx context.Context, tx *Tx, out *account.SignedIn, method string, c account.Client, detail map[string]any) error {
	secret, hash := account.NewSecret("")
	ua := c.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	if _, err := tx.Exec(ctx, `INSERT INTO sessions (secret_hash, user_id, created_at, expires_at, last_seen, address, user_agent, method)
		VALUES ($1, $2, $3, $4, $3, $5, $6, $7)`, hash, out.User.ID, tx.Now, tx.Now.Add(account.SessionAbsolute), c.Address, ua, method); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET previous_signin_at = last_signin_at, last_signin_at = $1 WHERE id = $2`,
		tx.Now, out.User.ID); err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	out.Session, out.Method = secret, method
	var err error
	if out.Device, err = a.rememberDevice(ctx, tx, out.User.ID, c.Device); err != nil {
		return err
	}
	return tx.Audit(ctx, out.User.Actor(authz.SourceUI), "session.signin", "user", strconv.FormatInt(out.User.ID, 10), nil, detail)
}

// challenge records a sign-in that waits for a second factor.
func (a *accounts) challenge(ctx context.Context, tx *Tx, userID int64, c account.Client) (string, error) {
	secret, hash := account.NewSecret("")
	ua := c.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	if _, err := tx.Exec(ctx, `INSERT INTO signin_challenges (secret_hash, user_id, address, user_agent, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, hash, userID, c.Address, ua, tx.Now, tx.Now.Add(account.ChallengeTTL)); err != nil {
		return "", fmt.Errorf("create sign-in challenge: %w", err)
	}
	return secret, nil
}

// pendingChallenge is a stored sign-in waiting for its second factor.
type pendingChallenge struct {
	hash     string
	userID   int64
	failures int
}

func (a *accounts) readChallenge(ctx context.Context, secret string) (pendingChallenge, account.User, error) {
	if secret == "" {
		return pendingChallenge{}, account.User{}, errChallengeEnded
	}
	ch := pendingChallenge{hash: account.HashSecret(secret)}
	var expires time.Time
	err := a.s.reader.QueryRowContext(ctx, `SELECT user_id, failures, expires_at FROM signin_challenges WHERE secret_hash = $1`,
		ch.hash).Scan(&ch.userID, &ch.failures, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ch, account.User{}, errChallengeEnded
	}
	if err != nil {
		return ch, account.User{}, fmt.Errorf("read sign-in challenge: %w", err)
	}
	if !a.s.clock.Now().Before(expires) {
		return ch, account.User{}, errChallengeEnded
	}
	u, err := a.User(ctx, ch.userID)
	if err != nil || u.Disabled || !u.SecondFactor {
		return ch, account.User{}, errChallengeEnded
	}
	return ch, u, nil
}

func (a *accounts) ChallengeUser(ctx context.Context, challenge string) (account.User, error) {
	_, u, err := a.readChallenge(ctx, challenge)
	return u, err
}

func (a *accounts) CompleteSignIn(ctx context.Context, challenge, code string, c account.Client) (account.SignedIn, error) {
	ch, u, err := a.readChallenge(ctx, challenge)
	if err != nil {
		return account.SignedIn{}, err
	}
	if strings.TrimSpace(code) == "" {
		return account.SignedIn{}, fault.Field("code", "is required")
	}
	var n int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM signin_attempts
		WHERE user_id = $1 AND factor = 'code' AND outcome = 'failed' AND at > $2`,
		u.ID, a.s.clock.Now().Add(-account.FailureWindow)).Scan(&n); err != nil {
		return account.SignedIn{}, fmt.Errorf("count code failures: %w", err)
	}
	if n >= account.MaxCodeFailures {
		return account.SignedIn{}, errThrottled
	}
	out := account.SignedIn{User: u}
	err = a.s.InTx(ctx, func(tx *Tx) error {
		used, err := a.spendCode(ctx, tx, u.ID, code)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM signin_challenges WHERE secret_hash = $1`, ch.hash)
		if err != nil {
			return fmt.Errorf("end sign-in challenge: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errChallengeEnded // another request finished it first
		}
		factor := "totp"
		if used.recovery {
			factor = "recovery_code"
			out.UsedRecovery, out.RecoveryLeft = true, used.left
			if err := tx.Audit(ctx, u.Actor(authz.SourceUI), "mfa.recovery_used", "user", strconv.FormatInt(u.ID, 10), nil,
				map[string]any{"address": c.Address, "recovery_codes_left": used.left}); err != nil {
				return err
			}
		}
		return a.complete(ctx, tx, &out, account.MethodPassword, c,
			map[string]any{"address": c.Address, "method": account.MethodPassword, "second_factor": factor})
	})
	if errors.Is(err, errWrongCode) {
		if ferr := a.codeFailed(ctx, ch, u, c); ferr != nil {
			return account.SignedIn{}, ferr
		}
		return account.SignedIn{}, errWrongCode
	}
	if err != nil {
		return account.SignedIn{}, err
	}
	return out, nil
}

// codeFailed records a wrong code: in the ledger, on the challenge (which
// ends after a few) and in the audit trail.
func (a *accounts) codeFailed(ctx context.Context, ch pendingChallenge, u account.User, c account.Client) error {
	return a.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO signin_attempts (name, user_id, address, agent, factor, outcome, at)
			VALUES ($1, $2, $3, $4, 'code', 'failed', $5)`, u.Name, u.ID, c.Address, account.AgentKind(c.UserAgent), tx.Now); err != nil {
			return fmt.Errorf("record code failure: %w", err)
		}
		if ch.failures+1 >= account.MaxChallengeFailures {
			if _, err := tx.Exec(ctx, `DELETE FROM signin_challenges WHERE secret_hash = $1`, ch.hash); err != nil {
				return fmt.Errorf("end sign-in challenge: %w", err)
			}
		} else if _, err := tx.Exec(ctx, `UPDATE signin_challenges SET failures = failures + 1 WHERE secret_hash = $1`, ch.hash); err != nil {
			return fmt.Errorf("count code failure: %w", err)
		}
		return tx.Audit(ctx, u.Actor(authz.SourceUI), "session.signin_failed", "user", strconv.FormatInt(u.ID, 10), nil,
			map[string]any{"address": c.Address, "agent": account.AgentKind(c.UserAgent), "factor": account.FactorCode})
	})
}

var errSessionExpired = fault.New(fault.Unauthenticated, "your session has ended: please sign in again")

func (a *accounts) SessionUser(ctx context.Context, secret string) (account.User, account.Session, error) {
	if secret == "" {
		return account.User{}, account.Session{}, errSessionExpired
	}
	var sess account.Session
	row := a.s.reader.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.created_at, s.expires_at, s.last_seen, s.address, s.user_agent, s.method
		FROM sessions s WHERE s.secret_hash = $1`, account.HashSecret(secret))
	if err := row.Scan(&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.ExpiresAt, &sess.LastSeen, &sess.Address, &sess.UserAgent, &sess.Method); err != nil {
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

// PurgeExpired deletes ended sessions, pending sign-ins and authorisation
// requests, forgotten browsers, unconfirmed enrolments and the sign-in
// ledger past its keeping time. It runs as a periodic job.
func (s *Store) PurgeExpired(ctx context.Context) (int64, error) {
	var total int64
	err := s.InTx(ctx, func(tx *Tx) error {
		for _, q := range []struct {
			what, sql string
			args      []any
		}{
			{"sessions", `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2`, []any{tx.Now, tx.Now.Add(-account.SessionIdle - sessionPurgeGrace)}},
			{"sign-in attempts", `DELETE FROM signin_attempts WHERE at <= $1`, []any{tx.Now.Add(-account.LedgerRetention)}},
			{"sign-in challenges", `DELETE FROM signin_challenges WHERE expires_at <= $1`, []any{tx.Now}},
			{"sign-in devices", `DELETE FROM signin_devices WHERE expires_at <= $1`, []any{tx.Now}},
			{"identity provider requests", `DELETE FROM oidc_logins WHERE expires_at <= $1`, []any{tx.Now}},
			{"unconfirmed enrolments", `DELETE FROM user_totp WHERE confirmed_at IS NULL AND created_at <= $1`, []any{tx.Now.Add(-account.EnrolmentTTL)}},
		} {
			res, err := tx.Exec(ctx, q.sql, q.args...)
			if err != nil {
				return fmt.Errorf("purge %s: %w", q.what, err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}
