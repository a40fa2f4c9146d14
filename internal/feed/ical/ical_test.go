package ical_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"crisisdesk/internal/feed/ical"
)

var update = flag.Bool("update", false, "rewrite the golden file")

func TestWriteParsesAndMatchesGolden(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 14, 1, 0, 0, 0, time.UTC)
	long := strings.Repeat("颱風演練，", 30)
	c := ical.Calendar{Name: "Drills, office", Events: []ical.Event{
		{UID: "drill-1@crisisdesk", Start: at, End: at.Add(3 * time.Hour), Summary: "EXERCISE: Typhoon; functional",
			Description: "Line one\nLine two, with a comma\\" + long, Location: "Operations room", URL: "https://crisis.example/desk/drills/1", Updated: at},
		{UID: "drill-1-report@crisisdesk", Start: at.Add(7 * 24 * time.Hour), Summary: "Report due", Updated: at},
	}}
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
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	sum, _ := events[0].Props.Text(goical.PropSummary)
	desc, _ := events[0].Props.Text(goical.PropDescription)
	start, err := events[0].DateTimeStart(time.UTC)
	if err != nil || sum != "EXERCISE: Typhoon; functional" || desc != "Line one\nLine two, with a comma\\"+long || !start.Equal(at) {
		t.Fatalf("read back %q %q %v %v", sum, desc, start, err)
	}
	golden := "testdata/drills.ics"
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
