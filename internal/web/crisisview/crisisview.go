// Package crisisview is how the desk's rooms show crises to a reader:
// crisis types and clocks named in the reader's language, and a crisis as
// a row of a list with its most urgent clock. The dashboard (web/desk) and
// the crisis room (web/crises) share it.
package crisisview

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// TypeNames names every crisis type in lang, by id, and returns the types.
func TypeNames(ctx context.Context, plans plan.Service, lang string) (map[int64]string, []catalog.Type, error) {
	types, err := plans.Types(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(types))
	for _, t := range types {
		names[t.ID] = t.Name.For(lang)
	}
	return names, types, nil
}

// Services are what crisisview reads: the crises with their tasks, the
// plans with their communication matrices, and where to log a lookup
// that failed.
type Services struct {
	Crises crisis.Service
	Plans  plan.Service
	Log    *slog.Logger
}

// Namer names clocks in the reader's language. It reads a crisis's tasks
// and activated plan only when one of its clocks needs them, and once per
// page.
type Namer struct {
	ctx    context.Context
	s      Services
	tr     i18n.Translator
	tasks  map[int64]map[string]string       // crisis → task id → title
	matrix map[int64]map[string]plan.CommRow // plan → row key → row
}

// Namer names clocks for one page, in tr's language.
func (s Services) Namer(ctx context.Context, tr i18n.Translator) *Namer {
	return &Namer{ctx: ctx, s: s, tr: tr, tasks: map[int64]map[string]string{}, matrix: map[int64]map[string]plan.CommRow{}}
}

// UseTasks lends the namer the tasks of a crisis a page has already read.
func (n *Namer) UseTasks(crisisID int64, tasks []crisis.Task) {
	m := make(map[string]string, len(tasks))
	for _, t := range tasks {
		m[strconv.FormatInt(t.ID, 10)] = t.Title
	}
	n.tasks[crisisID] = m
}

// Name returns the label of clock k of crisis c. A lookup that fails
// falls back to a plain label: a name is never worth a failed page.
func (n *Namer) Name(c crisis.Crisis, k crisis.Clock) string {
	switch k.Kind {
	case crisis.ActivationClock:
		return n.tr.T("clock.activation")
	case crisis.FirstNoticeClock:
		return n.tr.T("clock.first_notice")
	case crisis.TaskClock:
		titles, ok := n.tasks[c.ID]
		if !ok {
			tasks, err := n.s.Crises.Tasks(n.ctx, c.ID)
			if err != nil {
				n.s.Log.WarnContext(n.ctx, "web: tasks for clock names", "crisis", c.ID, "err", err)
			}
			n.UseTasks(c.ID, tasks)
			titles = n.tasks[c.ID]
		}
		return n.tr.T("clock.task", "Title", titles[k.Ref])
	case crisis.CadenceClock:
		row, ok := n.row(c.PlanID, k.Ref)
		if !ok {
			return n.tr.T("clock.cadence_plain")
		}
		return n.tr.T("clock.cadence", "Audience", n.tr.T("audience."+row.Audience), "Cadence", n.tr.Duration(time.Duration(row.Cadence)))
	}
	if k.Name == drill.ReportClock {
		return n.tr.T("clock.drill_report")
	}
	return strings.ReplaceAll(k.Name, "_", " ")
}

func (n *Namer) row(planID int64, key string) (plan.CommRow, bool) {
	if planID == 0 {
		return plan.CommRow{}, false
	}
	rows, ok := n.matrix[planID]
	if !ok {
		rows = map[string]plan.CommRow{}
		p, err := n.s.Plans.Get(n.ctx, planID)
		if err != nil {
			n.s.Log.WarnContext(n.ctx, "web: plan for clock names", "plan", planID, "err", err)
		}
		for _, r := range p.Body.Matrix {
			rows[r.Key] = r
		}
		n.matrix[planID] = rows
	}
	r, ok := rows[key]
	return r, ok
}

// Urgent returns the most urgent clock of c, if one is running.
func (n *Namer) Urgent(c crisis.Crisis, now time.Time) *kit.ClockView {
	k, ok := crisis.MostUrgent(c.Clocks)
	if !ok {
		return nil
	}
	v := kit.NewClockView(n.Name(c, k), k, now)
	return &v
}

// Row is a crisis in a list, with its type's name and its most urgent
// clock.
type Row struct {
	Crisis   crisis.Crisis
	TypeName string
	Urgent   *kit.ClockView
}

// Rows names each crisis's type and most urgent clock as it stands at now.
func (s Services) Rows(ctx context.Context, tr i18n.Translator, list []crisis.Crisis, now time.Time) ([]Row, error) {
	names, _, err := TypeNames(ctx, s.Plans, tr.Lang())
	if err != nil {
		return nil, err
	}
	namer := s.Namer(ctx, tr)
	out := make([]Row, 0, len(list))
	for _, c := range list {
		out = append(out, Row{Crisis: c, TypeName: names[c.TypeID], Urgent: namer.Urgent(c, now)})
	}
	return out, nil
}
