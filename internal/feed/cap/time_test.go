package cap

import (
	"testing"
	"time"
)

func TestTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want "" means rejected
	}{
		{"2026-11-25T09:30:00+08:00", "2026-11-25T09:30:00+08:00"},
		{"2026-11-25T09:30:00-05:30", "2026-11-25T09:30:00-05:30"},
		{"2026-11-25T09:30:00-00:00", "2026-11-25T09:30:00-00:00"},
		{"2026-11-25T09:30:00+00:00", "2026-11-25T09:30:00-00:00"}, // R03: UTC is written -00:00
		{"2026-11-25T09:30:00+14:00", "2026-11-25T09:30:00+14:00"},
		{"2026-11-25T09:30:00Z", ""},
		{"2026-11-25T09:30:00.000+08:00", ""},
		{"2026-11-25T09:30:00", ""},
		{"2026-11-25T24:00:00+08:00", ""},
		{"2026-02-30T09:30:00+08:00", ""},
		{"2026-11-25 09:30:00+08:00", ""},
		{"2026-11-25T09:30:00+0800", ""},
		{"2026-11-25T09:30:00+14:01", ""},
		{" 2026-11-25T09:30:00+08:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTime(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted as %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := FormatTime(got); s != tt.want {
				t.Fatalf("FormatTime = %q, want %q", s, tt.want)
			}
		})
	}
}

func TestFormatTimeUTC(t *testing.T) {
	t.Parallel()
	got := FormatTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if got != "2026-01-02T03:04:05-00:00" {
		t.Fatalf("got %q", got)
	}
}
