package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/kpi"
)

// Evaluation keeps the KPI definitions, the period reports and the
// internal audit, and loads the facts figures are computed from.
type Evaluation struct {
	s            *Store
	sources      map[string]kpi.Source
	clockSources []kpi.ClockSource
	risks        kpi.RiskSource // nil until the risks area plugs its register in
}

var _ kpi.Service = (*Evaluation)(nil)

// Evaluation returns the store's evaluation service; one per store, so
// that the sources plugged into it stay plugged.
func (s *Store) Evaluation() *Evaluation {
	s.evalOnce.Do(func() {
		s.eval = &Evaluation{s: s, sources: map[string]kpi.Source{}}
		s.eval.plugAreas()
	})
	return s.eval
}

// Plug gives a pluggable figure (kpi.PluggedSatisfaction, …) its source.
func (e *Evaluation) Plug(id string, src kpi.Source) { e.sources[id] = src }

// PlugClocks adds clocks kept elsewhere (the generic deadlines) to the
// on-time shares.
func (e *Evaluation) PlugClocks(src kpi.ClockSource) { e.clockSources = append(e.clockSources, src) }

const definitionColumns = `key, version, valid_from, formula, notes, statistic, target, author_id, created_at`

func scanDefinition(r rowScanner) (kpi.Definition, error) {
	var d kpi.Definition
	var key, stat string
	var author sql.NullInt64
	err := r.Scan(&key, &d.Version, &d.ValidFrom, &d.Formula, &d.Notes, &stat, &d.Target, &author, &d.CreatedAt)
	d.Key, d.Statistic, d.AuthorID, d.ValidFrom, d.CreatedAt = kpi.Key(key), kpi.Statistic(stat), author.Int64, utc(d.ValidFrom), utc(d.CreatedAt)
	return d, err
}

// Definitions lists every stored version, writing the shipped version 1
// of any figure that has none yet.
func (e *Evaluation) Definitions(ctx context.Context) ([]kpi.Definition, error) {
	q := `SELECT ` + definitionColumns + ` FROM kpi_definitions ORDER BY key, version`
	all, err := queryAll(ctx, e.s.reader, "definitions", scanDefinition, q)
	if err != nil || len(all) > 0 && kpi.Current(all, farFuture).Complete() {
		return all, err
	}
	// Not seeded yet (SeedKPIs runs at start): the shipped versions, read
	// without writing, so that a read never waits on the writer.
	have := map[kpi.Key]bool{}
	for _, d := range all {
		have[d.Key] = true
	}
	for _, d := range kpi.Defaults() {
		if !have[d.Key] {
			d.Version = 1
			all = append(all, d)
		}
	}
	slices.SortStableFunc(all, func(a, b kpi.Definition) int {
		if a.Key != b.Key {
			return strings.Compare(string(a.Key), string(b.Key))
		}
		return a.Version - b.Version
	})
	return all, nil
}

// SeedKPIs writes the shipped version of every KPI definition not yet
// stored; the app calls it at start, like the catalogue.
func (s *Store) SeedKPIs(ctx context.Context) error {
	return s.InTx(ctx, func(tx *Tx) error {
		for _, d := range kpi.Defaults() {
			if _, err := tx.Exec(ctx, `INSERT INTO kpi_definitions (key, version, valid_from, formula, notes, statistic, target, created_at)
				VALUES ($1, 1, $2, $3, '', $4, $5, $6) ON CONFLICT (key, version) DO NOTHING`,
				string(d.Key), d.ValidFrom, d.Formula, string(d.Statistic), d.Target, tx.Now); err != nil {
				return fmt.Errorf("write the shipped definitions: %w", err)
			}
		}
		return nil
	})
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Define stores a new version of a figure's definition, dated no earlier
// than the version before it.
func (e *Evaluation) Define(ctx context.Context, a authz.Actor, d kpi.Definition) (kpi.Definition, error) {
	if err := authz.Require(a, authz.DefineKPI); err != nil {
		return d, err
	}
	d = d.Normalize()
	if err := d.Validate(); err != nil {
		return d, err
	}
	if err := e.s.SeedKPIs(ctx); err != nil { // the shipped versions come first
		return d, err
	}
	err := e.s.InTx(ctx, func(tx *Tx) error {
		var last int
		var lastFrom time.Time
		if err := tx.QueryRow(ctx, `SELECT version, valid_from FROM kpi_definitions WHERE key = $1 ORDER BY version DESC LIMIT 1`,
			string(d.Key)).Scan(&last, &lastFrom); err != nil {
			return fmt.Errorf("last version: %w", err)
		}
		if d.ValidFrom.Before(utc(lastFrom)) {
			return fault.Field("valid_from", "a new version applies from %s or later, the date of version %d", utc(lastFrom).Format(time.DateOnly), last)
		}
		d.Version, d.AuthorID, d.CreatedAt = last+1, a.UserID, tx.Now
		if _, err := tx.Exec(ctx, `INSERT INTO kpi_definitions (key, version, valid_from, formula, notes, statistic, target, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, string(d.Key), d.Version, d.ValidFrom, d.Formula, d.Notes,
			string(d.Statistic), d.Target, a.UserID, tx.Now); err != nil {
			return fmt.Errorf("define: %w", err)
		}
		return tx.Audit(ctx, a, "kpi.define", "kpi", string(d.Key), nil, map[string]any{"version": d.Version,
			"valid_from": d.ValidFrom, "formula": d.Formula, "statistic": d.Statistic, "target": d.Target, "notes": d.Notes})
	})
	return d, err
}

const evalReportColumns = `id, period, type_id, level, figures, versions, summary, commentary, author_id, signed_by, signed_at,
	created_at, updated_at, lock_version`

func scanEvalReport(r rowScanner) (kpi.Report, error) {
	var rp kpi.Report
	var period, figures, versions, commentary string
	var signer sql.NullInt64
	var signed sql.NullTime
	if err := r.Scan(&rp.ID, &period, &rp.TypeID, &rp.Level, &figures, &versions, &rp.Summary, &commentary, &rp.AuthorID,
		&signer, &signed, &rp.CreatedAt, &rp.UpdatedAt, &rp.Lock); err != nil {
		return rp, err
	}
	p, err := kpi.ParsePeriod(period)
	if err != nil {
		return rp, fmt.Errorf("report %d period %q: %w", rp.ID, period, err)
	}
	rp.Period, rp.SignedBy, rp.SignedAt = p, signer.Int64, utcOrZero(timeOf(signed))
	rp.CreatedAt, rp.UpdatedAt = utc(rp.CreatedAt), utc(rp.UpdatedAt)
	for _, j := range []struct {
		s string
		v any
	}{{figures, &rp.Figures}, {versions, &rp.Versions}, {commentary, &rp.Commentary}} {
		if err := jsonUnmarshal(j.s, j.v); err != nil {
			return rp, fmt.Errorf("report %d: %w", rp.ID, err)
		}
	}
	return rp, nil
}

// Generate computes the period's figures with the definitions current
// now and stores them: the report keeps those numbers for good.
func (e *Evaluation) Generate(ctx context.Context, a authz.Actor, p kpi.Period, typeID int64, level int) (kpi.Report, error) {
	if err := authz.Require(a, authz.EditEvaluation); err != nil {
		return kpi.Report{}, err
	}
	all, err := e.Definitions(ctx)
	if err != nil {
		return kpi.Report{}, err
	}
	data, err := e.Data(ctx, p.Start, p.End())
	if err != nil {
		return kpi.Report{}, err
	}
	var out kpi.Report
	err = e.s.InTx(ctx, func(tx *Tx) error {
		r := kpi.NewReport(p, typeID, level, kpi.Current(all, tx.Now), data, a.UserID, tx.Now)
		if err := tx.QueryRow(ctx, `INSERT INTO evaluation_reports (period, type_id, level, figures, versions, author_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, p.String(), typeID, level, mustJSON(r.Figures), mustJSON(r.Versions),
			a.UserID, tx.Now).Scan(&r.ID); err != nil {
			return fmt.Errorf("store the report: %w", err)
		}
		r.Lock, out = 1, r
		return tx.Audit(ctx, a, "evaluation.generate", "evaluation_report", strconv.FormatInt(r.ID, 10), nil,
			map[string]any{"period": p.String(), "type_id": typeID, "level": level, "versions": r.Versions})
	})
	return out, err
}

// Report returns one report.
func (e *Evaluation) Report(ctx context.Context, id int64) (kpi.Report, error) {
	r, err := scanEvalReport(e.s.reader.QueryRowContext(ctx, `SELECT `+evalReportColumns+` FROM evaluation_reports WHERE id = $1`, id))
	if err != nil {
		return r, notFound(err, "evaluation report", id)
	}
	return r, nil
}

// Reports lists the reports, newest first.
func (e *Evaluation) Reports(ctx context.Context) ([]kpi.Report, error) {
	return queryAll(ctx, e.s.reader, "evaluation reports", scanEvalReport,
		`SELECT `+evalReportColumns+` FROM evaluation_reports ORDER BY period DESC, id DESC LIMIT 200`)
}

// Comment saves a report's commentary at lock.
func (e *Evaluation) Comment(ctx context.Context, a authz.Actor, id int64, lock int, summary string, per map[kpi.Key]string) (kpi.Report, error) {
	return e.change(ctx, a, id, lock, "evaluation.comment", func(r kpi.Report, now time.Time) (kpi.Report, error) {
		return kpi.Comment(r, a, summary, per)
	})
}

// Sign is an approver's signature: never the author's.
func (e *Evaluation) Sign(ctx context.Context, a authz.Actor, id int64) (kpi.Report, error) {
	return e.change(ctx, a, id, 0, "evaluation.sign", func(r kpi.Report, now time.Time) (kpi.Report, error) {
		return kpi.Sign(r, a, now)
	})
}

func (e *Evaluation) change(ctx context.Context, a authz.Actor, id int64, lock int, action string,
	do func(kpi.Report, time.Time) (kpi.Report, error)) (kpi.Report, error) {
	var out kpi.Report
	err := e.s.InTx(ctx, func(tx *Tx) error {
		r, err := scanEvalReport(tx.QueryRow(ctx, `SELECT `+evalReportColumns+` FROM evaluation_reports WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "evaluation report", id)
		}
		if lock != 0 && lock != r.Lock {
			return fault.New(fault.Conflict, "someone else saved the report meanwhile: reload and try again")
		}
		after, err := do(r, tx.Now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE evaluation_reports SET summary = $1, commentary = $2, signed_by = $3, signed_at = $4,
			updated_at = $5, lock_version = lock_version + 1 WHERE id = $6`, after.Summary, mustJSON(after.Commentary),
			nullInt(after.SignedBy), nullTime(after.SignedAt), tx.Now, id); err != nil {
			return fmt.Errorf("save the report: %w", err)
		}
		after.UpdatedAt, after.Lock, out = tx.Now, r.Lock+1, after
		return tx.Audit(ctx, a, action, "evaluation_report", strconv.FormatInt(id, 10), nil,
			map[string]any{"summary": after.Summary, "commentary": after.Commentary, "signed_by": after.SignedBy})
	})
	return out, err
}

// Audit records an internal audit sample of a published public notice.
func (e *Evaluation) Audit(ctx context.Context, a authz.Actor, s kpi.AuditSample) (kpi.AuditSample, error) {
	var status, audience string
	var exercise bool
	err := e.s.reader.QueryRowContext(ctx, `SELECT status, audience, exercise FROM notices WHERE id = $1`, s.NoticeID).Scan(&status, &audience, &exercise)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("sampled notice: %w", err)
	}
	s.Quarter = strings.ToUpper(strings.TrimSpace(s.Quarter))
	if s, err = kpi.CheckAudit(a, s, status == "published", audience == "public"); err != nil {
		return s, err
	}
	err = e.s.InTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM accuracy_audits WHERE notice_id = $1 AND quarter = $2`, s.NoticeID, s.Quarter).Scan(&n); err != nil {
			return fmt.Errorf("sampled before: %w", err)
		}
		if n > 0 {
			return fault.Field("notice_id", "this notice is already in the sample of %s", s.Quarter)
		}
		s.At, s.Exercise = tx.Now, exercise
		if err := tx.QueryRow(ctx, `INSERT INTO accuracy_audits (notice_id, quarter, reviewer_id, accurate, finding, at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, s.NoticeID, s.Quarter, a.UserID, s.Accurate, s.Finding, tx.Now).Scan(&s.ID); err != nil {
			return fmt.Errorf("record the sample: %w", err)
		}
		return tx.Audit(ctx, a, "evaluation.audit", "notice", strconv.FormatInt(s.NoticeID, 10), nil,
			map[string]any{"quarter": s.Quarter, "accurate": s.Accurate, "finding": s.Finding})
	})
	return s, err
}

// Audits lists the samples of a quarter ("" for every quarter); each
// counts in its quarter's figures.
func (e *Evaluation) Audits(ctx context.Context, quarter string) ([]kpi.AuditSample, error) {
	return e.audits(ctx, strings.ToUpper(strings.TrimSpace(quarter)))
}

func (e *Evaluation) audits(ctx context.Context, quarter string) ([]kpi.AuditSample, error) {
	return queryAll(ctx, e.s.reader, "audit samples", func(r rowScanner) (kpi.AuditSample, error) {
		var s kpi.AuditSample
		err := r.Scan(&s.ID, &s.NoticeID, &s.Quarter, &s.ReviewerID, &s.Accurate, &s.Finding, &s.At, &s.Exercise, &s.TypeID, &s.Level)
		if p, perr := kpi.ParsePeriod(s.Quarter); perr == nil {
			s.At = p.Start // a sample counts in the quarter it samples
		}
		return s, err
	}, `SELECT a.id, a.notice_id, a.quarter, a.reviewer_id, a.accurate, a.finding, a.at, n.exercise, COALESCE(c.type_id, 0), COALESCE(c.level, 0)
		FROM accuracy_audits a JOIN notices n ON n.id = a.notice_id LEFT JOIN crises c ON c.id = n.crisis_id
		WHERE $1 = '' OR a.quarter = $1 ORDER BY a.quarter DESC, a.id`, quarter)
}
