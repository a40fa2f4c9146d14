package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/plaintext"
)

// Personal links let a department or an outside expert send feedback
// without an account. Only a hash of the token is stored: the link is
// shown once, when it is made.

func linkHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func scanLink(r rowScanner) (feedback.PersonalLink, error) {
	var l feedback.PersonalLink
	var source string
	var revoked sql.NullTime
	err := r.Scan(&l.ID, &source, &l.SourceID, &l.Label, &l.CreatedAt, &revoked)
	l.Source, l.CreatedAt, l.RevokedAt = feedback.Source(source), utc(l.CreatedAt), timeOf(revoked)
	return l, err
}

const linkColumns = `id, source, source_id, label, created_at, revoked_at`

func (fs *feedbackStore) Links(ctx context.Context) ([]feedback.PersonalLink, error) {
	return queryAll(ctx, fs.s.reader, "feedback links", scanLink,
		`SELECT `+linkColumns+` FROM feedback_links ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`)
}

func (fs *feedbackStore) CreateLink(ctx context.Context, a authz.Actor, source feedback.Source, sourceID int64, label string) (feedback.PersonalLink, string, error) {
	if err := authz.Require(a, authz.FeedbackLinks); err != nil {
		return feedback.PersonalLink{}, "", err
	}
	label = strings.TrimSpace(label)
	var f fault.Fields
	if source != feedback.Department && source != feedback.Expert {
		f.Add("source", "choose a department or an outside expert")
	}
	if utf8.RuneCountInString(label) > 200 {
		f.Add("label", "at most 200 characters")
	}
	plaintext.CheckLine(&f, "label", label)
	if err := f.Err(); err != nil {
		return feedback.PersonalLink{}, "", err
	}
	if err := checkSubmission(ctx, fs.s.reader, feedback.Submission{Source: source, SourceID: sourceID}); err != nil {
		return feedback.PersonalLink{}, "", err
	}
	var raw [24]byte
	rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	var out feedback.PersonalLink
	err := fs.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO feedback_links (token_hash, source, source_id, label, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, linkHash(token), string(source), sourceID, label, tx.Now).Scan(&id); err != nil {
			return fmt.Errorf("insert feedback link: %w", err)
		}
		var err error
		if out, err = scanLink(tx.QueryRow(ctx, `SELECT `+linkColumns+` FROM feedback_links WHERE id = $1`, id)); err != nil {
			return fmt.Errorf("read feedback link: %w", err)
		}
		return tx.Audit(ctx, a, "feedback.link_create", "feedback_link", strconv.FormatInt(id, 10), nil,
			map[string]any{"source": source, "source_id": sourceID, "label": label})
	})
	return out, token, err
}

func (fs *feedbackStore) RevokeLink(ctx context.Context, a authz.Actor, id int64) error {
	if err := authz.Require(a, authz.FeedbackLinks); err != nil {
		return err
	}
	return fs.s.InTx(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE feedback_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.Now, id)
		if err != nil {
			return fmt.Errorf("revoke feedback link: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.NotFound, "feedback link %d not found or already revoked", id)
		}
		return tx.Audit(ctx, a, "feedback.link_revoke", "feedback_link", strconv.FormatInt(id, 10), nil, nil)
	})
}

func (fs *feedbackStore) LinkByToken(ctx context.Context, token string) (feedback.PersonalLink, error) {
	l, err := scanLink(fs.s.reader.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM feedback_links
		WHERE token_hash = $1 AND revoked_at IS NULL`, linkHash(token)))
	if err != nil {
		return l, notFound(err, "feedback link", "")
	}
	return l, nil
}
