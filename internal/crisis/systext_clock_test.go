package crisis

import (
	"slices"
	"testing"
)

// Every clock a crisis can hold is named by a message key, never by its
// code name alone, apart from a clock nobody knows.
func TestClockArgsNameTheClock(t *testing.T) {
	for _, tc := range []struct {
		name, subject string
		want          []string
	}{
		{"activation", "", []string{"ClockKey", "systext.clock.activation"}},
		{"first_notice", "", []string{"ClockKey", "systext.clock.first_notice"}},
		{"drill_report", "", []string{"ClockKey", "systext.clock.drill_report"}},
		{"task:3", "Open the shelters", []string{"ClockKey", "systext.clock.task", "Subject", "Open the shelters"}},
		{"cadence:c1#2", "", []string{"ClockKey", "systext.clock.cadence", "Cadence", "c1"}},
		{"mystery", "", []string{"ClockKey", "systext.clock.other", "Name", "mystery"}},
	} {
		if got := ClockArgs(tc.name, tc.subject); !slices.Equal(got, tc.want) {
			t.Errorf("ClockArgs(%q, %q) = %q, want %q", tc.name, tc.subject, got, tc.want)
		}
	}
}
