package drill

import "time"

// Figures are a drill's numbers for the KPIs: they come from the
// exercise and never count among a real crisis's figures.
type Figures struct {
	Problems     int           // areas for improvement found
	Actions      int           // improvement actions made of them
	ClosedOnTime int           // actions done by their due date and verified
	OnTimeShare  float64       // ClosedOnTime / Actions, 0 without actions
	ClocksMet    int           // the exercise crisis's clocks met in time
	Clocks       int           // its clocks, the report's own aside
	TimeToReport time.Duration // drill end to report approved; 0 before
	ReportOnTime bool          // approved within ReportWithin
}

// FiguresOf computes the figures of drill d from its report and actions.
func FiguresOf(d Drill, r Report, actions []Action) Figures {
	f := Figures{Problems: len(r.Improvements), Actions: len(actions), Clocks: len(r.Clocks)}
	for _, x := range actions {
		if x.Closed() && x.OnTime() {
			f.ClosedOnTime++
		}
	}
	if f.Actions > 0 {
		f.OnTimeShare = float64(f.ClosedOnTime) / float64(f.Actions)
	}
	for _, c := range r.Clocks {
		if c.State == "met" {
			f.ClocksMet++
		}
	}
	if !r.ApprovedAt.IsZero() && !d.EndedAt.IsZero() {
		f.TimeToReport = r.ApprovedAt.Sub(d.EndedAt)
		f.ReportOnTime = f.TimeToReport <= ReportWithin
	}
	return f
}
