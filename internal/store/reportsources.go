package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/report"
)

// The parts of the monthly report crisisdesk answers today: crises and
// notices, drills, the one action list and the crisis clocks. The work
// plan, the risk register, feedback and training add theirs through
// report.Source (see Reports).

// ReportSources are the sources the store answers itself.
func (s *Store) ReportSources() []report.Source {
	return []report.Source{crisisFigures{s}, drillReportSource{s}, actionReportSource{s}, clockReportSource{s}}
}

func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

type crisisFigures struct{ s *Store }

// Fill adds the crises declared (real ones; drills' exercises aside) and
// the notices published in the month.
func (c crisisFigures) Fill(ctx context.Context, from, to time.Time, b *report.Body) error {
	crises, err := c.s.count(ctx, `SELECT COUNT(*) FROM crises WHERE NOT exercise AND declared_at >= $1 AND declared_at < $2`, from.UTC(), to.UTC())
	if err != nil {
		return err
	}
	notices, err := c.s.count(ctx, `SELECT COUNT(*) FROM notices WHERE published_at >= $1 AND published_at < $2`, from.UTC(), to.UTC())
	if err != nil {
		return err
	}
	b.Figures = append(b.Figures, report.Figure{Key: "report.figure.crises", Value: crises}, report.Figure{Key: "report.figure.notices", Value: notices})
	return nil
}

type drillReportSource struct{ s *Store }

// Fill adds the drills held (progress and a figure), their areas for
// improvement (problems) and the drills planned next month (next steps).
func (g drillReportSource) Fill(ctx context.Context, from, to time.Time, b *report.Body) error {
	type row struct {
		id           int64
		title        string
		improvements sql.NullString
	}
	held, err := queryAll(ctx, g.s.reader, "drills", func(r rowScanner) (row, error) {
		var v row
		err := r.Scan(&v.id, &v.title, &v.improvements)
		return v, err
	}, `SELECT d.id, d.title, r.improvements FROM drills d LEFT JOIN drill_reports r ON r.drill_id = d.id
		WHERE d.state NOT IN ('planned', 'ready') AND d.starts_at >= $1 AND d.starts_at < $2 ORDER BY d.starts_at, d.id`, from.UTC(), to.UTC())
	if err != nil {
		return err
	}
	for _, v := range held {
		link := "/desk/drills/" + strconv.FormatInt(v.id, 10)
		b.Progress = append(b.Progress, report.Line{Key: "report.line.drill_held", Args: map[string]string{"title": v.title}, Link: link})
		var imps []string
		if v.improvements.Valid {
			if err := jsonUnmarshal(v.improvements.String, &imps); err != nil {
				return fmt.Errorf("drill %d report: %w", v.id, err)
			}
		}
		for _, s := range imps {
			b.Problems = append(b.Problems, report.Line{Key: "report.line.drill_improvement", Args: map[string]string{"title": v.title, "text": s},
				Link: link + "/report"})
		}
	}
	b.Figures = append(b.Figures, report.Figure{Key: "report.figure.drills", Value: len(held)})
	next, err := queryAll(ctx, g.s.reader, "drills", func(r rowScanner) (row, error) {
		var v row
		err := r.Scan(&v.id, &v.title)
		return v, err
	}, `SELECT id, title FROM drills WHERE state IN ('planned', 'ready') AND starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id`,
		to.UTC(), to.AddDate(0, 1, 0).UTC())
	if err != nil {
		return err
	}
	for _, v := range next {
		b.NextSteps = append(b.NextSteps, report.Line{Key: "report.line.drill_next", Args: map[string]string{"title": v.title},
			Link: "/desk/drills/" + strconv.FormatInt(v.id, 10)})
	}
	return nil
}

type actionReportSource struct{ s *Store }

// Fill adds the actions closed in the month (progress), those overdue at
// its end (problems) and those due next month (next steps).
func (g actionReportSource) Fill(ctx context.Context, from, to time.Time, b *report.Body) error {
	list, err := g.s.Actions().List(ctx, action.Filter{})
	if err != nil {
		return err
	}
	closed := 0
	for _, x := range list {
		args := map[string]string{"text": x.Text, "source": string(x.Source.Kind)}
		switch {
		case !x.DoneAt.IsZero() && !x.DoneAt.Before(from) && x.DoneAt.Before(to):
			closed++
			b.Progress = append(b.Progress, report.Line{Key: "report.line.action_done", Args: args, Link: x.Link})
		case x.Due.Before(to) && (x.DoneAt.IsZero() || !x.DoneAt.Before(to)):
			b.Problems = append(b.Problems, report.Line{Key: "report.line.action_overdue", Args: args, Link: x.Link})
		case x.State == action.Open && !x.Due.Before(to) && x.Due.Before(to.AddDate(0, 1, 0)):
			b.NextSteps = append(b.NextSteps, report.Line{Key: "report.line.action_next", Args: args, Link: x.Link})
		}
	}
	b.Figures = append(b.Figures, report.Figure{Key: "report.figure.actions_done", Value: closed})
	return nil
}

type clockReportSource struct{ s *Store }

// Fill adds the crisis clocks missed in the month (problems).
func (g clockReportSource) Fill(ctx context.Context, from, to time.Time, b *report.Body) error {
	type row struct {
		crisisID    int64
		name, title string
	}
	rows, err := queryAll(ctx, g.s.reader, "clocks", func(r rowScanner) (row, error) {
		var v row
		err := r.Scan(&v.crisisID, &v.name, &v.title)
		return v, err
	}, `SELECT k.crisis_id, k.name, c.title FROM crisis_clocks k JOIN crises c ON c.id = k.crisis_id
		WHERE k.cancelled_at IS NULL AND k.due_at >= $1 AND k.due_at < $2 AND (k.met_at IS NULL OR k.met_at > k.due_at)
		ORDER BY k.due_at, k.id`, from.UTC(), to.UTC())
	if err != nil {
		return err
	}
	for _, v := range rows {
		b.Problems = append(b.Problems, report.Line{Key: "report.line.clock_missed", Args: map[string]string{"crisis": v.title, "clock": v.name},
			Link: "/desk/crises/" + strconv.FormatInt(v.crisisID, 10)})
	}
	b.Figures = append(b.Figures, report.Figure{Key: "report.figure.clocks_missed", Value: len(rows)})
	return nil
}
