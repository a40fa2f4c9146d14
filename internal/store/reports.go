package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/report"
)

// reports implements report.Service.
type reports struct {
	s       *Store
	loc     *time.Location
	policy  report.Policy
	sources []report.Source
}

// Reports returns the monthly progress reports, whose months are in loc's
// calendar and whose deadline follows policy; extra are the parts of
// areas outside the store (the work plan, the risk register, feedback,
// training).
func (s *Store) Reports(loc *time.Location, policy report.Policy, extra ...report.Source) report.Service {
	if loc == nil {
		loc = time.UTC
	}
	return &reports{s: s, loc: loc, policy: policy, sources: append(s.ReportSources(), extra...)}
}

const monthlyColumns = `id, period, body, recipients, state, author_id, approved_by, approved_at, submitted_at, due_at, created_at, updated_at, lock_version`

func scanMonthly(r rowScanner) (report.Report, error) {
	var x report.Report
	var period, body, recipients, state string
	var author, approver sql.NullInt64
	var approvedAt, submittedAt sql.NullTime
	err := r.Scan(&x.ID, &period, &body, &recipients, &state, &author, &approver, &approvedAt, &submittedAt, &x.DueAt, &x.CreatedAt,
		&x.UpdatedAt, &x.Lock)
	if err != nil {
		return x, err
	}
	if x.Period, err = report.ParsePeriod(period); err != nil {
		return x, fmt.Errorf("report %d period %q: %w", x.ID, period, err)
	}
	x.State, x.AuthorID, x.ApprovedBy = report.State(state), author.Int64, approver.Int64
	x.ApprovedAt, x.SubmittedAt = timeOf(approvedAt), timeOf(submittedAt)
	x.DueAt, x.CreatedAt, x.UpdatedAt = utc(x.DueAt), utc(x.CreatedAt), utc(x.UpdatedAt)
	if err := jsonUnmarshal(body, &x.Body); err != nil {
		return x, fmt.Errorf("report %d body: %w", x.ID, err)
	}
	return x, jsonUnmarshal(recipients, &x.Recipients)
}

func (rs *reports) List(ctx context.Context) ([]report.Report, error) {
	return queryAll(ctx, rs.s.reader, "reports", scanMonthly, `SELECT `+monthlyColumns+` FROM monthly_reports ORDER BY period DESC`)
}

func (rs *reports) Get(ctx context.Context, id int64) (report.Report, error) {
	x, err := scanMonthly(rs.s.reader.QueryRowContext(ctx, `SELECT `+monthlyColumns+` FROM monthly_reports WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "report", id)
	}
	return x, nil
}

func txMonthly(ctx context.Context, tx *Tx, id int64) (report.Report, error) {
	x, err := scanMonthly(tx.QueryRow(ctx, `SELECT `+monthlyColumns+` FROM monthly_reports WHERE id = $1`, id))
	if err != nil {
		return x, notFound(err, "report", id)
	}
	return x, nil
}

func (rs *reports) byPeriod(ctx context.Context, p report.Period) (report.Report, error) {
	x, err := scanMonthly(rs.s.reader.QueryRowContext(ctx, `SELECT `+monthlyColumns+` FROM monthly_reports WHERE period = $1`, p.String()))
	if err != nil {
		return x, notFound(err, "report of", p.String())
	}
	return x, nil
}

func (rs *reports) Generate(ctx context.Context, a authz.Actor, p report.Period) (report.Report, error) {
	if err := authz.Require(a, authz.EditReports); err != nil {
		return report.Report{}, err
	}
	return rs.generate(ctx, a, p)
}

// generate drafts the report on p; the periodic job calls it as the
// system, which needs no role.
func (rs *reports) generate(ctx context.Context, a authz.Actor, p report.Period) (report.Report, error) {
	now := rs.s.clock.Now()
	from, to := p.Bounds(rs.loc)
	if !to.Before(now.Add(32 * 24 * time.Hour)) {
		return report.Report{}, fault.Field("period", "a report is on a month that has begun")
	}
	prev, err := rs.byPeriod(ctx, p)
	exists := err == nil
	if err != nil && !fault.Is(err, fault.NotFound) {
		return prev, err
	}
	if exists && prev.State != report.Draft {
		return prev, fault.New(fault.Conflict, "the report on %s is %s: it is not drafted again", p, prev.State)
	}
	body, err := report.Generate(ctx, rs.sources, from, to, prev.Body)
	if err != nil {
		return prev, err
	}
	var out report.Report
	err = rs.s.InTx(ctx, func(tx *Tx) error {
		var id int64
		if exists {
			res, err := tx.Exec(ctx, `UPDATE monthly_reports SET body = $1, updated_at = $2, lock_version = lock_version + 1
				WHERE id = $3 AND lock_version = $4 AND state = 'draft'`, mustJSON(body), tx.Now, prev.ID, prev.Lock)
			if err != nil {
				return fmt.Errorf("redraft report: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fault.New(fault.Conflict, "someone changed the report meanwhile: try again")
			}
			id = prev.ID
		} else {
			due := rs.policy.DueAt(p, rs.loc)
			if err := tx.QueryRow(ctx, `INSERT INTO monthly_reports (period, body, recipients, state, due_at, created_at, updated_at)
				VALUES ($1, $2, $3, 'draft', $4, $5, $5) RETURNING id`, p.String(), mustJSON(body), mustJSON(addresses(rs.policy.Recipients)),
				due.UTC(), tx.Now).Scan(&id); err != nil {
				if isUnique(err) {
					return fault.New(fault.Conflict, "the report on %s was drafted meanwhile", p)
				}
				return fmt.Errorf("draft report: %w", err)
			}
			if err := tx.startReportClock(ctx, id, p, due); err != nil {
				return err
			}
		}
		var err error
		if out, err = txMonthly(ctx, tx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "report.generate", "monthly_report", strconv.FormatInt(id, 10), nil, map[string]any{"period": p.String()})
	})
	return out, err
}

func addresses(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GenerateDue drafts last month's report once this month's first working
// day has come, unless it exists: the periodic job's work.
func (rs *reports) GenerateDue(ctx context.Context, now time.Time) (report.Report, bool, error) {
	this := report.PeriodOf(now, rs.loc)
	if now.Before(report.FirstWorkingDay(this, rs.loc)) {
		return report.Report{}, false, nil
	}
	from, _ := this.Bounds(rs.loc)
	last := report.PeriodOf(from.Add(-time.Hour), rs.loc)
	if x, err := rs.byPeriod(ctx, last); err == nil {
		return x, false, nil
	} else if !fault.Is(err, fault.NotFound) {
		return x, false, err
	}
	x, err := rs.generate(ctx, authz.System(authz.SourceSystem, "monthly report"), last)
	if fault.Is(err, fault.Conflict) {
		return x, false, nil // drafted by someone meanwhile
	}
	return x, err == nil, err
}

func (rs *reports) change(ctx context.Context, a authz.Actor, id int64, action string, fn func(report.Report, time.Time) (report.Report, error),
	after func(tx *Tx, r report.Report) error) (report.Report, error) {
	var out report.Report
	err := rs.s.InTx(ctx, func(tx *Tx) error {
		before, err := txMonthly(ctx, tx, id)
		if err != nil {
			return err
		}
		x, err := fn(before, tx.Now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE monthly_reports SET body = $1, recipients = $2, state = $3, author_id = $4, approved_by = $5, approved_at = $6,
			submitted_at = $7, updated_at = $8, lock_version = lock_version + 1 WHERE id = $9`, mustJSON(x.Body), mustJSON(addresses(x.Recipients)),
			string(x.State), nullInt(x.AuthorID), nullInt(x.ApprovedBy), nullTime(x.ApprovedAt), nullTime(x.SubmittedAt), tx.Now, id); err != nil {
			return fmt.Errorf("%s report: %w", action, err)
		}
		if out, err = txMonthly(ctx, tx, id); err != nil {
			return err
		}
		if after != nil {
			if err := after(tx, out); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, a, "report."+action, "monthly_report", strconv.FormatInt(id, 10), auditReport(before), auditReport(out))
	})
	return out, err
}

func auditReport(r report.Report) map[string]any {
	return map[string]any{"period": r.Period.String(), "state": r.State, "recipients": r.Recipients, "progress_text": r.Body.ProgressText,
		"problems_text": r.Body.ProblemsText, "next_text": r.Body.NextText, "approved_by": r.ApprovedBy}
}

func (rs *reports) Save(ctx context.Context, a authz.Actor, id int64, in report.Edit) (report.Report, error) {
	return rs.change(ctx, a, id, "save", func(r report.Report, now time.Time) (report.Report, error) {
		if in.Lock != 0 && in.Lock != r.Lock {
			return r, fault.New(fault.Conflict, "someone else saved the report meanwhile: reload and try again")
		}
		return report.Save(r, a, now, in)
	}, nil)
}

func (rs *reports) Approve(ctx context.Context, a authz.Actor, id int64) (report.Report, error) {
	return rs.change(ctx, a, id, "approve", func(r report.Report, now time.Time) (report.Report, error) {
		return report.Approve(r, a, now)
	}, nil)
}

func (rs *reports) Submit(ctx context.Context, a authz.Actor, id int64) (report.Report, error) {
	return rs.change(ctx, a, id, "submit", func(r report.Report, now time.Time) (report.Report, error) {
		return report.Submit(r, a, now)
	}, func(tx *Tx, r report.Report) error {
		for _, to := range r.Recipients {
			if _, err := tx.Enqueue(ctx, report.MailArgs{ReportID: r.ID, To: to}, &river.InsertOpts{Priority: 2}); err != nil {
				return err
			}
		}
		return tx.meetReportClock(ctx, r.ID)
	})
}
