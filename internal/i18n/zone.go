package i18n

import "time"

// ZoneLabel names t's time zone for a reader: its abbreviation ("HKT",
// "UTC"), or "UTC+08:00" where the zone has only a numeric one (Go prints
// "+08" for many zones), so that a time shown is never ambiguous.
func ZoneLabel(t time.Time) string {
	name, offset := t.Zone()
	if name != "" && name[0] != '+' && name[0] != '-' {
		return name
	}
	if offset == 0 {
		return "UTC"
	}
	return "UTC" + t.Format("-07:00")
}
