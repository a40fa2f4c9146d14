package crisis

import (
	"sort"
	"strings"
	"time"
)

// Compliance is how one row of the communication matrix has been kept:
// each period of its cadence met on time, met late, missed, or running.
type Compliance struct {
	Key     string // the matrix row key
	Periods []Clock
	Met     int // met on time
	Late    int // met after the due time
	Missed  int // overdue and still unmet
	Running bool
}

// Kept reports whether every finished period was met on time.
func (c Compliance) Kept() bool { return c.Late == 0 && c.Missed == 0 }

// CadenceCompliance groups the cadence clocks by matrix row.
func CadenceCompliance(clocks []Clock, now time.Time) []Compliance {
	rows := map[string]*Compliance{}
	for _, c := range clocks {
		if c.Kind != CadenceClock {
			continue
		}
		key := c.Ref
		if key == "" {
			key, _, _ = strings.Cut(strings.TrimPrefix(c.Name, "cadence:"), "#")
		}
		r := rows[key]
		if r == nil {
			r = &Compliance{Key: key}
			rows[key] = r
		}
		r.Periods = append(r.Periods, c)
		switch {
		case c.State(now) == Met:
			r.Met++
		case !c.MetAt.IsZero():
			r.Late++
		case c.State(now) == Overdue:
			r.Missed++
		default:
			r.Running = true
		}
	}
	out := make([]Compliance, 0, len(rows))
	for _, r := range rows {
		sort.Slice(r.Periods, func(i, j int) bool { return r.Periods[i].StartedAt.Before(r.Periods[j].StartedAt) })
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
