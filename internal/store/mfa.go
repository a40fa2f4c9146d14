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
	"crisisdesk/internal/fault"
)

// spent is what a code that was accepted turned out to be.
type spent struct {
	recovery bool
	left     int // recovery codes left, when one was used
}

// spendCode accepts a TOTP code or a recovery code of the user once, in
// tx: a TOTP code moves the user's last accepted time step forward (so
// that the same code, or an older one, is refused from then on), a
// recovery code is marked used. Both are conditional updates, so two
// requests racing with one code cannot both pass. A wrong or spent code
// is errWrongCode.
func (a *accounts) spendCode(ctx context.Context, tx *Tx, userID int64, code string) (spent, error) {
	if account.IsTOTPCode(code) {
		var secret string
		var last int64
		err := tx.QueryRow(ctx, `SELECT secret, last_counter FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL`,
			userID).Scan(&secret, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return spent{}, errWrongCode
		}
		if err != nil {
			return spent{}, fmt.Errorf("read second factor: %w", err)
		}
		step, ok := account.MatchTOTP(secret, code, tx.Now, last)
		if !ok {
			return spent{}, errWrongCode
		}
		res, err := tx.Exec(ctx, `UPDATE user_totp SET last_counter = $1 WHERE user_id = $2 AND last_counter < $1`, step, userID)
		if err != nil {
			return spent{}, fmt.Errorf("spend code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return spent{}, errWrongCode
		}
		return spent{}, nil
	}
	res, err := tx.Exec(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		tx.Now, userID, account.HashRecoveryCode(userID, code))
	if err != nil {
		return spent{}, fmt.Errorf("spend recovery code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return spent{}, errWrongCode
	}
	s := spent{recovery: true}
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&s.left); err != nil {
		return spent{}, fmt.Errorf("count recovery codes: %w", err)
	}
	return s, nil
}

var errAlreadyEnrolled = fault.New(fault.Conflict, "a second factor is set up already")

func (a *accounts) BeginEnrolment(ctx context.Context, actor authz.Actor) (account.Enrolment, error) {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return account.Enrolment{}, err
	}
	var out account.Enrolment
	err := a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		var secret string
		var confirmed sql.NullTime
		var created time.Time
		err = tx.QueryRow(ctx, `SELECT secret, confirmed_at, created_at FROM user_totp WHERE user_id = $1`, u.ID).Scan(&secret, &confirmed, &created)
		switch {
		case err == nil && confirmed.Valid:
			return errAlreadyEnrolled
		case err == nil && tx.Now.Sub(created) < account.EnrolmentTTL:
			// Reloading the page shows the same secret, which the app
			// may have scanned already.
			out = account.Enrolment{Secret: secret, URI: account.TOTPURI(u.Name, secret)}
			return nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read second factor: %w", err)
		}
		if out, err = account.NewTOTP(u.Name); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_counter = 0`,
			u.ID, out.Secret, tx.Now)
		if err != nil {
			return fmt.Errorf("start enrolment: %w", err)
		}
		return nil
	})
	return out, err
}

func (a *accounts) ConfirmEnrolment(ctx context.Context, actor authz.Actor, code string) ([]string, error) {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return nil, err
	}
	if err := a.codeAllowed(ctx, actor.UserID); err != nil {
		return nil, err
	}
	codes := account.NewRecoveryCodes(account.RecoveryCodeCount)
	err := a.s.InTx(ctx, func(tx *Tx) error {
		var secret string
		var confirmed sql.NullTime
		err := tx.QueryRow(ctx, `SELECT secret, confirmed_at FROM user_totp WHERE user_id = $1`, actor.UserID).Scan(&secret, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.Conflict, "no enrolment was started: open the page again")
		}
		if err != nil {
			return fmt.Errorf("read second factor: %w", err)
		}
		if confirmed.Valid {
			return errAlreadyEnrolled
		}
		step, ok := account.MatchTOTP(secret, code, tx.Now, 0)
		if !ok {
			return errWrongCode
		}
		if _, err := tx.Exec(ctx, `UPDATE user_totp SET confirmed_at = $1, last_counter = $2 WHERE user_id = $3`,
			tx.Now, step, actor.UserID); err != nil {
			return fmt.Errorf("confirm second factor: %w", err)
		}
		if err := a.replaceRecoveryCodes(ctx, tx, actor.UserID, codes); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "mfa.enrol", "user", strconv.FormatInt(actor.UserID, 10), nil,
			map[string]any{"factor": "totp", "recovery_codes": len(codes)})
	})
	if errors.Is(err, errWrongCode) {
		return nil, a.ownCodeFailed(ctx, actor)
	}
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// codeAllowed refuses codes from a user who has given too many wrong ones
// lately, on any page.
func (a *accounts) codeAllowed(ctx context.Context, userID int64) error {
	var n int
	if err := a.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM signin_attempts
		WHERE user_id = $1 AND factor = 'code' AND outcome = 'failed' AND at > $2`,
		userID, a.s.clock.Now().Add(-account.FailureWindow)).Scan(&n); err != nil {
		return fmt.Errorf("count code failures: %w", err)
	}
	if n >= account.MaxCodeFailures {
		return errThrottled
	}
	return nil
}

// ownCodeFailed records a wrong code a signed-in user gave on their own
// second-factor page, so that it counts towards the code throttle, and
// returns the error to show.
func (a *accounts) ownCodeFailed(ctx context.Context, actor authz.Actor) error {
	err := a.s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO signin_attempts (name, user_id, address, agent, factor, outcome, at)
			VALUES ($1, $2, '', '', 'code', 'failed', $3)`, actor.Name, actor.UserID, tx.Now)
		return err
	})
	if err != nil {
		return fmt.Errorf("record code failure: %w", err)
	}
	return errWrongCode
}

func (a *accounts) replaceRecoveryCodes(ctx context.Context, tx *Tx, userID int64, codes []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("drop recovery codes: %w", err)
	}
	for _, c := range codes {
		if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, account.HashRecoveryCode(userID, c)); err != nil {
			return fmt.Errorf("store recovery code: %w", err)
		}
	}
	return nil
}

// withCurrentCode runs fn in a transaction after spending a current TOTP
// code of the actor (recovery codes do not count here: they are for
// signing in without the app).
func (a *accounts) withCurrentCode(ctx context.Context, actor authz.Actor, code string, fn func(*Tx) error) error {
	if err := a.codeAllowed(ctx, actor.UserID); err != nil {
		return err
	}
	err := a.s.InTx(ctx, func(tx *Tx) error {
		if !account.IsTOTPCode(code) {
			return errWrongCode
		}
		if _, err := a.spendCode(ctx, tx, actor.UserID, code); err != nil {
			return err
		}
		return fn(tx)
	})
	if errors.Is(err, errWrongCode) {
		return a.ownCodeFailed(ctx, actor)
	}
	return err
}

func (a *accounts) RegenerateRecoveryCodes(ctx context.Context, actor authz.Actor, code string) ([]string, error) {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return nil, err
	}
	codes := account.NewRecoveryCodes(account.RecoveryCodeCount)
	err := a.withCurrentCode(ctx, actor, code, func(tx *Tx) error {
		if err := a.replaceRecoveryCodes(ctx, tx, actor.UserID, codes); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "mfa.recovery_regenerate", "user", strconv.FormatInt(actor.UserID, 10), nil,
			map[string]any{"recovery_codes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

func (a *accounts) DisableSecondFactor(ctx context.Context, actor authz.Actor, code string) error {
	if err := authz.Require(actor, authz.EditOwnProfile); err != nil {
		return err
	}
	if account.SecondFactorRequired(actor.Role) {
		return fault.New(fault.Forbidden, "your role (%s) requires a second factor", actor.Role)
	}
	return a.withCurrentCode(ctx, actor, code, func(tx *Tx) error {
		if err := dropSecondFactor(ctx, tx, actor.UserID); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "mfa.disable", "user", strconv.FormatInt(actor.UserID, 10), nil, map[string]any{"factor": "totp"})
	})
}

func dropSecondFactor(ctx context.Context, tx *Tx, userID int64) error {
	for _, q := range []string{
		`DELETE FROM user_totp WHERE user_id = $1`,
		`DELETE FROM recovery_codes WHERE user_id = $1`,
		`DELETE FROM signin_challenges WHERE user_id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("drop second factor: %w", err)
		}
	}
	return nil
}

func (a *accounts) ResetSecondFactor(ctx context.Context, actor authz.Actor, userID int64) error {
	if err := authz.Require(actor, authz.ManageUsers); err != nil {
		return err
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := dropSecondFactor(ctx, tx, userID); err != nil {
			return err
		}
		// Whoever holds the lost phone's sessions is signed out too.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return tx.Audit(ctx, actor, "mfa.reset", "user", strconv.FormatInt(userID, 10),
			map[string]any{"name": u.Name, "second_factor": u.SecondFactor}, map[string]any{"name": u.Name, "second_factor": false})
	})
}

func (a *accounts) SecondFactorOf(ctx context.Context, userID int64) (account.SecondFactor, error) {
	var out account.SecondFactor
	var confirmed sql.NullTime
	err := a.s.reader.QueryRowContext(ctx, `SELECT t.confirmed_at,
		(SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = t.user_id AND r.used_at IS NULL)
		FROM user_totp t WHERE t.user_id = $1`, userID).Scan(&confirmed, &out.RecoveryLeft)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("read second factor: %w", err)
	}
	out.Enabled = confirmed.Valid
	if out.Enabled {
		out.Since = utc(confirmed.Time)
	} else {
		out.RecoveryLeft = 0
	}
	return out, nil
}
