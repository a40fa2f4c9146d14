package drill

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

// MSELColumns are the columns of the inject list (the master scenario
// events list) as it is exported, and as an import may name them, in any
// order and case. A row gives "offset" (after the start: 10m, 1h30m,
// 00:10 or T+00:10) or "time" (in the office's time zone: 2026-12-14
// 09:10).
var MSELColumns = []string{"seq", "offset", "time", "from", "to", "channel", "message", "expected", "state"}

// ParseOffset reads an offset after the drill's start: a duration such
// as 10m, 1h30m or 0, or a clock offset such as 00:10 or T+00:10.
func ParseOffset(s string) (time.Duration, error) {
	s = strings.TrimPrefix(strings.TrimSpace(strings.ToUpper(s)), "T+")
	if s == "0" || s == "00:00" {
		return 0, nil
	}
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 {
			return 0, fmt.Errorf("%q is not an offset such as 00:10", s)
		}
		return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
	}
	d, err := plan.ParseDuration(strings.ToLower(s))
	return time.Duration(d), err
}

// FormatOffset writes an offset as the list shows it: 1h30m, 10m, 0.
func FormatOffset(d time.Duration) string { return plan.Duration(d).String() }

// MSELRow is inject i as a row of MSELColumns; times are UTC (RFC 3339),
// as every export keeps them.
func MSELRow(i Inject) []string {
	offset, at := "", ""
	if i.Relative {
		offset = FormatOffset(i.Offset)
	} else {
		at = i.At.UTC().Format(time.RFC3339)
	}
	return []string{strconv.Itoa(i.Seq), offset, at, i.From, i.To, i.Channel, i.Message, i.Expected, string(i.State)}
}

// ParseMSEL reads an inject list from rows whose first names the columns
// (MSELColumns; seq and state are ignored). Times without a zone are read
// in loc. A cell that cannot be read is refused as injects[N].field, N
// counting the data rows from 0.
func ParseMSEL(rows [][]string, loc *time.Location) ([]Inject, error) {
	if len(rows) == 0 {
		return nil, fault.Field("file", "the file is empty: its first row names the columns, e.g. %s", strings.Join(MSELColumns[1:8], ","))
	}
	col := map[string]int{}
	for n, h := range rows[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = n
	}
	if _, ok := col["message"]; !ok {
		return nil, fault.Field("file", "the first row must name the columns, with at least offset or time, from, to and message")
	}
	cell := func(row []string, name string) string {
		if n, ok := col[name]; ok && n < len(row) {
			return strings.TrimSpace(row[n])
		}
		return ""
	}
	var out []Inject
	var bad fault.Fields
	for n, row := range rows[1:] {
		if !slices.ContainsFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			continue
		}
		i := Inject{From: cell(row, "from"), To: cell(row, "to"), Channel: cell(row, "channel"),
			Message: cell(row, "message"), Expected: cell(row, "expected")}
		where := fmt.Sprintf("injects[%d].", len(out))
		if s := cell(row, "offset"); s != "" {
			d, err := ParseOffset(s)
			if err != nil {
				bad.Add(where+"offset", "row %d: %v", n+2, err)
			}
			i.Relative, i.Offset = true, d
		} else if s := cell(row, "time"); s != "" {
			t, err := parseTime(s, loc)
			if err != nil {
				bad.Add(where+"at", "row %d: %q is not a time such as 2026-12-14 09:10", n+2, s)
			}
			i.At = t
		}
		out = append(out, i)
	}
	return out, bad.Err()
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	var err error
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006/01/02 15:04"} {
		var t time.Time
		if t, err = time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// OffsetText is the inject's offset as the list shows it, "" for an
// inject at an absolute time.
func (i Inject) OffsetText() string {
	if !i.Relative {
		return ""
	}
	return FormatOffset(i.Offset)
}
