package kit

import (
	"encoding/json"
	"math"
	"strconv"
)

// Chart is a chart for the partial "chart": a figure holding the chart,
// drawn by ECharts (static/chart.js) where scripts run, and beside it a
// table of the same figures, which is what a reader without JavaScript or
// with a screen reader gets. Labels are data, never markup: the table
// escapes them and the chart receives them as JSON.
//
// Categories are the x axis (months, quarters, plans); each Series is a
// row of values, one per category. A "heatmap" reads each series as a
// row of the grid (a plan) and each category as a column (a clock kind).
type Chart struct {
	ID         string // unique on the page: the figure's id is "chart-"+ID
	Title      string // the caption, in the reader's words
	Kind       string // "bar", "line" or "heatmap"
	Categories []string
	Series     []Series
	Unit       string // after each value in the table ("min", "%"); may be empty
	// Mark draws a reference line at this value (the 30-minute line) when
	// MarkLabel is set.
	Mark      float64
	MarkLabel string
	// Empty is what the table says when there are no figures.
	Empty string
}

// Series is one named row of values.
type Series struct {
	Name   string
	Values []float64
	// Missing marks values that are not figures (no data): shown as "–"
	// in the table and left out of the chart. Same length as Values, or nil.
	Missing []bool
}

// chartData is what static/chart.js reads from the figure's JSON.
type chartData struct {
	Kind       string        `json:"kind"`
	Title      string        `json:"title"`
	Categories []string      `json:"categories"`
	Series     []chartSeries `json:"series"`
	Unit       string        `json:"unit,omitempty"`
	Mark       *chartMark    `json:"mark,omitempty"`
}

type chartSeries struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

type chartMark struct {
	Value float64 `json:"value"`
	Label string  `json:"label"`
}

// Data is the chart's figures as static/chart.js reads them.
func (c Chart) Data() chartData {
	d := chartData{Kind: c.Kind, Title: c.Title, Categories: c.Categories, Unit: c.Unit}
	if d.Categories == nil {
		d.Categories = []string{}
	}
	for _, s := range c.Series {
		cs := chartSeries{Name: s.Name, Values: make([]*float64, len(s.Values))}
		for i := range s.Values {
			if i < len(s.Missing) && s.Missing[i] {
				continue
			}
			v := s.Values[i]
			cs.Values[i] = &v
		}
		d.Series = append(d.Series, cs)
	}
	if d.Series == nil {
		d.Series = []chartSeries{}
	}
	if c.MarkLabel != "" {
		d.Mark = &chartMark{Value: c.Mark, Label: c.MarkLabel}
	}
	return d
}

// JSON is Data as JSON, for the drawing's data-chart attribute (escaped
// there like any attribute: no inline script, as the security policy asks).
func (c Chart) JSON() (string, error) {
	b, err := json.Marshal(c.Data())
	return string(b), err
}

// Rows are the table's rows: one per series, a cell per category, each
// value written as the table shows it.
func (c Chart) Rows() [][]string {
	rows := make([][]string, 0, len(c.Series))
	for _, s := range c.Series {
		row := make([]string, len(c.Categories))
		for i := range row {
			switch {
			case i >= len(s.Values) || (i < len(s.Missing) && s.Missing[i]):
				row[i] = "–"
			default:
				row[i] = FormatFigure(s.Values[i]) + c.Unit
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// IsEmpty reports whether the chart has no figures to show.
func (c Chart) IsEmpty() bool {
	for _, s := range c.Series {
		for i := range s.Values {
			if i >= len(s.Missing) || !s.Missing[i] {
				return false
			}
		}
	}
	return true
}

// FormatFigure writes a figure for a table: whole numbers without a
// decimal point, others with at most one decimal.
func FormatFigure(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
