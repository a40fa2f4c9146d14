package kpi

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Unit says how a figure's value reads.
type Unit string

// The units of the figures.
const (
	Minutes Unit = "minutes"
	Percent Unit = "percent"
	Ratio   Unit = "ratio"
	Count   Unit = "count"
	Score   Unit = "score"
)

// Figure is one computed number of a report: the figure, the measure
// within it, the definition version used, the series, and the value.
type Figure struct {
	Key     Key     `json:"key"`
	Measure string  `json:"measure"`
	Version int     `json:"version"`
	Series  Series  `json:"series"`
	Value   float64 `json:"value"`
	Unit    Unit    `json:"unit"`
	N       int     `json:"n"`
	NoData  bool    `json:"no_data,omitempty"`
}

// ID is the figure's name within a report: "key.measure".
func (f Figure) ID() string { return string(f.Key) + "." + f.Measure }

// The measures of the pluggable sources, by their ID.
const (
	PluggedSatisfaction    = "satisfaction.score"
	PluggedRumourClarify   = "rumour_clarify.minutes"
	PluggedConfirmedErrors = "accuracy.confirmed_error_reports"
)

// Plugged lists the IDs the pluggable sources fill.
var Plugged = []string{PluggedConfirmedErrors, PluggedSatisfaction, PluggedRumourClarify}

// ClockKinds are the crisis clock kinds, always shown even when none came
// due; other kinds (from deadlines) follow in name order.
var ClockKinds = []string{"activation", "first_notice", "cadence", "task", "drill_report"}

// Compute computes every figure of defs over d for scope s, for both
// series. It is pure: the same inputs always give the same figures.
func Compute(defs Set, d Data, s Scope) []Figure {
	var out []Figure
	for _, series := range []Series{Real, Exercise} {
		ex := series == Exercise
		out = append(out, durations(defs[ResponseTime], series, s, d.Crises, ex, func(c Crisis) time.Time { return c.ActivatedAt })...)
		out = append(out, durations(defs[FirstNotice], series, s, d.Crises, ex, func(c Crisis) time.Time { return c.FirstNoticeAt })...)
		out = append(out, clockShares(defs[ClockOnTime], series, s, d.Clocks)...)
		out = append(out, accuracy(defs[Accuracy], series, s, d)...)
		if ex {
			out = append(out, drills(defs[DrillEffect], s, d.Drills)...)
		}
		out = append(out, reach(defs[DeliveryReach], series, s, d.Deliveries)...)
		for _, id := range []string{PluggedSatisfaction, PluggedRumourClarify} {
			out = append(out, plugged(defs, d, series, id))
		}
	}
	return out
}

func fig(def Definition, key Key, measure string, series Series, unit Unit) Figure {
	return Figure{Key: key, Measure: measure, Version: def.Version, Series: series, Unit: unit, NoData: true}
}

// durations is the statistic of occurrence → at(c) over the scope's
// crises of the series, and the share within the definition's target.
func durations(def Definition, series Series, s Scope, cs []Crisis, ex bool, at func(Crisis) time.Time) []Figure {
	stat := fig(def, def.Key, "minutes", series, Minutes)
	share := fig(def, def.Key, "within_target", series, Percent)
	var mins []float64
	within := 0
	for _, c := range cs {
		if c.Exercise != ex || !s.has(c.TypeID, c.Level, c.OccurredAt) || at(c).IsZero() {
			continue
		}
		m := at(c).Sub(c.OccurredAt).Minutes()
		mins = append(mins, m)
		if def.Target > 0 && m <= float64(def.Target) {
			within++
		}
	}
	if len(mins) == 0 {
		return []Figure{stat, share}
	}
	stat.Value, stat.N, stat.NoData = round(Summarise(def.Statistic, mins)), len(mins), false
	share.Value, share.N, share.NoData = pct(within, len(mins)), len(mins), false
	return []Figure{stat, share}
}

// Summarise applies a statistic to values (sorted in place).
func Summarise(st Statistic, v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	switch st {
	case Mean:
		sum := 0.0
		for _, x := range v {
			sum += x
		}
		return sum / float64(len(v))
	case P90:
		return v[int(math.Ceil(0.9*float64(len(v))))-1]
	}
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}

// OnTime reports whether a clock counts, and whether it was met in time:
// cancelled clocks and clocks still running at the scope's end do not count.
func (c Clock) OnTime(end time.Time) (counts, met bool) {
	if c.Cancelled && c.MetAt.IsZero() {
		return false, false
	}
	if !c.MetAt.IsZero() {
		return true, !c.MetAt.After(c.DueAt)
	}
	return !c.DueAt.After(end), false
}

func clockShares(def Definition, series Series, s Scope, cs []Clock) []Figure {
	type tally struct{ due, met int }
	by := map[string]*tally{}
	kinds := slices.Clone(ClockKinds)
	for _, k := range kinds {
		by[k] = &tally{}
	}
	for _, c := range cs {
		if SeriesOf(c.Exercise) != series || !s.has(c.TypeID, c.Level, c.DueAt) {
			continue
		}
		counts, met := c.OnTime(s.To)
		if !counts {
			continue
		}
		t, ok := by[c.Kind]
		if !ok {
			t = &tally{}
			by[c.Kind] = t
			kinds = append(kinds, c.Kind)
		}
		t.due++
		if met {
			t.met++
		}
	}
	slices.Sort(kinds[len(ClockKinds):])
	out := make([]Figure, 0, len(kinds))
	for _, k := range kinds {
		f := fig(def, ClockOnTime, k, series, Percent)
		if t := by[k]; t.due > 0 {
			f.Value, f.N, f.NoData = pct(t.met, t.due), t.due, false
		}
		out = append(out, f)
	}
	return out
}

// accuracy counts the scope's published public notices (corrections
// aside) and those corrected for a factual error, following a chain of
// corrections to the notice it started from; and the internal audit.
func accuracy(def Definition, series Series, s Scope, d Data) []Figure {
	corr := fig(def, Accuracy, "factual_corrections_per_notice", series, Ratio)
	audit := fig(def, Accuracy, "audit_accurate", series, Percent)
	byID := map[int64]Notice{}
	for _, n := range d.Notices {
		if n.Public {
			byID[n.ID] = n
		}
	}
	published := 0
	for _, n := range byID {
		if !n.Correction && SeriesOf(n.Exercise) == series && s.has(n.TypeID, n.Level, n.PublishedAt) {
			published++
		}
	}
	corrected := map[int64]bool{}
	for _, n := range byID {
		if !n.Correction || !n.Factual {
			continue
		}
		root, ok := byID[n.References]
		for hops := 0; ok && root.Correction && hops < len(byID); hops++ {
			root, ok = byID[root.References]
		}
		if ok && !root.Correction && SeriesOf(root.Exercise) == series && s.has(root.TypeID, root.Level, root.PublishedAt) {
			corrected[root.ID] = true
		}
	}
	if published > 0 {
		corr.Value, corr.N, corr.NoData = round4(float64(len(corrected))/float64(published)), published, false
	}
	checked, ok := 0, 0
	for _, a := range d.Audits {
		if SeriesOf(a.Exercise) != series || !s.has(a.TypeID, a.Level, a.At) {
			continue
		}
		checked++
		if a.Accurate {
			ok++
		}
	}
	if checked > 0 {
		audit.Value, audit.N, audit.NoData = pct(ok, checked), checked, false
	}
	return []Figure{corr, audit, plugged(Set{Accuracy: def}, d, series, PluggedConfirmedErrors)}
}

// drills sums the effectiveness of the drills that ended in the scope:
// always the exercise series.
func drills(def Definition, s Scope, ds []Drill) []Figure {
	problems := fig(def, DrillEffect, "problems", Exercise, Count)
	onTime := fig(def, DrillEffect, "actions_on_time", Exercise, Percent)
	performed := fig(def, DrillEffect, "objectives_performed", Exercise, Percent)
	n, actions, closed, rated, perf := 0, 0, 0, 0, 0
	for _, d := range ds {
		if !s.has(d.TypeID, d.Level, d.EndedAt) {
			continue
		}
		n++
		problems.Value += float64(d.Problems)
		actions += d.Actions
		closed += d.ClosedOnTime
		rated += d.Rated
		perf += d.Performed
	}
	if n > 0 {
		problems.N, problems.NoData = n, false
	}
	if actions > 0 {
		onTime.Value, onTime.N, onTime.NoData = pct(closed, actions), actions, false
	}
	if rated > 0 {
		performed.Value, performed.N, performed.NoData = pct(perf, rated), rated, false
	}
	return []Figure{problems, onTime, performed}
}

func reach(def Definition, series Series, s Scope, ds []Delivery) []Figure {
	share := fig(def, DeliveryReach, "reached", series, Percent)
	to95 := fig(def, DeliveryReach, "minutes_to_95", series, Minutes)
	recipients, reached := 0, 0
	var mins []float64
	for _, d := range ds {
		if SeriesOf(d.Exercise) != series || !s.has(d.TypeID, d.Level, d.PublishedAt) || d.Recipients == 0 {
			continue
		}
		recipients += d.Recipients
		reached += d.Reached
		if d.To95 > 0 {
			mins = append(mins, d.To95.Minutes())
		}
	}
	if recipients > 0 {
		share.Value, share.N, share.NoData = pct(reached, recipients), recipients, false
	}
	if len(mins) > 0 {
		to95.Value, to95.N, to95.NoData = round(Summarise(def.Statistic, mins)), len(mins), false
	}
	return []Figure{share, to95}
}

// plugged reads a pluggable figure: no data until its source is plugged.
func plugged(defs Set, d Data, series Series, id string) Figure {
	var key Key
	var measure string
	var unit Unit
	switch id {
	case PluggedSatisfaction:
		key, measure, unit = Satisfaction, "score", Score
	case PluggedRumourClarify:
		key, measure, unit = RumourClarify, "minutes", Minutes
	default:
		key, measure, unit = Accuracy, "confirmed_error_reports", Count
	}
	f := fig(defs[key], key, measure, series, unit)
	if v, ok := d.Plugged[Key(id)][series]; ok && !v.NoData {
		f.Value, f.N, f.NoData = v.Value, v.N, false
	}
	return f
}

func pct(a, b int) float64 { return round(100 * float64(a) / float64(b)) }

// round keeps one decimal, so that stored reports compare exactly.
func round(x float64) float64 { return math.Round(x*10) / 10 }

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
