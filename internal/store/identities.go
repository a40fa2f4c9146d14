package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

// oidcActor is who creates and updates the users the identity provider
// vouches for.
var oidcActor = authz.System(authz.SourceSystem, "oidc")

// errNoRole is the refusal of a person the identity provider knows but
// whose claims map to no role here.
var errNoRole = fault.New(fault.Forbidden, "your account at the identity provider has no role in crisisdesk")

func (a *accounts) SignInExternal(ctx context.Context, x account.ExternalIdentity, c account.Client) (account.SignedIn, error) {
	if x.Issuer == "" || x.Subject == "" {
		return account.SignedIn{}, fault.New(fault.Invalid, "the identity has no issuer or subject")
	}
	x.DisplayName, x.Email = clip(strings.TrimSpace(x.DisplayName), 100), strings.TrimSpace(x.Email)
	if x.Email != "" && (len(x.Email) > 254 || !strings.Contains(x.Email, "@") || strings.ContainsAny(x.Email, " <>\r\n")) {
		x.Email = ""
	}
	if x.Role == "" {
		// The refusal is kept on the record, then answered.
		err := a.s.InTx(ctx, func(tx *Tx) error {
			return tx.Audit(ctx, authz.Actor{Name: clip(x.Subject, 100), Source: authz.SourceUI}, "session.oidc_refused", "user", "", nil,
				map[string]any{"issuer": x.Issuer, "subject": x.Subject, "claim_values": x.Values, "address": c.Address})
		})
		if err != nil {
			return account.SignedIn{}, err
		}
		return account.SignedIn{}, errNoRole
	}
	if !x.Role.Valid() {
		return account.SignedIn{}, fault.New(fault.Invalid, "unknown role %q", x.Role)
	}
	var out account.SignedIn
	err := a.s.InTx(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2`, x.Issuer, x.Subject).Scan(&userID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if userID, err = a.createExternal(ctx, tx, x); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("read identity: %w", err)
		default:
			if err := a.updateExternal(ctx, tx, userID, x); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE user_identities SET last_seen = $1 WHERE issuer = $2 AND subject = $3`,
			tx.Now, x.Issuer, x.Subject); err != nil {
			return fmt.Errorf("touch identity: %w", err)
		}
		if out.User, err = a.txUser(ctx, tx, userID); err != nil {
			return err
		}
		if out.User.Disabled {
			return fault.New(fault.Forbidden, "user %s is disabled", out.User.Name)
		}
		return a.complete(ctx, tx, &out, account.MethodOIDC, c,
			map[string]any{"address": c.Address, "method": account.MethodOIDC, "issuer": x.Issuer, "subject": x.Subject})
	})
	if err != nil {
		return account.SignedIn{}, err
	}
	return out, nil
}

// createExternal makes the user for a new identity, under a free name, and
// links them. The user has no password: they sign in through the
// provider only, unless an admin gives them one.
func (a *accounts) createExternal(ctx context.Context, tx *Tx, x account.ExternalIdentity) (int64, error) {
	depID, err := a.departmentByCode(ctx, tx, x)
	if err != nil {
		return 0, err
	}
	base := account.SuggestName(x.PreferredName, x.Email, x.Issuer, x.Subject)
	display := x.DisplayName
	if display == "" {
		display = base
	}
	var id int64
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = base + "-" + strconv.Itoa(n)
		}
		if n > 50 {
			return 0, fault.New(fault.Conflict, "no free user name like %q", base)
		}
		var taken int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE name = $1`, name).Scan(&taken); err != nil {
			return 0, fmt.Errorf("check user name: %w", err)
		}
		if taken > 0 {
			continue
		}
		if err := tx.QueryRow(ctx, `INSERT INTO users (name, display_name, email, role, department_id, language,
			password_hash, must_change_password, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '', '', FALSE, $6, $6) RETURNING id`,
			name, display, x.Email, string(x.Role), nullInt(depID), tx.Now).Scan(&id); err != nil {
			return 0, fmt.Errorf("create user from identity: %w", err)
		}
		break
	}
	if _, err := tx.Exec(ctx, `INSERT INTO user_identities (issuer, subject, user_id, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)`,
		x.Issuer, x.Subject, id, tx.Now); err != nil {
		return 0, fmt.Errorf("link identity: %w", err)
	}
	u, err := a.txUser(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	after := auditUser(u)
	after["issuer"], after["subject"] = x.Issuer, x.Subject
	return id, tx.Audit(ctx, oidcActor, "user.create", "user", strconv.FormatInt(id, 10), nil, after)
}

// updateExternal brings a linked user in line with what the provider says
// now: role, department (when mapped), display name and e-mail.
func (a *accounts) updateExternal(ctx context.Context, tx *Tx, id int64, x account.ExternalIdentity) error {
	before, err := a.txUser(ctx, tx, id)
	if err != nil {
		return err
	}
	depID := before.DepartmentID
	if x.DepartmentMapped {
		if depID, err = a.departmentByCode(ctx, tx, x); err != nil {
			return err
		}
	}
	display, email := x.DisplayName, x.Email
	if display == "" {
		display = before.DisplayName
	}
	if before.Role == x.Role && before.DepartmentID == depID && before.DisplayName == display && before.Email == email {
		return nil
	}
	if before.Role == authz.Admin && x.Role != authz.Admin && !before.Disabled {
		if err := a.keepOneAdmin(ctx, tx, id); err != nil {
			return fault.New(fault.Forbidden, "the identity provider no longer makes %s an admin, and no other admin is left", before.Name)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET role = $1, department_id = $2, display_name = $3, email = $4,
		updated_at = $5, version = version + 1 WHERE id = $6`,
		string(x.Role), nullInt(depID), display, email, tx.Now, id); err != nil {
		return fmt.Errorf("update user from identity: %w", err)
	}
	after, err := a.txUser(ctx, tx, id)
	if err != nil {
		return err
	}
	return tx.Audit(ctx, oidcActor, "user.update", "user", strconv.FormatInt(id, 10), auditUser(before), auditUser(after))
}

// departmentByCode finds the mapped department; an unknown code is no
// department.
func (a *accounts) departmentByCode(ctx context.Context, tx *Tx, x account.ExternalIdentity) (int64, error) {
	if !x.DepartmentMapped || x.Department == "" {
		return 0, nil
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM departments WHERE code = $1`, strings.ToLower(strings.TrimSpace(x.Department))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		a.s.log.Warn("oidc: the department claim names no department", "code", x.Department, "subject", x.Subject)
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find department: %w", err)
	}
	return id, nil
}

func (a *accounts) SaveExternalLogin(ctx context.Context, l account.ExternalLogin) error {
	if l.State == "" || l.Nonce == "" || l.Verifier == "" {
		return fault.New(fault.Invalid, "an authorisation request needs a state, a nonce and a verifier")
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO oidc_logins (state_hash, nonce, verifier, next, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, account.HashSecret(l.State), l.Nonce, l.Verifier, l.Next, tx.Now, tx.Now.Add(account.ExternalLoginTTL))
		if err != nil {
			return fmt.Errorf("save authorisation request: %w", err)
		}
		return nil
	})
}

var errLoginEnded = fault.New(fault.Unauthenticated, "the sign-in at the identity provider took too long or was used already: start again")

func (a *accounts) TakeExternalLogin(ctx context.Context, state string) (account.ExternalLogin, error) {
	if state == "" {
		return account.ExternalLogin{}, errLoginEnded
	}
	l := account.ExternalLogin{State: state}
	var expires time.Time
	err := a.s.InTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING nonce, verifier, next, expires_at`,
			account.HashSecret(state)).Scan(&l.Nonce, &l.Verifier, &l.Next, &expires)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return account.ExternalLogin{}, errLoginEnded
	}
	if err != nil {
		return account.ExternalLogin{}, fmt.Errorf("take authorisation request: %w", err)
	}
	if !a.s.clock.Now().Before(expires) {
		return account.ExternalLogin{}, errLoginEnded
	}
	return l, nil
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
