package ical_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"crisisdesk/internal/feed/ical"
)

// TestInvitationWithRRule writes a weekly meeting's invitation: METHOD
// REQUEST, a local start in the office's zone with its VTIMEZONE, an
// RRULE, an organiser and attendees.
func TestInvitationWithRRule(t *testing.T) {
	t.Parallel()
	hk := time.FixedZone("Asia/Hong_Kong", 8*3600)
	at := time.Date(2026, 12, 15, 2, 0, 0, 0, time.UTC) // Tuesday 10:00 in the office's zone
	c := ical.Calendar{Method: "REQUEST", Zone: hk, Events: []ical.Event{{
		UID: "meeting-series-1@crisisdesk", Start: at, End: at.Add(time.Hour), Updated: at.Add(-72 * time.Hour),
		Summary: "每週項目會議, weekly programme meeting", Location: "Room 5; 3/F", URL: "https://crisis.example/desk/meetings/1",
		RRule: "FREQ=WEEKLY;BYDAY=TU", TZID: "Asia/Hong_Kong",
		Organizer: &ical.Person{Name: "陳大文", Email: "chan@example.org"},
		Attendees: []ical.Person{{Name: `Lee "Siu" Ming`, Email: "lee@example.org"}, {Name: "Wong", Email: "wong@example.org"}},
	}}}
	var buf bytes.Buffer
	if err := ical.Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i+1, len(l))
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(buf.Bytes())).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read it: %v\n%s", err, buf.String())
	}
	if m, _ := cal.Props.Text(goical.PropMethod); m != "REQUEST" {
		t.Errorf("method %q", m)
	}
	ev := cal.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	start, err := ev[0].DateTimeStart(time.UTC)
	if err != nil || !start.Equal(at) {
		t.Errorf("start %v %v, want %v", start, err, at)
	}
	set, err := ev[0].RecurrenceSet(time.UTC)
	if err != nil || set == nil {
		t.Fatalf("recurrence %v %v", set, err)
	}
	next := set.After(at, false)
	if want := at.Add(7 * 24 * time.Hour); !next.Equal(want) {
		t.Errorf("the next meeting is %v, want %v", next, want)
	}
	if n := len(ev[0].Props.Values(goical.PropAttendee)); n != 2 {
		t.Errorf("%d attendees", n)
	}
	golden := "testdata/meeting.ics"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("output differs from %s (go test -update):\n%s", golden, buf.String())
	}
}
