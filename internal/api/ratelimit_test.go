package api

import (
	"testing"
	"time"

	"crisisdesk/internal/clock"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC))
	l := newLimiter(clk, 2, time.Minute)
	steps := []struct {
		advance time.Duration
		key     string
		want    bool
		wait    time.Duration // when refused
	}{
		{0, "a", true, 0},
		{10 * time.Second, "a", true, 0},
		{10 * time.Second, "a", false, 40 * time.Second},
		{0, "b", true, 0},
		{39 * time.Second, "a", false, time.Second},
		{time.Second, "a", true, 0}, // a new window for a
		{0, "a", true, 0},
		{0, "a", false, time.Minute},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		ok, wait := l.allow(s.key)
		if ok != s.want || (!ok && wait != s.wait) {
			t.Errorf("step %d (%s): allow = %v, wait %v; want %v, %v", i, s.key, ok, wait, s.want, s.wait)
		}
	}
	// Windows that have passed are forgotten, so the map stays small.
	clk.Advance(2 * time.Minute)
	l.allow("c")
	if len(l.counts) != 1 {
		t.Errorf("%d windows kept, want only c's", len(l.counts))
	}
}
