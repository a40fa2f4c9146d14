package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/press"
)

func scanAccount(r rowScanner) (press.Account, error) {
	var a press.Account
	err := r.Scan(&a.ID, &a.Platform, &a.Handle, &a.Active)
	return a, err
}

func (p *pressDesk) Accounts(ctx context.Context) ([]press.Account, error) {
	return queryAll(ctx, p.s.reader, "social accounts", scanAccount,
		`SELECT id, platform, handle, active FROM social_accounts ORDER BY platform, handle`)
}

func (p *pressDesk) AddAccount(ctx context.Context, a authz.Actor, acc press.Account) (press.Account, error) {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return acc, err
	}
	if err := acc.Validate(); err != nil {
		return acc, err
	}
	err := p.s.InTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO social_accounts (platform, handle, active, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			acc.Platform, acc.Handle, acc.Active, tx.Now).Scan(&acc.ID); err != nil {
			if isUnique(err) {
				return fault.Field("handle", "%s %s is already listed", acc.Platform, acc.Handle)
			}
			return fmt.Errorf("insert social account: %w", err)
		}
		return tx.Audit(ctx, a, "social_account.create", "social_account", strconv.FormatInt(acc.ID, 10), nil, acc)
	})
	return acc, err
}

func scanPost(r rowScanner) (press.Post, error) {
	var p press.Post
	var by sql.NullInt64
	if err := r.Scan(&p.ID, &p.AccountID, &p.NoticeID, &p.Text, &p.URL, &by, &p.PostedAt); err != nil {
		return p, err
	}
	p.PostedBy, p.PostedAt = by.Int64, utc(p.PostedAt)
	return p, nil
}

func (p *pressDesk) RecordPost(ctx context.Context, a authz.Actor, post press.Post) (press.Post, error) {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return post, err
	}
	err := p.s.InTx(ctx, func(tx *Tx) error {
		acc, err := scanAccount(tx.QueryRow(ctx, `SELECT id, platform, handle, active FROM social_accounts WHERE id = $1`, post.AccountID))
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fault.Field("account_id", "there is no social account %d", post.AccountID)
			}
			return fmt.Errorf("read social account: %w", err)
		}
		if err := press.ValidatePost(acc, post); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notices WHERE id = $1`, post.NoticeID).Scan(&n); err != nil {
			return fmt.Errorf("check notice: %w", err)
		}
		if n == 0 {
			return fault.Field("notice_id", "there is no notice %d", post.NoticeID)
		}
		post.PostedBy, post.PostedAt = a.UserID, tx.Now
		if err := tx.QueryRow(ctx, `INSERT INTO social_posts (account_id, notice_id, text, url, posted_by, posted_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, post.AccountID, post.NoticeID, post.Text, post.URL, nullInt(a.UserID), tx.Now).Scan(&post.ID); err != nil {
			return fmt.Errorf("insert social post: %w", err)
		}
		return tx.Audit(ctx, a, "social_post.create", "social_post", strconv.FormatInt(post.ID, 10), nil, post)
	})
	return post, err
}

func (p *pressDesk) Posts(ctx context.Context, noticeID int64) ([]press.Post, error) {
	const cols = `SELECT id, account_id, notice_id, text, url, posted_by, posted_at FROM social_posts`
	if noticeID == 0 {
		return queryAll(ctx, p.s.reader, "social posts", scanPost, cols+` ORDER BY posted_at DESC, id DESC LIMIT 200`)
	}
	return queryAll(ctx, p.s.reader, "social posts", scanPost, cols+` WHERE notice_id = $1 ORDER BY posted_at DESC, id DESC`, noticeID)
}
