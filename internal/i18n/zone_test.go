package i18n

import (
	"testing"
	"time"
)

func TestZoneLabel(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 4, 0, 0, time.UTC)
	for _, c := range []struct{ zone, want string }{
		{"UTC", "UTC"},
		{"Asia/Hong_Kong", "HKT"},
		{"America/Sao_Paulo", "UTC-03:00"}, // the database names it "-03"
		{"Asia/Kolkata", "IST"},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		if got := ZoneLabel(at.In(loc)); got != c.want {
			t.Errorf("%s: %q, want %q", c.zone, got, c.want)
		}
	}
	if got := ZoneLabel(at.In(time.FixedZone("", 5*3600+1800))); got != "UTC+05:30" {
		t.Errorf("a nameless zone: %q", got)
	}
}
