package store

import (
	"context"
	"crisisdesk/internal/deadline"
	"database/sql"
	"fmt"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/review"
)

// Reviews returns the post-crisis reviews' clock, draft and signature.
func (s *Store) Reviews() review.Service { return &reviews{s} }

type reviews struct{ s *Store }

func (rs *reviews) Signoff(ctx context.Context, crisisID int64) (review.Signoff, error) {
	return rs.signoff(ctx, rs.s.reader, crisisID)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (rs *reviews) signoff(ctx context.Context, db rowQuerier, crisisID int64) (review.Signoff, error) {
	var so review.Signoff
	var due, signed sql.NullTime
	var author, signer sql.NullInt64
	var facts string
	err := db.QueryRowContext(ctx, `SELECT crisis_id, due_at, author_id, signed_by, signed_at, facts FROM crisis_reviews WHERE crisis_id = $1`,
		crisisID).Scan(&so.CrisisID, &due, &author, &signer, &signed, &facts)
	if err != nil {
		return so, notFound(err, "review of crisis", crisisID)
	}
	so.DueAt, so.AuthorID, so.SignedBy, so.SignedAt = utcOrZero(timeOf(due)), author.Int64, signer.Int64, utcOrZero(timeOf(signed))
	if facts != "" {
		if err := jsonUnmarshal(facts, &so.Facts); err != nil {
			return so, fmt.Errorf("review %d facts: %w", crisisID, err)
		}
	}
	return so, nil
}

// Draft gathers what the crisis recorded: its times, clocks, timeline,
// published notices with their corrections and reach.
func (rs *reviews) Draft(ctx context.Context, crisisID int64) (review.Facts, error) {
	return rs.draft(ctx, rs.s.reader, crisisID)
}

func (rs *reviews) draft(ctx context.Context, db interface {
	querier
	rowQuerier
}, crisisID int64) (review.Facts, error) {
	var f review.Facts
	var act, first, closed sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT occurred_at, activated_at, first_notice_at, closed_at FROM crises WHERE id = $1`, crisisID).
		Scan(&f.OccurredAt, &act, &first, &closed); err != nil {
		return f, notFound(err, "crisis", crisisID)
	}
	f.OccurredAt, f.ActivatedAt, f.FirstNoticeAt, f.ClosedAt = utc(f.OccurredAt), utcOrZero(timeOf(act)), utcOrZero(timeOf(first)), utcOrZero(timeOf(closed))
	if !f.ActivatedAt.IsZero() {
		f.MinutesToActivate = f.ActivatedAt.Sub(f.OccurredAt).Minutes()
	}
	if !f.FirstNoticeAt.IsZero() {
		f.MinutesToNotice = f.FirstNoticeAt.Sub(f.OccurredAt).Minutes()
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM crisis_timeline WHERE crisis_id = $1`, crisisID).Scan(&f.TimelineEntries); err != nil {
		return f, fmt.Errorf("count the timeline: %w", err)
	}
	clocks, err := queryAll(ctx, db, "clocks", func(r rowScanner) (review.ClockLine, error) {
		var c review.ClockLine
		var subject string
		var met, cancelled sql.NullTime
		err := r.Scan(&c.Name, &subject, &c.Kind, &c.Due, &met, &cancelled)
		c.Name, c.Due, c.Met = crisis.Label(c.Name, subject), utc(c.Due), utcOrZero(timeOf(met))
		switch {
		case !c.Met.IsZero() && !c.Met.After(c.Due):
			c.State = "met"
		case !c.Met.IsZero():
			c.State = "late"
		case cancelled.Valid:
			c.State = "cancelled"
		default:
			c.State = "missed"
		}
		return c, err
	}, `SELECT name, subject, kind, due_at, met_at, cancelled_at FROM crisis_clocks WHERE crisis_id = $1 ORDER BY due_at, id`, crisisID)
	if err != nil {
		return f, err
	}
	f.Clocks = orEmpty(clocks)
	ns, err := queryAll(ctx, db, "notices", scanNotice, `SELECT `+noticeColumns+` FROM notices WHERE crisis_id = $1 AND status = 'published' ORDER BY published_at, id`, crisisID)
	if err != nil {
		return f, err
	}
	reach := map[int64][2]int{}
	rows, err := queryAll(ctx, db, "reach", func(r rowScanner) ([3]int64, error) {
		var x [3]int64
		err := r.Scan(&x[0], &x[1], &x[2])
		return x, err
	}, `SELECT d.notice_id, COUNT(*), SUM(CASE WHEN d.state = 'sent' THEN 1 ELSE 0 END) FROM deliveries d
		JOIN notices n ON n.id = d.notice_id WHERE n.crisis_id = $1 GROUP BY d.notice_id`, crisisID)
	if err != nil {
		return f, err
	}
	for _, x := range rows {
		reach[x[0]] = [2]int{int(x[1]), int(x[2])}
	}
	f.Notices = []review.NoticeLine{}
	for _, n := range ns {
		line := review.NoticeLine{ID: n.ID, Kind: string(n.Kind), Audience: string(n.Audience), Published: utcOrZero(n.PublishedAt),
			Recipients: reach[n.ID][0], Reached: reach[n.ID][1]}
		if len(n.Contents) > 0 {
			line.Headline = n.Contents[0].Headline
		}
		if n.Kind == notice.Correction {
			line.Correction = string(n.CorrectionReason)
		}
		f.Notices = append(f.Notices, line)
	}
	f.FactualCorrections, _ = notice.Accuracy(ns)
	f.Pending = []string{"feedback", "rumours", "survey"}
	return f, nil
}

// Sign freezes the draft and signs the review.
func (rs *reviews) Sign(ctx context.Context, a authz.Actor, crisisID int64) (review.Signoff, error) {
	var out review.Signoff
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		so, err := rs.signoff(ctx, tx.tx, crisisID)
		if err != nil {
			return err
		}
		facts, err := rs.draft(ctx, tx.tx, crisisID)
		if err != nil {
			return err
		}
		if so, err = review.Sign(so, a, tx.Now, facts); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE crisis_reviews SET signed_by = $1, signed_at = $2, facts = $3 WHERE crisis_id = $4`,
			a.UserID, tx.Now, mustJSON(so.Facts), crisisID); err != nil {
			return fmt.Errorf("sign the review: %w", err)
		}
		if err := tx.MeetDeadline(ctx, review.ClockKind, deadline.Subject{Kind: "crisis", ID: crisisID}); err != nil {
			return err
		}
		out = so
		return tx.Audit(ctx, a, "crisis.review_sign", "crisis", strconv.FormatInt(crisisID, 10), nil, map[string]any{"signed_by": a.UserID})
	})
	return out, err
}
