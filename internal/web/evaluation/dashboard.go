package evaluation

import (
	"context"
	"net/http"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/web/kit"
)

// chart is a chart's data in the shape of the kit's chart partial
// (Kind "bar", "line" or "heatmap"; for a heat map, Series are the rows):
// until that partial is on main the page shows the data table alone,
// which is the chart's accessible form anyway.
type chart struct {
	ID         string
	Title      string
	Kind       string
	Categories []string
	Series     []series
	Unit       string
	Note       string // what the reader should know: the 30-minute line
}

type series struct {
	Name   string
	Values []float64
	Text   []string // each value as the table shows it ("—" for no data)
}

// dashView is the dashboard of one period.
type dashView struct {
	Period      string
	Kind        kpi.PeriodKind
	Prev, Next  string
	TypeID      int64
	Level       int
	LevelSel    catalog.Level // Level as the level list compares it
	Types       []catalog.Type
	Lang        string
	Rows        []figureRow
	Trend       chart
	Dist        chart
	Heat        chart
	CanGenerate bool
	Errors      kit.FieldErrors
}

// trendMeasures are the figures the trend follows, real series.
var trendMeasures = []string{"response_time.minutes", "first_notice.minutes", "first_notice.within_target",
	"clock_on_time.first_notice", "accuracy.factual_corrections_per_notice", "delivery_reach.reached"}

func trendLength(k kpi.PeriodKind) int {
	switch k {
	case kpi.Month:
		return 12
	case kpi.Year:
		return 5
	}
	return 8
}

func (h *Room) dashboard(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	q := r.URL.Query()
	v := dashView{Lang: tr.Lang(), CanGenerate: authz.Can(kit.Role(r), authz.EditEvaluation)}
	p := kpi.QuarterOf(h.Kit.Now())
	if s := q.Get("period"); s != "" {
		var err error
		if p, err = kpi.ParsePeriod(s); err != nil {
			v.Errors = kit.FieldErrors{"period": tr.T("evaluation.err.period")}
			p = kpi.QuarterOf(h.Kit.Now())
		}
	}
	v.TypeID, _ = strconv.ParseInt(q.Get("type"), 10, 64)
	if l, err := strconv.Atoi(q.Get("level")); err == nil && l >= 1 && l <= 4 {
		v.Level, v.LevelSel = l, catalog.Level(l)
	}
	v.Period, v.Kind, v.Prev, v.Next = p.String(), p.Kind, p.Shift(-1).String(), p.Shift(1).String()
	if err := h.fill(r.Context(), tr, &v, p); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	status := http.StatusOK
	if v.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	h.Kit.Render(w, r, status, "evaluation", v)
}

// fill computes the period's figures, its trend, the distribution of the
// time to first notice and the heat map of clocks by plan.
func (h *Room) fill(ctx context.Context, tr i18n.Translator, v *dashView, p kpi.Period) error {
	types, err := h.Plans.Types(ctx)
	if err != nil {
		return err
	}
	v.Types = types
	defs, _, err := h.current(ctx)
	if err != nil {
		return err
	}
	n := trendLength(p.Kind)
	data, err := h.Evaluation.Data(ctx, kpi.Since(p, n), p.End())
	if err != nil {
		return err
	}
	scope := kpi.Scope{From: p.Start, To: p.End(), TypeID: v.TypeID, Level: v.Level}
	v.Rows = rows(tr, kpi.Compute(defs, data, scope))

	points := kpi.Trend(defs, data, p, n, v.TypeID, v.Level)
	v.Trend = chart{ID: "chart-trend", Title: tr.T("evaluation.chart.trend"), Kind: "line", Unit: ""}
	for _, pt := range points {
		v.Trend.Categories = append(v.Trend.Categories, pt.Period.String())
	}
	for _, id := range trendMeasures {
		key, measure := splitID(id)
		s := series{Name: label(tr, key, measure)}
		for _, pt := range points {
			f, _ := kpi.Find(pt.Figures, id, kpi.Real)
			s.Values = append(s.Values, f.Value)
			s.Text = append(s.Text, value(tr, f))
		}
		v.Trend.Series = append(v.Trend.Series, s)
	}

	v.Dist = chart{ID: "chart-first-notice", Title: tr.T("evaluation.chart.distribution"), Kind: "bar",
		Unit: tr.T("evaluation.chart.crises"), Note: tr.T("evaluation.chart.line30")}
	for i, b := range kpi.Buckets {
		if i+1 < len(kpi.Buckets) {
			v.Dist.Categories = append(v.Dist.Categories, tr.T("evaluation.bucket", "From", b, "To", kpi.Buckets[i+1]))
		} else {
			v.Dist.Categories = append(v.Dist.Categories, tr.T("evaluation.bucket_last", "From", b))
		}
	}
	for _, sr := range []kpi.Series{kpi.Real, kpi.Exercise} {
		counts := kpi.Distribution(data.Crises, scope, sr)
		s := series{Name: tr.T("evaluation.series." + string(sr))}
		for _, c := range counts {
			s.Values = append(s.Values, float64(c))
			s.Text = append(s.Text, strconv.Itoa(c))
		}
		v.Dist.Series = append(v.Dist.Series, s)
	}

	heat := kpi.HeatMap(data.Clocks, scope)
	v.Heat = chart{ID: "chart-clocks", Title: tr.T("evaluation.chart.heatmap"), Kind: "heatmap", Unit: "%"}
	for _, k := range heat.Kinds {
		v.Heat.Categories = append(v.Heat.Categories, label(tr, kpi.ClockOnTime, k))
	}
	for i, planID := range heat.Plans {
		name := "#" + strconv.FormatInt(planID, 10)
		if pl, err := h.Plans.Get(ctx, planID); err == nil {
			name = pl.Title + " (" + pl.Code + " v" + strconv.Itoa(pl.Version) + ")"
		}
		s := series{Name: name}
		for _, c := range heat.Cells[i] {
			if c.NoData {
				s.Values, s.Text = append(s.Values, -1), append(s.Text, "—")
				continue
			}
			s.Values = append(s.Values, c.Share)
			s.Text = append(s.Text, tr.T("evaluation.unit.percent", "Value", strconv.FormatFloat(c.Share, 'f', -1, 64), "N", c.N))
		}
		v.Heat.Series = append(v.Heat.Series, s)
	}
	return nil
}

func splitID(id string) (kpi.Key, string) {
	for i := range id {
		if id[i] == '.' {
			return kpi.Key(id[:i]), id[i+1:]
		}
	}
	return kpi.Key(id), ""
}

// FormErrors implements kit.Form.
func (v dashView) FormErrors() kit.FieldErrors { return v.Errors }
