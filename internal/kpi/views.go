package kpi

import (
	"slices"
	"time"
)

// Buckets are the bands of the distribution of time to first notice, in
// minutes; the last is open-ended. The line the plan draws is at 30.
var Buckets = []int{0, 10, 20, 30, 45, 60, 120}

// Distribution counts the scope's crises of a series by minutes from
// occurrence to first public notice, in Buckets; those without a notice
// are left out.
func Distribution(cs []Crisis, s Scope, series Series) []int {
	out := make([]int, len(Buckets))
	for _, c := range cs {
		if SeriesOf(c.Exercise) != series || c.FirstNoticeAt.IsZero() || !s.has(c.TypeID, c.Level, c.OccurredAt) {
			continue
		}
		m := c.FirstNoticeAt.Sub(c.OccurredAt).Minutes()
		i := len(Buckets) - 1
		for i > 0 && m < float64(Buckets[i]) {
			i--
		}
		out[i]++
	}
	return out
}

// Cell is one cell of the heat map: a plan's on-time share for a clock
// kind; NoData when no such clock came due.
type Cell struct {
	Share  float64
	N      int
	NoData bool
}

// Heat is the heat map of clock performance: for each plan (rows) and
// clock kind (columns) the share met on time.
type Heat struct {
	Plans []int64
	Kinds []string
	Cells [][]Cell // [plan][kind]
}

// HeatMap builds the heat map of the real series' clocks in the scope.
func HeatMap(cs []Clock, s Scope) Heat {
	type key struct {
		plan int64
		kind string
	}
	due, met := map[key]int{}, map[key]int{}
	var h Heat
	kinds := map[string]bool{}
	for _, k := range ClockKinds {
		kinds[k] = true
	}
	h.Kinds = slices.Clone(ClockKinds)
	for _, c := range cs {
		if c.Exercise || c.PlanID == 0 || !s.has(c.TypeID, c.Level, c.DueAt) {
			continue
		}
		counts, ok := c.OnTime(s.To)
		if !counts {
			continue
		}
		k := key{c.PlanID, c.Kind}
		if due[key{c.PlanID, ""}] == 0 {
			h.Plans = append(h.Plans, c.PlanID)
		}
		due[key{c.PlanID, ""}]++
		due[k]++
		if ok {
			met[k]++
		}
		if !kinds[c.Kind] {
			kinds[c.Kind] = true
			h.Kinds = append(h.Kinds, c.Kind)
		}
	}
	slices.Sort(h.Plans)
	for _, p := range h.Plans {
		row := make([]Cell, len(h.Kinds))
		for i, k := range h.Kinds {
			if n := due[key{p, k}]; n > 0 {
				row[i] = Cell{Share: pct(met[key{p, k}], n), N: n}
			} else {
				row[i] = Cell{NoData: true}
			}
		}
		h.Cells = append(h.Cells, row)
	}
	return h
}

// Point is one period of a trend.
type Point struct {
	Period  Period
	Figures []Figure
}

// Trend computes the figures for each of n periods ending with p.
func Trend(defs Set, d Data, p Period, n int, typeID int64, level int) []Point {
	out := make([]Point, 0, n)
	for i := n - 1; i >= 0; i-- {
		q := p.Shift(-i)
		s := Scope{From: q.Start, To: q.End(), TypeID: typeID, Level: level}
		out = append(out, Point{Period: q, Figures: Compute(defs, d, s)})
	}
	return out
}

// Find returns the figure id of a series from figs, and whether it is there.
func Find(figs []Figure, id string, series Series) (Figure, bool) {
	for _, f := range figs {
		if f.ID() == id && f.Series == series {
			return f, true
		}
	}
	return Figure{}, false
}

// Since is the earliest instant the trend of n periods ending with p needs.
func Since(p Period, n int) time.Time { return p.Shift(-(n - 1)).Start }
