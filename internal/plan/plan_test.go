package plan

import (
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func TestDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"30m", 30 * time.Minute, "30m"},
		{"4h", 4 * time.Hour, "4h"},
		{"1h30m", 90 * time.Minute, "90m"},
		{"2d", 48 * time.Hour, "2d"},
		{"1w", 7 * 24 * time.Hour, "1w"},
		{"10m", 10 * time.Minute, "10m"},
		{"45s", 45 * time.Second, "45s"},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		if err != nil || time.Duration(d) != tt.want || d.String() != tt.out {
			t.Errorf("ParseDuration(%q) = %v (%s), %v", tt.in, time.Duration(d), d, err)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Errorf("round trip of %q: %v %v", tt.in, back, err)
		}
	}
	for _, bad := range []string{"", "soon", "-5m", "0", "3x", "d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	if bad := UnknownPlaceholders("At {{location}} on {{ occurred_at }} {{colour}}"); len(bad) != 1 || bad[0] != "colour" {
		t.Fatalf("unknown: %v", bad)
	}
	got := Fill("Typhoon at {{location}}, {{area}}", map[string]string{"location": "Harbour"})
	if got != "Typhoon at Harbour, …" {
		t.Fatalf("Fill = %q", got)
	}
}

func TestThreeDistinctSignatures(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	author := authz.Actor{UserID: 1, Name: "ed", Role: authz.Editor}
	reviewer := authz.Actor{UserID: 2, Name: "rv", Role: authz.Reviewer}
	approver := authz.Actor{UserID: 3, Name: "ap", Role: authz.Approver}
	commanderAuthor := authz.Actor{UserID: 1, Name: "ed", Role: authz.Commander}
	p := Plan{Status: Draft, AuthorID: 1, Title: "T", Body: Body{}}
	p, err := Submit(p, author, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Review(p, authz.Actor{UserID: 1, Role: authz.Reviewer}, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author reviewing: %v", err)
	}
	if p, err = Review(p, reviewer, now, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := Approve(p, commanderAuthor, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author approving as commander: %v", err)
	}
	if _, err := Approve(p, authz.Actor{UserID: 2, Role: authz.Approver}, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("reviewer approving: %v", err)
	}
	if p, err = Approve(p, approver, now, ""); err != nil || p.Status != Approved || !p.ReviewDue.Equal(now.AddDate(1, 0, 0)) {
		t.Fatalf("approve: %v %+v", err, p)
	}
	if _, err := Approve(p, approver, now, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("approving twice: %v", err)
	}
}
