package store

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/plan"
)

// ReviewReminder is a plan whose review is near or past, and its author.
type ReviewReminder struct {
	Plan   plan.Plan
	Author account.User
}

// DueReviewReminders claims the approved plans whose review falls due
// within `within` and whose author has not been reminded since the plan
// entered that window — or that have lapsed since the last reminder — and
// marks them reminded, in one transaction, so that each reminder is sent
// once even with several replicas.
func (s *Store) DueReviewReminders(ctx context.Context, within time.Duration) ([]ReviewReminder, error) {
	var out []ReviewReminder
	err := s.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+planColumns+` FROM plans WHERE status = 'approved' AND review_due IS NOT NULL
			AND review_due <= $1 AND (review_reminded_at IS NULL
				OR (review_reminded_at < review_due AND review_due <= $2))`, tx.Now.Add(within), tx.Now)
		if err != nil {
			return fmt.Errorf("plans due for review: %w", err)
		}
		var due []plan.Plan
		for rows.Next() {
			p, err := scanPlan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, p)
		}
		rows.Close()
		for _, p := range due {
			author, err := userByID(ctx, tx.tx, p.AuthorID)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE plans SET review_reminded_at = $1 WHERE id = $2`, tx.Now, p.ID); err != nil {
				return fmt.Errorf("mark reminded: %w", err)
			}
			out = append(out, ReviewReminder{Plan: p, Author: author})
		}
		return nil
	})
	return out, err
}
