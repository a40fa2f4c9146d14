package kpi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/fault"
)

// PeriodKind is the length of a period.
type PeriodKind string

// The periods of the dashboard.
const (
	Quarter PeriodKind = "quarter"
	Month   PeriodKind = "month"
	Year    PeriodKind = "year"
)

// Period is a calendar quarter, month or year in UTC.
type Period struct {
	Kind  PeriodKind
	Start time.Time
}

// ParsePeriod reads "2026-Q3", "2026-07" or "2026".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := fault.Field("period", "write a quarter (2026-Q3), a month (2026-07) or a year (2026)")
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 || year < 1970 || year > 9999 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		return Period{Year, time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)}, nil
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4':
		return Period{Quarter, time.Date(year, time.Month(3*int(rest[1]-'1')+1), 1, 0, 0, 0, 0, time.UTC)}, nil
	}
	m, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || m < 1 || m > 12 {
		return Period{}, bad
	}
	return Period{Month, time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)}, nil
}

// QuarterOf is the quarter holding t.
func QuarterOf(t time.Time) Period {
	t = t.UTC()
	return Period{Quarter, time.Date(t.Year(), time.Month(3*((int(t.Month())-1)/3)+1), 1, 0, 0, 0, 0, time.UTC)}
}

// End is the first instant after the period.
func (p Period) End() time.Time { return p.Shift(1).Start }

// Shift is the period n periods later (earlier when n < 0).
func (p Period) Shift(n int) Period {
	switch p.Kind {
	case Month:
		return Period{p.Kind, p.Start.AddDate(0, n, 0)}
	case Year:
		return Period{p.Kind, p.Start.AddDate(n, 0, 0)}
	}
	return Period{p.Kind, p.Start.AddDate(0, 3*n, 0)}
}

// String writes the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return p.Start.Format("2006-01")
	case Year:
		return p.Start.Format("2006")
	}
	return fmt.Sprintf("%d-Q%d", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
}

// Scope is the period as a scope of every type and level.
func (p Period) Scope() Scope { return Scope{From: p.Start, To: p.End()} }
