package evaluation

import (
	"context"
	"strconv"
	"strings"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/kpi"
)

// figureRow is one measure of a figure with its value in each series.
type figureRow struct {
	ID       string // "key.measure", the table row's id
	Key      kpi.Key
	Label    string
	Version  int
	Real     string
	Exercise string
}

// label names a measure in the reader's language; a clock kind the
// catalogue does not know (a deadline kind added later) shows its name.
func label(tr i18n.Translator, key kpi.Key, measure string) string {
	k := "kpi." + string(key) + "." + measure
	if s := tr.T(k); s != k {
		return s
	}
	if key == kpi.ClockOnTime {
		return tr.T("kpi.clock_on_time.other", "Kind", measure)
	}
	return k
}

// value writes a figure's value with its unit, or "no data".
func value(tr i18n.Translator, f kpi.Figure) string {
	if f.NoData {
		return tr.T("evaluation.no_data")
	}
	v := strconv.FormatFloat(f.Value, 'f', -1, 64)
	switch f.Unit {
	case kpi.Minutes:
		return tr.T("evaluation.unit.minutes", "Value", v)
	case kpi.Percent:
		return tr.T("evaluation.unit.percent", "Value", v, "N", f.N)
	}
	return v
}

// rows lays the figures out one measure a row, real and exercise side by side.
func rows(tr i18n.Translator, figs []kpi.Figure) []figureRow {
	var out []figureRow
	at := map[string]int{}
	for _, f := range figs {
		i, ok := at[f.ID()]
		if !ok {
			i = len(out)
			at[f.ID()] = i
			out = append(out, figureRow{ID: strings.ReplaceAll(f.ID(), ".", "-"), Key: f.Key, Label: label(tr, f.Key, f.Measure),
				Version: f.Version, Real: "—", Exercise: "—"})
		}
		if f.Series == kpi.Exercise {
			out[i].Exercise = value(tr, f)
		} else {
			out[i].Real = value(tr, f)
		}
	}
	return out
}

// current is the definitions in force now.
func (h *Room) current(ctx context.Context) (kpi.Set, []kpi.Definition, error) {
	all, err := h.Evaluation.Definitions(ctx)
	if err != nil {
		return nil, nil, err
	}
	return kpi.Current(all, h.Kit.Now()), all, nil
}
