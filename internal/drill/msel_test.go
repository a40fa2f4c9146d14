package drill_test

import (
	"testing"
	"time"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

func TestParseOffset(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"10m", 10 * time.Minute, true}, {"1h30m", 90 * time.Minute, true}, {"00:10", 10 * time.Minute, true},
		{"T+01:05", 65 * time.Minute, true}, {"0", 0, true}, {"soon", 0, false}, {"01:75", 0, false}, {"-5m", 0, false},
	}
	for _, c := range cases {
		got, err := drill.ParseOffset(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseOffset(%q) = %v, %v", c.in, got, err)
		}
	}
}

func TestParseMSEL(t *testing.T) {
	t.Parallel()
	hk := time.FixedZone("HKT", 8*3600)
	rows := [][]string{
		{"Seq", "Offset", "Time", "From", "To", "Channel", "Message", "Expected", "State"},
		{"1", "00:10", "", "Caller", "liaison", "app", "Water on the quay", "Warn", "pending"},
		{"", "", "2026-12-14 09:30", "Radio", "commander", "email", "Interview request", "", ""},
		{"", "", "", "", "", "", "", "", ""},
		{"", "later", "", "TV", "commander", "app", "Crew at the gate", "", ""},
	}
	got, err := drill.ParseMSEL(rows, hk)
	var bad bool
	for _, f := range fault.FieldsOf(err) {
		bad = bad || f.Field == "injects[2].offset"
	}
	if !bad || len(got) != 3 {
		t.Fatalf("want injects[2].offset refused, got %v (%d rows)", err, len(got))
	}
	if !got[0].Relative || got[0].Offset != 10*time.Minute || got[0].To != "liaison" ||
		got[1].Relative || !got[1].At.Equal(time.Date(2026, 12, 14, 1, 30, 0, 0, time.UTC)) || got[1].Channel != "email" {
		t.Fatalf("parsed %+v", got[:2])
	}
	if _, err := drill.ParseMSEL([][]string{{"when", "what"}}, hk); !fault.Is(err, fault.Invalid) {
		t.Fatalf("no message column: %v", err)
	}
	back := drill.MSELRow(drill.Inject{Seq: 1, Relative: true, Offset: 10 * time.Minute, From: "Caller", To: "liaison",
		Channel: "app", Message: "m", State: drill.InjectPending})
	if back[1] != "10m" || back[2] != "" || back[8] != "pending" {
		t.Fatalf("row %v", back)
	}
}
