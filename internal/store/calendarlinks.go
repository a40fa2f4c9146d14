package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func (a *accounts) NewCalendarLink(ctx context.Context, actor authz.Actor) (string, error) {
	if actor.UserID == 0 {
		return "", fault.New(fault.Forbidden, "only a person has a calendar")
	}
	secret, hash := account.NewSecret(account.CalendarPrefix)
	err := a.s.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE calendar_links SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`,
			tx.Now, actor.UserID); err != nil {
			return fmt.Errorf("revoke calendar link: %w", err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO calendar_links (user_id, secret_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
			actor.UserID, hash, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("make calendar link: %w", err)
		}
		return tx.Audit(ctx, actor, "calendar_link.create", "user", strconv.FormatInt(actor.UserID, 10), nil, map[string]any{"link": id})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

var errBadCalendarLink = fault.New(fault.Unauthenticated, "the calendar link is unknown or was replaced")

func (a *accounts) CalendarLinkUser(ctx context.Context, secret string) (account.User, error) {
	if !strings.HasPrefix(secret, account.CalendarPrefix) {
		return account.User{}, errBadCalendarLink
	}
	var userID int64
	if err := a.s.reader.QueryRowContext(ctx, `SELECT user_id FROM calendar_links WHERE secret_hash = $1 AND revoked_at IS NULL`,
		account.HashSecret(secret)).Scan(&userID); err != nil {
		return account.User{}, errBadCalendarLink
	}
	u, err := userByID(ctx, a.s.reader, userID)
	if err != nil || u.Disabled {
		return account.User{}, errBadCalendarLink
	}
	return u, nil
}
