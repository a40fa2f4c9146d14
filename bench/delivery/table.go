package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"

	"crisisdesk/internal/store"
)

// row is one phase of one run.
type row struct {
	run     int
	engine  store.Engine
	phase   string
	n       int
	seconds float64 // publish → last record written (fanout) or → all recorded sent
	rate    float64 // records/s (fanout) or sustained arrivals/s at the receiver
	alone   float64 // the receiver alone, requests or messages/s; 0 for the fan-out
	peakMB  float64 // crisisdesk's VmHWM
	baseMB  float64 // its VmRSS just before Publish
	repeats int     // arrivals beyond one per recipient
	load    string  // the 1-minute load average when the phase ended
}

func numCPU() int { return runtime.NumCPU() }

// loadAverage is the 1-minute load average, a hint of other work sharing
// the cores.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b) + " ?")[0]
}

func printHeader() {
	fmt.Printf("%-4s %-9s %-8s %9s %9s %11s %11s %6s %8s %8s %8s %5s\n",
		"run", "engine", "phase", "n", "seconds", "rate/s", "alone/s", "ratio", "idle MB", "peak MB", "repeats", "load")
}

func printRow(r row) {
	run := fmt.Sprint(r.run)
	if r.run == 0 {
		run = "med"
	}
	alone, ratio := "–", "–"
	if r.alone > 0 {
		alone, ratio = fmt.Sprintf("%.0f", r.alone), fmt.Sprintf("%.2f", r.rate/r.alone)
	}
	fmt.Printf("%-4s %-9s %-8s %9d %9.2f %11.0f %11s %6s %8.0f %8.0f %8d %5s\n",
		run, r.engine, r.phase, r.n, r.seconds, r.rate, alone, ratio, r.baseMB, r.peakMB, r.repeats, r.load)
}

// medians folds the runs of each engine and phase into one row of
// medians (each column on its own; the ratio is that of the medians).
func medians(rows []row) []row {
	var out []row
	for _, r := range rows {
		if slices.ContainsFunc(out, func(o row) bool { return o.engine == r.engine && o.phase == r.phase }) {
			continue
		}
		var group []row
		for _, g := range rows {
			if g.engine == r.engine && g.phase == r.phase {
				group = append(group, g)
			}
		}
		med := func(f func(row) float64) float64 {
			v := make([]float64, len(group))
			for i, g := range group {
				v[i] = f(g)
			}
			slices.Sort(v)
			if len(v)%2 == 1 {
				return v[len(v)/2]
			}
			return (v[len(v)/2-1] + v[len(v)/2]) / 2
		}
		out = append(out, row{engine: r.engine, phase: r.phase, n: r.n,
			seconds: med(func(g row) float64 { return g.seconds }),
			rate:    med(func(g row) float64 { return g.rate }),
			alone:   med(func(g row) float64 { return g.alone }),
			peakMB:  med(func(g row) float64 { return g.peakMB }),
			baseMB:  med(func(g row) float64 { return g.baseMB }),
			repeats: int(med(func(g row) float64 { return float64(g.repeats) })),
		})
	}
	return out
}
