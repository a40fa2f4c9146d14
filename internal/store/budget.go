package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
)

const lineColumns = `id, name, source, cost_item, year, amount, spent, version`

func scanLine(r rowScanner) (resource.Line, error) {
	var l resource.Line
	err := r.Scan(&l.ID, &l.Name, &l.Source, &l.CostItem, &l.Year, &l.Amount, &l.Spent, &l.Version)
	return l, err
}

func (rs *resources) Lines(ctx context.Context) ([]resource.Line, error) {
	return queryAll(ctx, rs.s.reader, "budget lines", scanLine, `SELECT `+lineColumns+` FROM budget_lines ORDER BY year DESC, cost_item, name, id`)
}

func (rs *resources) Line(ctx context.Context, id int64) (resource.Line, error) {
	l, err := scanLine(rs.s.reader.QueryRowContext(ctx, `SELECT `+lineColumns+` FROM budget_lines WHERE id = $1`, id))
	if err != nil {
		return l, notFound(err, "budget line", id)
	}
	return l, nil
}

func (rs *resources) AddLine(ctx context.Context, a authz.Actor, l resource.Line) (resource.Line, error) {
	if err := authz.Require(a, authz.ManageResources); err != nil {
		return l, err
	}
	l.Name = strings.TrimSpace(l.Name)
	if err := l.Validate(); err != nil {
		return l, err
	}
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO budget_lines (name, source, cost_item, year, amount, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, l.Name, l.Source, l.CostItem, l.Year, l.Amount, tx.Now).Scan(&l.ID); err != nil {
			return fmt.Errorf("insert budget line: %w", err)
		}
		l.Spent, l.Version = 0, 1
		return tx.Audit(ctx, a, "budget_line.create", "budget_line", strconv.FormatInt(l.ID, 10), nil, l)
	})
	return l, err
}

func (rs *resources) Spend(ctx context.Context, a authz.Actor, s resource.Spending) (resource.Spending, error) {
	if err := authz.Require(a, authz.AllocateResources); err != nil {
		return s, err
	}
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanLine(tx.QueryRow(ctx, `SELECT `+lineColumns+` FROM budget_lines WHERE id = $1`, s.LineID))
		if err != nil {
			if err == sql.ErrNoRows {
				return fault.Field("line_id", "there is no budget line %d", s.LineID)
			}
			return fmt.Errorf("read budget line %d: %w", s.LineID, err)
		}
		after, spent, err := resource.Spend(before, s)
		if err != nil {
			return err
		}
		s = spent
		if err := checkTargets(ctx, tx, s.CrisisID, s.DrillID); err != nil {
			return err
		}
		// Guarded on the spent total read above, so that two spendings at
		// once cannot both pass the check.
		res, err := tx.Exec(ctx, `UPDATE budget_lines SET spent = spent + $1, version = version + 1 WHERE id = $2 AND spent = $3`,
			s.Amount, s.LineID, before.Spent)
		if err != nil {
			return fmt.Errorf("spend on line %d: %w", s.LineID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "budget line %s changed meanwhile: try again", before.Name)
		}
		s.ActorID, s.At = a.UserID, tx.Now
		if err := tx.QueryRow(ctx, `INSERT INTO budget_spending (line_id, amount, crisis_id, drill_id, note, override, override_reason, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, s.LineID, s.Amount, nullInt(s.CrisisID), nullInt(s.DrillID), s.Note,
			s.Override, s.OverrideReason, nullInt(a.UserID), tx.Now).Scan(&s.ID); err != nil {
			return fmt.Errorf("record spending: %w", err)
		}
		return tx.Audit(ctx, a, "budget_line.spend", "budget_line", strconv.FormatInt(s.LineID, 10),
			map[string]any{"spent": before.Spent}, map[string]any{"spent": after.Spent, "spending": s})
	})
	return s, err
}

const spendingColumns = `id, line_id, amount, crisis_id, drill_id, note, override, override_reason, actor_id, at`

func scanSpending(r rowScanner) (resource.Spending, error) {
	var s resource.Spending
	var crisisID, drillID, actorID sql.NullInt64
	if err := r.Scan(&s.ID, &s.LineID, &s.Amount, &crisisID, &drillID, &s.Note, &s.Override, &s.OverrideReason, &actorID, &s.At); err != nil {
		return s, err
	}
	s.CrisisID, s.DrillID, s.ActorID, s.At = crisisID.Int64, drillID.Int64, actorID.Int64, utc(s.At)
	return s, nil
}

func (rs *resources) Spendings(ctx context.Context, lineID int64) ([]resource.Spending, error) {
	if lineID == 0 {
		return queryAll(ctx, rs.s.reader, "spending", scanSpending, `SELECT `+spendingColumns+` FROM budget_spending ORDER BY at DESC, id DESC`)
	}
	return queryAll(ctx, rs.s.reader, "spending", scanSpending, `SELECT `+spendingColumns+` FROM budget_spending WHERE line_id = $1 ORDER BY at DESC, id DESC`, lineID)
}

func (rs *resources) Shortfalls(ctx context.Context) (resource.Shortfalls, error) {
	items, err := rs.Items(ctx)
	if err != nil {
		return resource.Shortfalls{}, err
	}
	lines, err := rs.Lines(ctx)
	if err != nil {
		return resource.Shortfalls{}, err
	}
	return resource.FindShortfalls(items, lines, rs.s.clock.Now()), nil
}

func (rs *resources) CompleteReview(ctx context.Context, a authz.Actor, decisions string) (resource.Review, error) {
	if err := authz.Require(a, authz.ReviewResources); err != nil {
		return resource.Review{}, err
	}
	decisions = strings.TrimSpace(decisions)
	if err := resource.ValidateDecisions(decisions); err != nil {
		return resource.Review{}, err
	}
	sf, err := rs.Shortfalls(ctx)
	if err != nil {
		return resource.Review{}, err
	}
	var r resource.Review
	err = rs.s.InTx(ctx, func(tx *Tx) error {
		r = resource.Review{ReviewerID: a.UserID, Reviewer: a.Name, At: tx.Now, Decisions: decisions, Shortfalls: sf.Count(),
			NextDue: tx.Now.Add(resource.ReviewEvery)}
		if err := tx.QueryRow(ctx, `INSERT INTO resource_reviews (reviewer_id, at, decisions, shortfalls, next_due)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, nullInt(a.UserID), tx.Now, decisions, r.Shortfalls, r.NextDue).Scan(&r.ID); err != nil {
			return fmt.Errorf("record resource review: %w", err)
		}
		if err := restartReviewClock(ctx, tx, r); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "resource.review", "resource_review", strconv.FormatInt(r.ID, 10), nil, r)
	})
	return r, err
}

func (rs *resources) Reviews(ctx context.Context, limit int) ([]resource.Review, error) {
	_, limit = clampPage(0, limit)
	return queryAll(ctx, rs.s.reader, "resource reviews", func(row rowScanner) (resource.Review, error) {
		var r resource.Review
		var by sql.NullInt64
		var name sql.NullString
		if err := row.Scan(&r.ID, &by, &name, &r.At, &r.Decisions, &r.Shortfalls, &r.NextDue); err != nil {
			return r, err
		}
		r.ReviewerID, r.Reviewer, r.At, r.NextDue = by.Int64, name.String, utc(r.At), utc(r.NextDue)
		return r, nil
	}, `SELECT r.id, r.reviewer_id, u.display_name, r.at, r.decisions, r.shortfalls, r.next_due
		FROM resource_reviews r LEFT JOIN users u ON u.id = r.reviewer_id ORDER BY r.at DESC, r.id DESC LIMIT $1`, limit)
}
