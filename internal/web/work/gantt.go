package work

import (
	"time"

	"crisisdesk/internal/workplan"
)

// The Gantt chart's geometry, in SVG user units.
const (
	labelWidth = 280
	chartWidth = 760
	rowHeight  = 26
	headHeight = 34
	barHeight  = 16
)

// Gantt is the timeline of a programme laid out for the SVG template.
type Gantt struct {
	Width, Height int
	ChartX        int // where the time axis starts
	Ticks         []Tick
	Bars          []Bar
	// TodayX is where today's line stands; ShowToday is false when today
	// is outside the programme's span.
	TodayX    float64
	ShowToday bool
	Today     time.Time
}

// Tick is a month boundary on the axis.
type Tick struct {
	X     float64
	Label string // "2027-03"
}

// Bar is one task's row.
type Bar struct {
	Row       TaskRow
	Y         int // the row's top
	X, W      float64
	DoneW     float64 // the part done, by the percentage
	LabelX    int
	Sub       bool
	Overdue   bool
	Done      bool
	TextY     int
	BarY      int
	DependsOn []int64
}

// NewGantt lays out rows on the programme's span; now draws today's line.
func NewGantt(rows []TaskRow, now time.Time) Gantt {
	g := Gantt{Width: labelWidth + chartWidth + 10, ChartX: labelWidth, Today: workplan.Day(now)}
	g.Height = headHeight + rowHeight*len(rows) + 10
	if len(rows) == 0 {
		return g
	}
	tasks := make([]workplan.Task, len(rows))
	for i, r := range rows {
		tasks[i] = r.Task
	}
	first, last := workplan.Span(tasks)
	last = last.AddDate(0, 0, 1) // the end of the last day
	days := last.Sub(first).Hours() / 24
	if days < 1 {
		days = 1
	}
	x := func(t time.Time) float64 { return float64(labelWidth) + t.Sub(first).Hours()/24/days*chartWidth }
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		if m.Before(first) {
			continue
		}
		g.Ticks = append(g.Ticks, Tick{X: x(m), Label: m.Format("2006-01")})
	}
	if !g.Today.Before(first) && g.Today.Before(last) {
		g.ShowToday, g.TodayX = true, x(g.Today)
	}
	for i, r := range rows {
		y := headHeight + i*rowHeight
		b := Bar{Row: r, Y: y, X: x(r.Start), Sub: r.ParentID != 0, Overdue: r.Overdue, Done: r.Status == workplan.Done,
			TextY: y + rowHeight/2 + 5, BarY: y + (rowHeight-barHeight)/2, LabelX: 8, DependsOn: r.DependsOn}
		b.W = x(r.End.AddDate(0, 0, 1)) - b.X
		b.DoneW = b.W * float64(r.Percent) / 100
		if b.Sub {
			b.LabelX = 24
		}
		g.Bars = append(g.Bars, b)
	}
	return g
}
