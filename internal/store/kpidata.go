package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/kpi"
)

// Data loads the facts the figures of [from, to) are computed from:
// crises by their occurrence, clocks by their due time, public notices
// by publication (and the later corrections of them), the internal
// audit, the drills that ended, and the reach of each notice.
func (e *Evaluation) Data(ctx context.Context, from, to time.Time) (kpi.Data, error) {
	var d kpi.Data
	var err error
	db := e.s.reader
	from, to = from.UTC(), to.UTC()
	if d.Crises, err = queryAll(ctx, db, "crises", func(r rowScanner) (kpi.Crisis, error) {
		var c kpi.Crisis
		var act, first sql.NullTime
		err := r.Scan(&c.ID, &c.TypeID, &c.Level, &c.PlanID, &c.Exercise, &c.OccurredAt, &act, &first)
		c.OccurredAt, c.ActivatedAt, c.FirstNoticeAt = utc(c.OccurredAt), utcOrZero(timeOf(act)), utcOrZero(timeOf(first))
		return c, err
	}, `SELECT id, type_id, level, COALESCE(plan_id, 0), exercise, occurred_at, activated_at, first_notice_at
		FROM crises WHERE occurred_at >= $1 AND occurred_at < $2`, from, to); err != nil {
		return d, err
	}
	if d.Clocks, err = queryAll(ctx, db, "clocks", func(r rowScanner) (kpi.Clock, error) {
		var c kpi.Clock
		var name string
		var met, cancelled sql.NullTime
		err := r.Scan(&c.CrisisID, &c.PlanID, &c.TypeID, &c.Level, &c.Kind, &name, &c.Exercise, &c.StartedAt, &c.DueAt, &met, &cancelled)
		if name == drill.ReportClock {
			c.Kind = drill.ReportClock
		}
		c.StartedAt, c.DueAt, c.MetAt, c.Cancelled = utc(c.StartedAt), utc(c.DueAt), utcOrZero(timeOf(met)), cancelled.Valid
		return c, err
	}, `SELECT k.crisis_id, COALESCE(c.plan_id, 0), c.type_id, c.level, k.kind, k.name, c.exercise, k.started_at, k.due_at,
			k.met_at, k.cancelled_at
		FROM crisis_clocks k JOIN crises c ON c.id = k.crisis_id WHERE k.due_at >= $1 AND k.due_at < $2`, from, to); err != nil {
		return d, err
	}
	// The deadlines of everything that is not a crisis clock: feedback
	// replies, reviews and the like, each under its own kind.
	more, err := queryAll(ctx, db, "deadlines", func(r rowScanner) (kpi.Clock, error) {
		var c kpi.Clock
		var met, cancelled sql.NullTime
		err := r.Scan(&c.CrisisID, &c.PlanID, &c.TypeID, &c.Level, &c.Kind, &c.Exercise, &c.StartedAt, &c.DueAt, &met, &cancelled)
		c.StartedAt, c.DueAt, c.MetAt, c.Cancelled = utc(c.StartedAt), utc(c.DueAt), utcOrZero(timeOf(met)), cancelled.Valid
		return c, err
	}, `SELECT COALESCE(d.crisis_id, 0), COALESCE(c.plan_id, 0), COALESCE(c.type_id, 0), COALESCE(c.level, 0), d.kind,
			COALESCE(c.exercise, FALSE), d.started_at, d.due_at, d.met_at, d.cancelled_at
		FROM deadlines d LEFT JOIN crises c ON c.id = d.crisis_id WHERE d.due_at >= $1 AND d.due_at < $2`, from, to)
	if err != nil {
		return d, err
	}
	d.Clocks = append(d.Clocks, more...)
	for _, src := range e.clockSources {
		more, err := src.Clocks(ctx, kpi.Scope{From: from, To: to})
		if err != nil {
			return d, fmt.Errorf("clocks from a source: %w", err)
		}
		d.Clocks = append(d.Clocks, more...)
	}
	if d.Notices, err = queryAll(ctx, db, "notices", func(r rowScanner) (kpi.Notice, error) {
		var n kpi.Notice
		var kind, reason string
		err := r.Scan(&n.ID, &n.CrisisID, &n.TypeID, &n.Level, &n.Exercise, &kind, &reason, &n.References, &n.PublishedAt)
		n.Public, n.Correction, n.Factual, n.PublishedAt = true, kind == "correction", reason == "factual", utc(n.PublishedAt)
		return n, err
	}, `SELECT n.id, COALESCE(n.crisis_id, 0), COALESCE(c.type_id, 0), COALESCE(c.level, 0), n.exercise, n.kind,
			n.correction_reason, COALESCE(n.references_id, 0), n.published_at
		FROM notices n LEFT JOIN crises c ON c.id = n.crisis_id
		WHERE n.status = 'published' AND n.audience = 'public' AND n.published_at >= $1
			AND (n.published_at < $2 OR n.kind = 'correction')`, from, to); err != nil {
		return d, err
	}
	if d.Audits, err = e.audits(ctx, ""); err != nil {
		return d, err
	}
	if d.Drills, err = e.drillFacts(ctx, from, to); err != nil {
		return d, err
	}
	if d.Deliveries, err = e.reach(ctx, from, to); err != nil {
		return d, err
	}
	d.Plugged = map[kpi.Key]map[kpi.Series]kpi.Value{}
	for id, src := range e.sources {
		for _, series := range []kpi.Series{kpi.Real, kpi.Exercise} {
			v, err := src.Measure(ctx, kpi.Scope{From: from, To: to}, series)
			if err != nil {
				return d, fmt.Errorf("measure %s: %w", id, err)
			}
			if d.Plugged[kpi.Key(id)] == nil {
				d.Plugged[kpi.Key(id)] = map[kpi.Series]kpi.Value{}
			}
			d.Plugged[kpi.Key(id)][series] = v
		}
	}
	return d, nil
}

func (e *Evaluation) drillFacts(ctx context.Context, from, to time.Time) ([]kpi.Drill, error) {
	return queryAll(ctx, e.s.reader, "drills", func(r rowScanner) (kpi.Drill, error) {
		var d kpi.Drill
		var improvements, ratings string
		if err := r.Scan(&d.ID, &d.TypeID, &d.Level, &d.PlanID, &d.EndedAt, &improvements, &ratings, &d.Actions, &d.ClosedOnTime); err != nil {
			return d, err
		}
		d.EndedAt = utc(d.EndedAt)
		var imp []string
		var rs []drill.ObjectiveRating
		if err := jsonUnmarshal(improvements, &imp); err != nil {
			return d, fmt.Errorf("drill %d improvements: %w", d.ID, err)
		}
		if err := jsonUnmarshal(ratings, &rs); err != nil {
			return d, fmt.Errorf("drill %d ratings: %w", d.ID, err)
		}
		d.Problems = len(imp)
		for _, o := range rs {
			if o.Rating != "" {
				d.Rated++
			}
			if o.Rating == drill.Performed {
				d.Performed++
			}
		}
		return d, nil
	}, `SELECT d.id, d.type_id, d.level, d.plan_id, d.ended_at, r.improvements, r.ratings,
			(SELECT COUNT(*) FROM actions a WHERE a.source_kind = 'drill' AND a.source_id = d.id),
			(SELECT COUNT(*) FROM actions a WHERE a.source_kind = 'drill' AND a.source_id = d.id AND a.state = 'verified' AND a.done_at <= a.due)
		FROM drills d JOIN drill_reports r ON r.drill_id = d.id WHERE d.ended_at >= $1 AND d.ended_at < $2`, from, to)
}

// reach reads, for each public notice published in [from, to), its
// recipients, those reached, and when the delivery that made 95 % went.
func (e *Evaluation) reach(ctx context.Context, from, to time.Time) ([]kpi.Delivery, error) {
	return queryAll(ctx, e.s.reader, "reach", func(r rowScanner) (kpi.Delivery, error) {
		var d kpi.Delivery
		var at sql.NullTime
		err := r.Scan(&d.NoticeID, &d.TypeID, &d.Level, &d.Exercise, &d.PublishedAt, &d.Recipients, &d.Reached, &at)
		d.PublishedAt = utc(d.PublishedAt)
		if at.Valid {
			d.To95 = at.Time.Sub(d.PublishedAt)
		}
		return d, err
	}, `SELECT x.notice_id, COALESCE(c.type_id, 0), COALESCE(c.level, 0), n.exercise, n.published_at, x.total, x.reached, x.sent_at
		FROM (SELECT notice_id, sent_at, total, reached, rn FROM (
				SELECT d.notice_id, d.sent_at,
					COUNT(*) OVER (PARTITION BY d.notice_id) AS total,
					SUM(CASE WHEN d.state = 'sent' THEN 1 ELSE 0 END) OVER (PARTITION BY d.notice_id) AS reached,
					ROW_NUMBER() OVER (PARTITION BY d.notice_id ORDER BY CASE WHEN d.sent_at IS NULL THEN 1 ELSE 0 END, d.sent_at) AS rn
				FROM deliveries d JOIN notices m ON m.id = d.notice_id
				WHERE m.status = 'published' AND m.audience = 'public' AND m.published_at >= $1 AND m.published_at < $2) y
			WHERE y.rn * 100 >= 95 * y.total AND (y.rn - 1) * 100 < 95 * y.total) x
		JOIN notices n ON n.id = x.notice_id LEFT JOIN crises c ON c.id = n.crisis_id`, from, to)
}
