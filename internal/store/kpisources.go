package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"crisisdesk/internal/kpi"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/survey"
)

// The evaluation's figures measured in the other areas, plugged into
// every Evaluation the store makes (kpis.go): satisfaction from the
// surveys, time to clarify from the rumour register, confirmed error
// reports from the feedback, and the risk register for the coverage loop.
func (e *Evaluation) plugAreas() {
	e.sources[kpi.PluggedSatisfaction] = satisfactionSource{e.s}
	e.sources[kpi.PluggedRumourClarify] = clarifySource{e.s}
	e.sources[kpi.PluggedConfirmedErrors] = errorReportSource{e.s}
	e.risks = riskSource{e.s}
}

// scoped keeps the facts of scope s's crisis type and level; a fact of no
// crisis counts only when the scope names neither.
func scoped(s kpi.Scope, typeID int64, level int) bool {
	return (s.TypeID == 0 || typeID == s.TypeID) && (s.Level == 0 || level == s.Level)
}

// satisfactionSource is the mean of the scale answers (1–5) of the
// surveys sent in the scope, of the series' crises.
type satisfactionSource struct{ s *Store }

func (src satisfactionSource) Measure(ctx context.Context, s kpi.Scope, series kpi.Series) (kpi.Value, error) {
	type row struct {
		id, typeID int64
		level      int
		questions  string
	}
	surveys, err := queryAll(ctx, src.s.reader, "surveys", func(r rowScanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.typeID, &x.level, &x.questions)
	}, `SELECT v.id, COALESCE(c.type_id, 0), COALESCE(c.level, 0), v.questions FROM surveys v LEFT JOIN crises c ON c.id = v.crisis_id
		WHERE v.sent_at >= $1 AND v.sent_at < $2 AND COALESCE(c.exercise, FALSE) = $3`, s.From, s.To, series == kpi.Exercise)
	if err != nil {
		return kpi.Value{}, err
	}
	var sum float64
	n := 0
	for _, v := range surveys {
		if !scoped(s, v.typeID, v.level) {
			continue
		}
		var qs []survey.Question
		if err := json.Unmarshal([]byte(v.questions), &qs); err != nil {
			return kpi.Value{}, fmt.Errorf("survey %d questions: %w", v.id, err)
		}
		var scales []string
		for _, q := range qs {
			if q.Kind == survey.Scale {
				scales = append(scales, q.Key)
			}
		}
		answers, err := queryAll(ctx, src.s.reader, "survey answers", func(r rowScanner) ([2]string, error) {
			var a [2]string
			return a, r.Scan(&a[0], &a[1])
		}, `SELECT question, value FROM survey_answers WHERE survey_id = $1`, v.id)
		if err != nil {
			return kpi.Value{}, err
		}
		for _, a := range answers {
			x, err := strconv.Atoi(a[1])
			if err != nil || x < 1 || x > 5 || !slices.Contains(scales, a[0]) {
				continue
			}
			sum += float64(x)
			n++
		}
	}
	if n == 0 {
		return kpi.Value{NoData: true}, nil
	}
	return kpi.Value{Value: float64(int(100*sum/float64(n)+0.5)) / 100, N: n}, nil
}

// clarifySource is the median time, in minutes, from a rumour first seen
// to its published clarification, over the rumours clarified in the scope.
type clarifySource struct{ s *Store }

func (src clarifySource) Measure(ctx context.Context, s kpi.Scope, series kpi.Series) (kpi.Value, error) {
	type row struct {
		typeID int64
		level  int
		mins   float64
	}
	rows, err := queryAll(ctx, src.s.reader, "rumours", func(r rowScanner) (row, error) {
		var x row
		var first, clarified time.Time
		if err := r.Scan(&x.typeID, &x.level, &first, &clarified); err != nil {
			return x, err
		}
		x.mins = clarified.Sub(first).Minutes()
		return x, nil
	}, `SELECT COALESCE(c.type_id, 0), COALESCE(c.level, 0), r.first_seen, r.clarified_at FROM rumours r LEFT JOIN crises c ON c.id = r.crisis_id
		WHERE r.clarified_at >= $1 AND r.clarified_at < $2 AND COALESCE(c.exercise, FALSE) = $3`, s.From, s.To, series == kpi.Exercise)
	if err != nil {
		return kpi.Value{}, err
	}
	var mins []float64
	for _, x := range rows {
		if scoped(s, x.typeID, x.level) {
			mins = append(mins, x.mins)
		}
	}
	if len(mins) == 0 {
		return kpi.Value{NoData: true}, nil
	}
	slices.Sort(mins)
	med := mins[len(mins)/2]
	if len(mins)%2 == 0 {
		med = (mins[len(mins)/2-1] + mins[len(mins)/2]) / 2
	}
	return kpi.Value{Value: float64(int(med*10+0.5)) / 10, N: len(mins)}, nil
}

// errorReportSource counts the questions from the public that reported an
// error in a notice and were confirmed by the correction they caused,
// received in the scope.
type errorReportSource struct{ s *Store }

func (src errorReportSource) Measure(ctx context.Context, s kpi.Scope, series kpi.Series) (kpi.Value, error) {
	rows, err := queryAll(ctx, src.s.reader, "error reports", func(r rowScanner) ([2]int64, error) {
		var x [2]int64
		return x, r.Scan(&x[0], &x[1])
	}, `SELECT COALESCE(c.type_id, 0), COALESCE(c.level, 0) FROM feedback f LEFT JOIN crises c ON c.id = f.crisis_id
		WHERE f.correction_id IS NOT NULL AND f.created_at >= $1 AND f.created_at < $2 AND COALESCE(c.exercise, FALSE) = $3`,
		s.From, s.To, series == kpi.Exercise)
	if err != nil {
		return kpi.Value{}, err
	}
	n := 0
	for _, x := range rows {
		if scoped(s, x[0], int(x[1])) {
			n++
		}
	}
	return kpi.Value{Value: float64(n), N: n}, nil
}

// riskSource gives the coverage loop the register: each risk with the
// crisis types it is linked to; high means the high or extreme band.
type riskSource struct{ s *Store }

func (src riskSource) Risks(ctx context.Context) ([]kpi.Risk, error) {
	list, _, err := src.s.Risks().List(ctx, risk.Filter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := make([]kpi.Risk, 0, len(list))
	for _, r := range list {
		title := r.Description
		if title == "" {
			title = r.Key
		}
		k := kpi.Risk{ID: r.ID, Title: title, High: r.Band() == risk.High || r.Band() == risk.Extreme}
		for _, l := range r.Links {
			if l.Kind == "crisis_type" {
				k.TypeIDs = append(k.TypeIDs, l.TargetID)
			}
		}
		out = append(out, k)
	}
	return out, nil
}
