package throttle

import (
	"testing"
	"time"

	"crisisdesk/internal/clock"
)

func TestWindow(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	w := New(clk, 2, time.Minute)
	for i := range 2 {
		if ok, _ := w.Allow("a"); !ok {
			t.Fatalf("request %d refused", i+1)
		}
	}
	clk.Advance(20 * time.Second)
	ok, wait := w.Allow("a")
	if ok || wait != 40*time.Second {
		t.Fatalf("third request: %v, wait %s", ok, wait)
	}
	if ok, _ := w.Allow("b"); !ok {
		t.Fatal("another key was refused")
	}
	clk.Advance(41 * time.Second)
	if ok, _ := w.Allow("a"); !ok {
		t.Fatal("refused in a new window")
	}
	clk.Advance(2 * time.Minute)
	w.Allow("c")
	if len(w.counts) != 1 {
		t.Fatalf("%d windows kept, want the sweep to leave only the new one", len(w.counts))
	}
	open := New(clk, -1, time.Minute)
	for range 100 {
		if ok, _ := open.Allow("a"); !ok {
			t.Fatal("an unlimited window refused")
		}
	}
}
