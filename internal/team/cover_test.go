package team

import (
	"testing"
	"time"

	"crisisdesk/internal/resource"
)

func TestRotaGaps(t *testing.T) {
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return day.Add(time.Duration(n) * time.Hour) }
	shift := func(role string, a, b int) Shift { return Shift{RoleKey: role, StartsAt: h(a), EndsAt: h(b)} }
	for _, tc := range []struct {
		name   string
		shifts []Shift
		want   []resource.Gap
	}{
		{"nobody", nil, []resource.Gap{{Role: "spokesperson", From: h(0), To: h(24)}}},
		{"day and night", []Shift{shift("spokesperson", 8, 20), shift("spokesperson", -4, 8), shift("spokesperson", 20, 32)}, nil},
		{"a hole at lunch, overlaps merged", []Shift{shift("spokesperson", 0, 12), shift("spokesperson", 2, 11), shift("spokesperson", 13, 24)},
			[]resource.Gap{{Role: "spokesperson", From: h(12), To: h(13)}}},
		{"another role's shift covers nothing", []Shift{shift("hotline", 0, 24), shift("spokesperson", 0, 18)},
			[]resource.Gap{{Role: "spokesperson", From: h(18), To: h(24)}}},
	} {
		got := gaps("spokesperson", tc.shifts, h(0), h(24))
		if len(got) != len(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i].Role != tc.want[i].Role || !got[i].From.Equal(tc.want[i].From) || !got[i].To.Equal(tc.want[i].To) {
				t.Errorf("%s: gap %d %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
}
