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
	Times       kit.Chart // the trend of the times
	Shares      kit.Chart // the trend of the shares
	Dist        kit.Chart
	Heat        kit.Chart
	CanGenerate bool
	Errors      kit.FieldErrors
}

// The figures the trends follow, real series: times in minutes, shares
// in percent.
var (
	trendTimes  = []string{"response_time.minutes", "first_notice.minutes", "delivery_reach.minutes_to_95"}
	trendShares = []string{"first_notice.within_target", "clock_on_time.first_notice", "clock_on_time.task",
		"accuracy.audit_accurate", "delivery_reach.reached"}
)

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
	trend := func(id, title, unit string, ids []string) kit.Chart {
		c := kit.Chart{ID: id, Title: title, Kind: "line", Unit: unit, Empty: tr.T("evaluation.no_data")}
		for _, pt := range points {
			c.Categories = append(c.Categories, pt.Period.String())
		}
		for _, fid := range ids {
			key, measure := splitID(fid)
			s := kit.Series{Name: label(tr, key, measure)}
			for _, pt := range points {
				f, _ := kpi.Find(pt.Figures, fid, kpi.Real)
				s.Values, s.Missing = append(s.Values, f.Value), append(s.Missing, f.NoData)
			}
			c.Series = append(c.Series, s)
		}
		return c
	}
	v.Times = trend("trend-times", tr.T("evaluation.chart.trend_times"), "", trendTimes)
	v.Shares = trend("trend-shares", tr.T("evaluation.chart.trend_shares"), "%", trendShares)

	v.Dist = kit.Chart{ID: "first-notice", Title: tr.T("evaluation.chart.distribution"), Kind: "bar", Empty: tr.T("evaluation.no_data")}
	for i, b := range kpi.Buckets {
		if i+1 < len(kpi.Buckets) {
			v.Dist.Categories = append(v.Dist.Categories, tr.T("evaluation.bucket", "From", b, "To", kpi.Buckets[i+1]))
		} else {
			v.Dist.Categories = append(v.Dist.Categories, tr.T("evaluation.bucket_last", "From", b))
		}
	}
	for _, sr := range []kpi.Series{kpi.Real, kpi.Exercise} {
		s := kit.Series{Name: tr.T("evaluation.series." + string(sr))}
		for _, c := range kpi.Distribution(data.Crises, scope, sr) {
			s.Values = append(s.Values, float64(c))
		}
		v.Dist.Series = append(v.Dist.Series, s)
	}

	heat := kpi.HeatMap(data.Clocks, scope)
	v.Heat = kit.Chart{ID: "clocks", Title: tr.T("evaluation.chart.heatmap"), Kind: "heatmap", Unit: "%", Empty: tr.T("evaluation.no_data")}
	for _, k := range heat.Kinds {
		v.Heat.Categories = append(v.Heat.Categories, label(tr, kpi.ClockOnTime, k))
	}
	for i, planID := range heat.Plans {
		name := "#" + strconv.FormatInt(planID, 10)
		if pl, err := h.Plans.Get(ctx, planID); err == nil {
			name = pl.Title + " (" + pl.Code + " v" + strconv.Itoa(pl.Version) + ")"
		}
		s := kit.Series{Name: name}
		for _, c := range heat.Cells[i] {
			s.Values, s.Missing = append(s.Values, c.Share), append(s.Missing, c.NoData)
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
