package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/kpi"
)

// PlugRisks gives the coverage loop the risk register.
func (e *Evaluation) PlugRisks(src kpi.RiskSource) { e.risks = src }

// Coverage is the coverage loop at now, one row per crisis type: its
// approved plan and review date, its last drill, the open and overdue
// actions of its drills and reviews, its crises of the last 12 months and
// their figures, and the risks that can become it.
func (e *Evaluation) Coverage(ctx context.Context, now time.Time) ([]kpi.Coverage, error) {
	db := e.s.reader
	types, err := e.s.Plans().Types(ctx)
	if err != nil {
		return nil, err
	}
	by := map[int64]*kpi.Coverage{}
	out := make([]kpi.Coverage, len(types))
	for i, t := range types {
		out[i].TypeID = t.ID
		by[t.ID] = &out[i]
	}
	type pair struct {
		typeID int64
		at     sql.NullTime
		text   string
	}
	rowsOf := func(what, q string, args ...any) ([]pair, error) {
		return queryAll(ctx, db, what, func(r rowScanner) (pair, error) {
			var p pair
			err := r.Scan(&p.typeID, &p.at, &p.text)
			return p, err
		}, q, args...)
	}
	plans, err := rowsOf("plans", `SELECT type_id, review_due, '' FROM plans WHERE status = 'approved'`)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if c := by[p.typeID]; c != nil && (!p.at.Valid || p.at.Time.After(now)) {
			c.PlanApproved = true
			if p.at.Valid && (c.PlanReviewDue.IsZero() || p.at.Time.Before(c.PlanReviewDue)) {
				c.PlanReviewDue = p.at.Time.UTC()
			}
		}
	}
	drills, err := rowsOf("drills", `SELECT type_id, ended_at, '' FROM drills WHERE ended_at IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	for _, d := range drills {
		if c := by[d.typeID]; c != nil && d.at.Time.After(c.LastDrill) {
			c.LastDrill = d.at.Time.UTC()
		}
	}
	actions, err := rowsOf("drill actions", `SELECT d.type_id, a.due, '' FROM actions a JOIN drills d ON d.id = a.source_id WHERE a.source_kind = 'drill' AND a.state <> 'verified'`)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		if c := by[a.typeID]; c != nil {
			c.OpenActions++
			if a.at.Valid && a.at.Time.Before(now) {
				c.OverdueActions++
			}
		}
	}
	reviews, err := rowsOf("review actions", `SELECT c.type_id, r.due_at, r.action_items FROM crisis_reviews r JOIN crises c ON c.id = r.crisis_id
		WHERE r.action_items <> '[]'`)
	if err != nil {
		return nil, err
	}
	for _, r := range reviews {
		var items []crisis.ActionItem
		if err := jsonUnmarshal(r.text, &items); err != nil {
			return nil, fmt.Errorf("review actions: %w", err)
		}
		c := by[r.typeID]
		for _, it := range items {
			if c == nil || it.Done {
				continue
			}
			c.OpenActions++
			if !it.DueAt.IsZero() && it.DueAt.Before(now) {
				c.OverdueActions++
			}
		}
	}
	if e.risks != nil {
		risks, err := e.risks.Risks(ctx)
		if err != nil {
			return nil, fmt.Errorf("risks: %w", err)
		}
		for _, r := range risks {
			for _, t := range r.TypeIDs {
				if c := by[t]; c != nil {
					c.Risks = append(c.Risks, r)
				}
			}
		}
	}
	from := now.AddDate(-1, 0, 0)
	data, err := e.Data(ctx, from, now)
	if err != nil {
		return nil, err
	}
	all, err := e.Definitions(ctx)
	if err != nil {
		return nil, err
	}
	defs := kpi.Current(all, now)
	for _, cr := range data.Crises {
		if c := by[cr.TypeID]; c != nil {
			if cr.Exercise {
				c.Exercises++
			} else {
				c.Crises++
			}
		}
	}
	for i := range out {
		figs := kpi.Compute(defs, kpi.Data{Crises: data.Crises}, kpi.Scope{From: from, To: now, TypeID: out[i].TypeID})
		out[i].FirstNotice, _ = kpi.Find(figs, "first_notice.minutes", kpi.Real)
		out[i].Response, _ = kpi.Find(figs, "response_time.minutes", kpi.Real)
		out[i] = out[i].Judge(now)
	}
	return out, nil
}
