package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
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

// fanoutJournalists adds the journalists a press release was addressed
// to, by e-mail, in their language: only those active, with consent and
// e-mail among the channels they agreed to.
func (tx *Tx) fanoutJournalists(ctx context.Context, n notice.Notice) (int, error) {
	list, err := queryAll(ctx, tx, "press release recipients", scanJournalist, `SELECT `+prefixed("j.", journalistColumns)+`
		FROM press_release_recipients r JOIN journalists j ON j.id = r.journalist_id WHERE r.notice_id = $1 ORDER BY j.id`, n.ID)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, j := range list {
		if !j.Reachable() {
			continue
		}
		res, err := tx.Exec(ctx, insertDelivery, n.ID, delivery.ToJournalist, j.ID, channel.Email, j.Email, j.Language,
			string(delivery.Queued), tx.Now, nil)
		if err != nil {
			return 0, fmt.Errorf("add journalist delivery: %w", err)
		}
		added += affected(res)
	}
	return added, nil
}

func (p *pressDesk) SetReleaseRecipients(ctx context.Context, a authz.Actor, noticeID int64, journalists []int64) error {
	if err := authz.Require(a, authz.ManageMedia); err != nil {
		return err
	}
	return p.s.InTx(ctx, func(tx *Tx) error {
		var audience, status string
		if err := tx.QueryRow(ctx, `SELECT audience, status FROM notices WHERE id = $1`, noticeID).Scan(&audience, &status); err != nil {
			return notFound(err, "notice", noticeID)
		}
		if audience != string(notice.Media) {
			return fault.Field("notice_id", "notice %d is not for the media", noticeID)
		}
		if status == string(notice.Published) {
			return fault.New(fault.Conflict, "notice %d is published: its recipients were fixed then", noticeID)
		}
		before, err := txReleaseRecipients(ctx, tx, noticeID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM press_release_recipients WHERE notice_id = $1`, noticeID); err != nil {
			return fmt.Errorf("clear press release recipients: %w", err)
		}
		var after []int64
		for _, id := range journalists {
			if id <= 0 || slices.Contains(after, id) {
				continue
			}
			j, err := txJournalist(ctx, tx, id)
			if err != nil {
				return fault.Field("journalist_ids", "there is no journalist %d", id)
			}
			if !j.Reachable() {
				return fault.Field("journalist_ids", "%s has not agreed to press releases by e-mail", j.Name)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO press_release_recipients (notice_id, journalist_id) VALUES ($1, $2)`, noticeID, id); err != nil {
				return fmt.Errorf("add press release recipient: %w", err)
			}
			after = append(after, id)
		}
		return tx.Audit(ctx, a, "notice.press_recipients", "notice", strconv.FormatInt(noticeID, 10), before, after)
	})
}

func txReleaseRecipients(ctx context.Context, q querier, noticeID int64) ([]int64, error) {
	return queryAll(ctx, q, "press release recipients", func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT journalist_id FROM press_release_recipients WHERE notice_id = $1 ORDER BY journalist_id`, noticeID)
}

func (p *pressDesk) ReleaseRecipients(ctx context.Context, noticeID int64) ([]int64, error) {
	return txReleaseRecipients(ctx, p.s.reader, noticeID)
}
