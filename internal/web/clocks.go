package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/web/kit"
)

// clockNamer names clocks in the reader's language. It reads a crisis's
// tasks and activated plan only when one of its clocks needs them.
type clockNamer struct {
	ctx    context.Context
	h      *Handler
	tr     i18n.Translator
	tasks  map[int64]map[string]string       // crisis → task id → title
	matrix map[int64]map[string]plan.CommRow // plan → row key → row
}

func (h *Handler) clockNamer(ctx context.Context, tr i18n.Translator) *clockNamer {
	return &clockNamer{ctx: ctx, h: h, tr: tr, tasks: map[int64]map[string]string{}, matrix: map[int64]map[string]plan.CommRow{}}
}

// useTasks lends the namer tasks a page has already read.
func (n *clockNamer) useTasks(crisisID int64, tasks []crisis.Task) {
	m := make(map[string]string, len(tasks))
	for _, t := range tasks {
		m[strconv.FormatInt(t.ID, 10)] = t.Title
	}
	n.tasks[crisisID] = m
}

// name returns the label of clock k of crisis c. A lookup that fails
// falls back to a plain label: a name is never worth a failed page.
func (n *clockNamer) name(c crisis.Crisis, k crisis.Clock) string {
	switch k.Kind {
	case crisis.ActivationClock:
		return n.tr.T("clock.activation")
	case crisis.FirstNoticeClock:
		return n.tr.T("clock.first_notice")
	case crisis.TaskClock:
		titles, ok := n.tasks[c.ID]
		if !ok {
			tasks, err := n.h.crises.Tasks(n.ctx, c.ID)
			if err != nil {
				n.h.log.WarnContext(n.ctx, "web: tasks for clock names", "crisis", c.ID, "err", err)
			}
			n.useTasks(c.ID, tasks)
			titles = n.tasks[c.ID]
		}
		return n.tr.T("clock.task", "Title", titles[k.Ref])
	case crisis.CadenceClock:
		row, ok := n.row(c.PlanID, k.Ref)
		if !ok {
			return n.tr.T("clock.cadence_plain")
		}
		return n.tr.T("clock.cadence", "Audience", n.tr.T("audience."+row.Audience), "Cadence", row.Cadence.String())
	}
	return strings.ReplaceAll(k.Name, "_", " ")
}

func (n *clockNamer) row(planID int64, key string) (plan.CommRow, bool) {
	if planID == 0 {
		return plan.CommRow{}, false
	}
	rows, ok := n.matrix[planID]
	if !ok {
		rows = map[string]plan.CommRow{}
		p, err := n.h.plans.Get(n.ctx, planID)
		if err != nil {
			n.h.log.WarnContext(n.ctx, "web: plan for clock names", "plan", planID, "err", err)
		}
		for _, r := range p.Body.Matrix {
			rows[r.Key] = r
		}
		n.matrix[planID] = rows
	}
	r, ok := rows[key]
	return r, ok
}

// panelClocks are the clocks a crisis shows beside its tasks: activation,
// first notice and the latest period of each communication row. Task
// clocks show with their tasks.
func (n *clockNamer) panelClocks(c crisis.Crisis, now time.Time) []kit.ClockView {
	var out []kit.ClockView
	latest := map[string]int{}
	for _, k := range c.Clocks {
		if k.Kind == crisis.TaskClock {
			continue
		}
		v := kit.NewClockView(n.name(c, k), k, now)
		if k.Kind == crisis.CadenceClock {
			if i, seen := latest[k.Ref]; seen {
				if k.ID > out[i].ID { // a newer period of the same row
					out[i] = v
				}
				continue
			}
			latest[k.Ref] = len(out)
		}
		out = append(out, v)
	}
	return out
}

// urgent returns the most urgent clock of c, if one is running.
func (n *clockNamer) urgent(c crisis.Crisis, now time.Time) *kit.ClockView {
	k, ok := crisis.MostUrgent(c.Clocks)
	if !ok {
		return nil
	}
	v := kit.NewClockView(n.name(c, k), k, now)
	return &v
}

// complianceView is one row of the communication matrix as kept so far.
type complianceView struct {
	Label                string
	Met, Late, Missed    int
	Running, Kept, Ended bool
}

// compliance shows, per row of the communication matrix, how many of its
// periods were met on time, met late or missed.
func (n *clockNamer) compliance(c crisis.Crisis, now time.Time) []complianceView {
	var out []complianceView
	for _, row := range crisis.CadenceCompliance(c.Clocks, now) {
		out = append(out, complianceView{Label: n.name(c, row.Periods[0]), Met: row.Met, Late: row.Late,
			Missed: row.Missed, Running: row.Running, Kept: row.Kept()})
	}
	return out
}
