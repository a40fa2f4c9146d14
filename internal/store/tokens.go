package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func (a *accounts) CreateToken(ctx context.Context, actor authz.Actor, userID int64, label string) (string, account.Token, error) {
	if err := authz.Require(actor, authz.ManageTokens); err != nil {
		return "", account.Token{}, err
	}
	label = strings.TrimSpace(label)
	if err := account.ValidateLabel(label); err != nil {
		return "", account.Token{}, err
	}
	secret, hash := account.NewSecret(account.TokenPrefix)
	t := account.Token{UserID: userID, Label: label, Prefix: secret[:len(account.TokenPrefix)+6]}
	err := a.s.InTx(ctx, func(tx *Tx) error {
		u, err := a.txUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return fault.Field("user", "user %s is disabled", u.Name)
		}
		t.CreatedAt = tx.Now
		if err := tx.QueryRow(ctx, `INSERT INTO api_tokens (secret_hash, user_id, label, prefix, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, hash, userID, label, t.Prefix, tx.Now).Scan(&t.ID); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return tx.Audit(ctx, actor, "token.create", "token", strconv.FormatInt(t.ID, 10), nil,
			map[string]any{"user": u.Name, "label": label, "prefix": t.Prefix})
	})
	if err != nil {
		return "", account.Token{}, err
	}
	return secret, t, nil
}

var errBadToken = fault.New(fault.Unauthenticated, "the API token is unknown or revoked")

func (a *accounts) TokenUser(ctx context.Context, secret string) (account.User, error) {
	if !strings.HasPrefix(secret, account.TokenPrefix) {
		return account.User{}, errBadToken
	}
	var id, userID int64
	var revoked, lastUsed sql.NullTime
	err := a.s.reader.QueryRowContext(ctx, `SELECT id, user_id, revoked_at, last_used_at FROM api_tokens WHERE secret_hash = $1`,
		account.HashSecret(secret)).Scan(&id, &userID, &revoked, &lastUsed)
	if err != nil || revoked.Valid {
		return account.User{}, errBadToken
	}
	u, err := a.User(ctx, userID)
	if err != nil || u.Disabled {
		return account.User{}, errBadToken
	}
	// Noted in memory and written in a batch (lastused.go), so that
	// recognising a token never waits on the writer.
	a.s.lastUsed.note(tokenUse, id, lastUsed.Time, a.s.clock.Now())
	return u, nil
}

func (a *accounts) ListTokens(ctx context.Context, userID int64) ([]account.Token, error) {
	rows, err := a.s.reader.QueryContext(ctx, `SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []account.Token
	for rows.Next() {
		var t account.Token
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Label, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = utc(t.CreatedAt), utc(used.Time), utc(revoked.Time)
		if !used.Valid {
			t.LastUsedAt = time.Time{}
		}
		if !revoked.Valid {
			t.RevokedAt = time.Time{}
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (a *accounts) RevokeToken(ctx context.Context, actor authz.Actor, id int64) error {
	if err := authz.Require(actor, authz.ManageTokens); err != nil {
		return err
	}
	return a.s.InTx(ctx, func(tx *Tx) error {
		var label, prefix string
		var revoked sql.NullTime
		if err := tx.QueryRow(ctx, `SELECT label, prefix, revoked_at FROM api_tokens WHERE id = $1`, id).Scan(&label, &prefix, &revoked); err != nil {
			return notFound(err, "token", id)
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return tx.Audit(ctx, actor, "token.revoke", "token", strconv.FormatInt(id, 10),
			map[string]any{"label": label, "prefix": prefix}, map[string]any{"label": label, "prefix": prefix, "revoked": true})
	})
}
