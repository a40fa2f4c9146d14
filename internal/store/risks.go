package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/live"
	"crisisdesk/internal/risk"
)

// risks implements risk.Service.
type risks struct{ s *Store }

// Risks returns the risk register.
func (s *Store) Risks() risk.Service { return &risks{s} }

const riskColumns = `id, tpl_key, description, category, cause, consequence, likelihood, impact, COALESCE(owner_id, 0),
	review_months, review_due, reviewed_at, status, links, COALESCE(created_by, 0), created_at, updated_at, rated_at, lock_version`

func scanRisk(r rowScanner) (risk.Risk, error) {
	var k risk.Risk
	var cat, status, links string
	var reviewed sql.NullTime
	if err := r.Scan(&k.ID, &k.Key, &k.Description, &cat, &k.Cause, &k.Consequence, &k.Likelihood, &k.Impact, &k.OwnerID,
		&k.ReviewMonths, &k.ReviewDue, &reviewed, &status, &links, &k.CreatedBy, &k.CreatedAt, &k.UpdatedAt, &k.RatedAt, &k.Lock); err != nil {
		return k, err
	}
	k.Category, k.Status, k.ReviewedAt = risk.Category(cat), risk.Status(status), timeOf(reviewed)
	k.ReviewDue, k.CreatedAt, k.UpdatedAt, k.RatedAt = utc(k.ReviewDue), utc(k.CreatedAt), utc(k.UpdatedAt), utc(k.RatedAt)
	if err := json.Unmarshal([]byte(links), &k.Links); err != nil {
		return k, fmt.Errorf("risk %d links: %w", k.ID, err)
	}
	return k, nil
}

func riskCols(k risk.Risk) []col {
	return []col{
		{"tpl_key", k.Key}, {"description", k.Description}, {"category", string(k.Category)}, {"cause", k.Cause},
		{"consequence", k.Consequence}, {"likelihood", k.Likelihood}, {"impact", k.Impact}, {"owner_id", nullInt(k.OwnerID)},
		{"review_months", k.ReviewMonths}, {"review_due", k.ReviewDue.UTC()}, {"reviewed_at", nullTime(k.ReviewedAt)},
		{"status", string(k.Status)}, {"links", mustJSON(orEmpty(k.Links))}, {"created_by", nullInt(k.CreatedBy)},
		{"created_at", k.CreatedAt}, {"updated_at", k.UpdatedAt}, {"rated_at", k.RatedAt},
	}
}

// auditRisk is the audit trail's view of a risk: ratings are audited.
func auditRisk(k risk.Risk) map[string]any {
	return map[string]any{"key": k.Key, "description": k.Description, "category": k.Category, "cause": k.Cause,
		"consequence": k.Consequence, "likelihood": k.Likelihood, "impact": k.Impact, "score": k.Score(), "band": k.Band(),
		"owner_id": k.OwnerID, "review_months": k.ReviewMonths, "review_due": k.ReviewDue, "status": k.Status,
		"links": k.Links, "lock": k.Lock}
}

func txRisk(ctx context.Context, tx querier, id int64) (risk.Risk, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+riskColumns+` FROM risks WHERE id = $1`, id)
	if err != nil {
		return risk.Risk{}, fmt.Errorf("read risk: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return risk.Risk{}, fmt.Errorf("read risk: %w", err)
		}
		return risk.Risk{}, fault.New(fault.NotFound, "risk %d does not exist", id)
	}
	k, err := scanRisk(rows)
	if err != nil {
		return k, fmt.Errorf("read risk: %w", err)
	}
	return k, nil
}

func (rs *risks) Get(ctx context.Context, id int64) (risk.Risk, error) {
	return txRisk(ctx, rs.s.reader, id)
}

func (rs *risks) List(ctx context.Context, f risk.Filter) ([]risk.Risk, int, error) {
	offset, limit := clampPage(f.Offset, f.Limit)
	cond, args := "1 = 1", []any{}
	if f.Status != "" {
		args = append(args, string(f.Status))
		cond += fmt.Sprintf(" AND status = $%d", len(args))
	}
	if f.Category != "" {
		args = append(args, string(f.Category))
		cond += fmt.Sprintf(" AND category = $%d", len(args))
	}
	if f.Link.Kind != "" {
		// links is a small JSON list written by mustJSON: the exact
		// object text is what to look for.
		args = append(args, "%"+mustJSON(f.Link)+"%")
		cond += fmt.Sprintf(" AND links LIKE $%d", len(args))
	}
	var total int
	if err := rs.s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM risks WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count risks: %w", err)
	}
	args = append(args, limit, offset)
	out, err := queryAll(ctx, rs.s.reader, "risks", scanRisk, fmt.Sprintf(`SELECT `+riskColumns+
		` FROM risks WHERE %s ORDER BY status, CASE WHEN likelihood = 0 THEN impact * 3 ELSE likelihood * impact END DESC, impact DESC, id
		LIMIT $%d OFFSET $%d`, cond, len(args)-1, len(args)), args...)
	return out, total, err
}

func (rs *risks) Changed(ctx context.Context, since time.Time, limit int) ([]risk.Risk, error) {
	_, limit = clampPage(0, limit)
	return queryAll(ctx, rs.s.reader, "risks", scanRisk, `SELECT `+riskColumns+
		` FROM risks WHERE rated_at >= $1 AND status = 'open' ORDER BY rated_at DESC, id DESC LIMIT $2`, since.UTC(), limit)
}

func (rs *risks) ReviewClock(ctx context.Context, id int64) (deadline.Deadline, error) {
	return rs.s.DeadlineOf(ctx, ReviewKind, deadline.Subject{Kind: "risk", ID: id})
}

func (rs *risks) Ratings(ctx context.Context, id int64) ([]risk.Rating, error) {
	return queryAll(ctx, rs.s.reader, "risk ratings", scanRating, `SELECT risk_id, likelihood, impact, note, COALESCE(actor_id, 0), actor, at
		FROM risk_ratings WHERE risk_id = $1 ORDER BY at, id`, id)
}

func scanRating(r rowScanner) (risk.Rating, error) {
	var g risk.Rating
	err := r.Scan(&g.RiskID, &g.Likelihood, &g.Impact, &g.Note, &g.ActorID, &g.Actor, &g.At)
	g.At = utc(g.At)
	return g, err
}

// checkRisk refuses an owner who does not exist and links to nothing.
func checkRisk(ctx context.Context, tx *Tx, k risk.Risk) error {
	var f fault.Fields
	if k.OwnerID != 0 && !tx.activeUser(ctx, k.OwnerID) {
		f.Add("owner_id", "user %d does not exist or is disabled", k.OwnerID)
	}
	tables := map[string]string{"crisis_type": "crisis_types", "plan": "plans", "drill": "drills", "crisis": "crises"}
	for _, l := range k.Links {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+tables[l.Kind]+` WHERE id = $1`, l.TargetID).Scan(&n); err != nil {
			return fmt.Errorf("check risk link: %w", err)
		}
		if n == 0 {
			f.Add("links", "%s %d does not exist", l.Kind, l.TargetID)
			break
		}
	}
	return f.Err()
}

// activeUser reports whether user id exists and is not disabled.
func (tx *Tx) activeUser(ctx context.Context, id int64) bool {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND NOT disabled`, id).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

func (rs *risks) Create(ctx context.Context, a authz.Actor, in risk.Input) (risk.Risk, error) {
	var out risk.Risk
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		k, err := risk.New(a, tx.Now, in)
		if err != nil {
			return err
		}
		if err := checkRisk(ctx, tx, k); err != nil {
			return err
		}
		if out, err = tx.insertRisk(ctx, k); err != nil {
			return err
		}
		if err := tx.addRating(ctx, risk.Rating{RiskID: out.ID, Likelihood: k.Likelihood, Impact: k.Impact, ActorID: a.UserID, Actor: a.Name, At: tx.Now}); err != nil {
			return err
		}
		if err := tx.riskChanged(ctx, a, out, risk.AlertRaised, risk.TrendNew); err != nil {
			return err
		}
		if err := tx.startReview(ctx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "risk.create", "risk", strconv.FormatInt(out.ID, 10), nil, auditRisk(out))
	})
	return out, err
}

func (tx *Tx) insertRisk(ctx context.Context, k risk.Risk) (risk.Risk, error) {
	cols := riskCols(k)
	names, marks, args := "", "", make([]any, 0, len(cols))
	for i, c := range cols {
		if i > 0 {
			names, marks = names+", ", marks+", "
		}
		names += c.name
		marks += "$" + strconv.Itoa(i+1)
		args = append(args, c.value)
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO risks (`+names+`) VALUES (`+marks+`) RETURNING id`, args...).Scan(&id); err != nil {
		return k, fmt.Errorf("insert risk: %w", err)
	}
	return txRisk(ctx, tx, id)
}

func (tx *Tx) addRating(ctx context.Context, g risk.Rating) error {
	if _, err := tx.Exec(ctx, `INSERT INTO risk_ratings (risk_id, likelihood, impact, note, actor_id, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, g.RiskID, g.Likelihood, g.Impact, g.Note, nullInt(g.ActorID), g.Actor, g.At); err != nil {
		return fmt.Errorf("record risk rating: %w", err)
	}
	return nil
}

// riskChanged alerts the risk's owner and the risk managers of a new risk
// or a change of rating, notes it on the timeline of each linked crisis,
// and tells the dashboards.
func (tx *Tx) riskChanged(ctx context.Context, a authz.Actor, k risk.Risk, kind risk.AlertKind, trend risk.Trend) error {
	rows, err := tx.Query(ctx, `SELECT id, role FROM users WHERE NOT disabled ORDER BY id`)
	if err != nil {
		return fmt.Errorf("risk alert recipients: %w", err)
	}
	var to []int64
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			rows.Close()
			return fmt.Errorf("risk alert recipients: %w", err)
		}
		if id != a.UserID && (id == k.OwnerID || authz.Can(authz.Role(role), authz.ManageRisks)) {
			to = append(to, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("risk alert recipients: %w", err)
	}
	for _, uid := range to {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_alerts (user_id, risk_id, kind, score, band, trend, actor, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, uid, k.ID, string(kind), k.Score(), string(k.Band()), string(trend), a.Name, tx.Now); err != nil {
			return fmt.Errorf("record risk alert: %w", err)
		}
	}
	for _, cid := range k.Crises() {
		m := crisis.M("systext.risk_"+string(kind), "Ref", risk.Ref(k.ID), "Likelihood", strconv.Itoa(k.Likelihood), "Impact", strconv.Itoa(k.Impact))
		if err := tx.note(ctx, cid, a, "risk_"+string(kind), m); err != nil {
			return err
		}
	}
	e := live.Event{Type: "risk", ID: k.ID}
	if b := tx.store.live; b != nil {
		tx.AfterCommit(func() { b.Publish(live.DashboardTopic, e) })
	}
	if err := tx.notifyReplicas(ctx, live.DashboardTopic, e); err != nil {
		tx.store.log.Warn("live event not relayed to other replicas", "err", err)
	}
	return nil
}

// change runs a rule on risk id in a transaction: load, rule, save,
// audit. lock, when not 0, must match the stored one.
func (rs *risks) change(ctx context.Context, a authz.Actor, id, lock int64, action string,
	fn func(tx *Tx, k risk.Risk) (risk.Risk, error)) (risk.Risk, error) {
	var out risk.Risk
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		before, err := txRisk(ctx, tx, id)
		if err != nil {
			return err
		}
		if lock != 0 && lock != before.Lock {
			return fault.New(fault.Conflict, "risk %d was changed by someone else: reload and try again", id)
		}
		k, err := fn(tx, before)
		if err != nil {
			return err
		}
		set, args := setClause(riskCols(k)...)
		args = append(args, id, before.Lock)
		res, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE risks SET %s, lock_version = lock_version + 1 WHERE id = $%d AND lock_version = $%d`,
			set, len(args)-1, len(args)), args...)
		if err != nil {
			return fmt.Errorf("%s risk: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.New(fault.Conflict, "risk %d was changed by someone else: reload and try again", id)
		}
		if out, err = txRisk(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "risk."+action, "risk", strconv.FormatInt(id, 10), auditRisk(before), auditRisk(out))
	})
	return out, err
}

func (rs *risks) Save(ctx context.Context, a authz.Actor, id, lock int64, in risk.Input) (risk.Risk, error) {
	return rs.change(ctx, a, id, lock, "save", func(tx *Tx, k risk.Risk) (risk.Risk, error) {
		out, err := risk.Edit(k, a, tx.Now, in)
		if err != nil {
			return k, err
		}
		if err := checkRisk(ctx, tx, out); err != nil {
			return k, err
		}
		if out.OwnerID != k.OwnerID || !out.ReviewDue.Equal(k.ReviewDue) {
			return out, tx.startReview(ctx, out) // the clock follows its owner and its date
		}
		return out, nil
	})
}

// ReviewKind is the deadline kind of a risk's review.
const ReviewKind = "risk_review"

// startReview starts (or moves) the clock of k's next review: its owner
// and the risk managers are alerted at 80 % and when it is due.
func (tx *Tx) startReview(ctx context.Context, k risk.Risk) error {
	managers, err := tx.riskManagers(ctx)
	if err != nil {
		return err
	}
	start := k.ReviewedAt
	if start.IsZero() || !start.Before(k.ReviewDue) {
		start = k.CreatedAt
	}
	if !start.Before(k.ReviewDue) {
		start = tx.Now
	}
	_, err = tx.StartDeadline(ctx, deadline.Deadline{Kind: ReviewKind, Subject: deadline.Subject{Kind: "risk", ID: k.ID},
		OwnerID: k.OwnerID, Watchers: managers, Link: "/desk/risks/" + strconv.FormatInt(k.ID, 10),
		Args: map[string]string{"ref": risk.Ref(k.ID)}, StartedAt: start, DueAt: k.ReviewDue})
	return err
}

// riskManagers are the active users whose role manages risks.
func (tx *Tx) riskManagers(ctx context.Context) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id, role FROM users WHERE NOT disabled ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("risk managers: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, fmt.Errorf("risk managers: %w", err)
		}
		if authz.Can(authz.Role(role), authz.ManageRisks) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

func (rs *risks) Rate(ctx context.Context, a authz.Actor, id int64, likelihood, impact int, note string) (risk.Risk, error) {
	return rs.change(ctx, a, id, 0, "rate", func(tx *Tx, k risk.Risk) (risk.Risk, error) {
		out, g, err := risk.Rate(k, a, tx.Now, likelihood, impact, note)
		if err != nil {
			return k, err
		}
		if err := tx.addRating(ctx, g); err != nil {
			return k, err
		}
		history, err := queryAll(ctx, tx, "risk ratings", scanRating, `SELECT risk_id, likelihood, impact, note, COALESCE(actor_id, 0), actor, at
			FROM risk_ratings WHERE risk_id = $1 ORDER BY at, id`, id)
		if err != nil {
			return k, err
		}
		return out, tx.riskChanged(ctx, a, out, risk.AlertRated, risk.TrendOf(history))
	})
}

func (rs *risks) Review(ctx context.Context, a authz.Actor, id int64) (risk.Risk, error) {
	return rs.change(ctx, a, id, 0, "review", func(tx *Tx, k risk.Risk) (risk.Risk, error) {
		out, err := risk.Review(k, a, tx.Now)
		if err != nil {
			return k, err
		}
		if err := tx.MeetDeadline(ctx, ReviewKind, deadline.Subject{Kind: "risk", ID: k.ID}); err != nil {
			return k, err
		}
		return out, tx.startReview(ctx, out)
	})
}

func (rs *risks) Link(ctx context.Context, a authz.Actor, id int64, l risk.Link) (risk.Risk, error) {
	return rs.change(ctx, a, id, 0, "link", func(tx *Tx, k risk.Risk) (risk.Risk, error) {
		in := risk.Input{Description: k.Description, Category: k.Category, Cause: k.Cause, Consequence: k.Consequence,
			OwnerID: k.OwnerID, ReviewMonths: k.ReviewMonths, Links: append(append([]risk.Link{}, k.Links...), l)}
		out, err := risk.Edit(k, a, tx.Now, in)
		if err != nil {
			return k, err
		}
		return out, checkRisk(ctx, tx, out)
	})
}

// SeedRisks loads the plan's default register when it was never loaded:
// the five risks with the plan's impact ratings, each with its
// mitigation, their texts in the catalogues. It returns how many it
// loaded.
func (s *Store) SeedRisks(ctx context.Context) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx *Tx) error {
		var count int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM risks WHERE tpl_key <> ''`).Scan(&count); err != nil {
			return fmt.Errorf("count default risks: %w", err)
		}
		if count > 0 {
			return nil
		}
		a := authz.System(authz.SourceSystem, "crisisdesk")
		for _, d := range risk.Defaults {
			k := risk.Risk{Key: d.Key, Category: d.Category, Impact: d.Impact, ReviewMonths: risk.DefaultReviewMonths,
				ReviewDue: risk.NextReview(tx.Now, risk.DefaultReviewMonths), Status: risk.Open,
				CreatedAt: tx.Now, UpdatedAt: tx.Now, RatedAt: tx.Now}
			out, err := tx.insertRisk(ctx, k)
			if err != nil {
				return err
			}
			if err := tx.addRating(ctx, risk.Rating{RiskID: out.ID, Impact: d.Impact, Actor: a.Name, At: tx.Now}); err != nil {
				return err
			}
			m := risk.Mitigation{RiskID: out.ID, Key: d.Key, Due: tx.Now.AddDate(0, risk.DefaultMitigationMonths, 0), Status: risk.Planned,
				Log: []risk.Execution{{Status: risk.Planned, Actor: a.Name, At: tx.Now}}, CreatedAt: tx.Now, UpdatedAt: tx.Now}
			if _, err := tx.insertMitigation(ctx, m); err != nil {
				return err
			}
			if err := tx.startReview(ctx, out); err != nil {
				return err
			}
			if err := tx.Audit(ctx, a, "risk.create", "risk", strconv.FormatInt(out.ID, 10), nil, auditRisk(out)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
