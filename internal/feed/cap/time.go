package cap

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// timeRE is the only date-time form CAP 1.2 allows: seconds precision and a
// numeric offset. It is stricter than xs:dateTime (no Z, no fractions).
var timeRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$`)

// FormatTime writes t as CAP requires: YYYY-MM-DDThh:mm:ss±hh:mm. A zero
// offset is written -00:00, as the CAP 1.2 data dictionary requires for UTC
// (RULES.md R03).
func FormatTime(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05-07:00")
	if _, off := t.Zone(); off == 0 {
		s = s[:len(s)-6] + "-00:00"
	}
	return s
}

// ParseTime reads a CAP date-time. It rejects Z, fractional seconds, a
// missing offset and hour 24. Both -00:00 and +00:00 are read as UTC. The
// result carries a fixed zone with the written offset, so that FormatTime
// gives the same string back.
func ParseTime(s string) (time.Time, error) {
	m := timeRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("%q is not a CAP date-time YYYY-MM-DDThh:mm:ss±hh:mm", s)
	}
	oh, _ := strconv.Atoi(m[8])
	om, _ := strconv.Atoi(m[9])
	if om > 59 || oh*60+om > 14*60 {
		return time.Time{}, fmt.Errorf("%q has an offset beyond ±14:00", s)
	}
	off := (oh*60 + om) * 60
	if m[7] == "-" {
		off = -off
	}
	t, err := time.Parse("2006-01-02T15:04:05", s[:19])
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a valid date-time: %w", s, err)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, zone(off)), nil
}

// zone returns UTC for a zero offset and a fixed zone otherwise, so that two
// parses of the same string give deeply equal values.
func zone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

// checkTime reports why t cannot be written as a CAP date-time, or "".
func checkTime(t time.Time) string {
	if t.IsZero() {
		return "is required"
	}
	if y := t.Year(); y < 1 || y > 9999 {
		return "year out of range 0001..9999"
	}
	if t.Nanosecond() != 0 {
		return "has fractional seconds; CAP allows whole seconds only"
	}
	_, off := t.Zone()
	if off%60 != 0 {
		return "has an offset with seconds; CAP offsets are ±hh:mm"
	}
	if off > 14*3600 || off < -14*3600 {
		return "has an offset beyond ±14:00"
	}
	return ""
}
