package crises

import (
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/web/crisisview"
	"crisisdesk/internal/web/kit"
	"time"
)

// panelClocks are the clocks a crisis shows beside its tasks: activation,
// first notice and the latest period of each communication row. Task
// clocks show with their tasks.
func panelClocks(n *crisisview.Namer, c crisis.Crisis, now time.Time) []kit.ClockView {
	var out []kit.ClockView
	latest := map[string]int{}
	for _, k := range c.Clocks {
		if k.Kind == crisis.TaskClock {
			continue
		}
		v := kit.NewClockView(n.Name(c, k), k, now)
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

// complianceView is one row of the communication matrix as kept so far.
type complianceView struct {
	Label                string
	Met, Late, Missed    int
	Running, Kept, Ended bool
}

// compliance shows, per row of the communication matrix, how many of its
// periods were met on time, met late or missed.
func compliance(n *crisisview.Namer, c crisis.Crisis, now time.Time) []complianceView {
	var out []complianceView
	for _, row := range crisis.CadenceCompliance(c.Clocks, now) {
		out = append(out, complianceView{Label: n.Name(c, row.Periods[0]), Met: row.Met, Late: row.Late,
			Missed: row.Missed, Running: row.Running, Kept: row.Kept()})
	}
	return out
}
