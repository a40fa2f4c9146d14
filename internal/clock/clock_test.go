package clock

import (
	"sync"
	"testing"
	"time"
)

func TestFakeIsSafeAndExact(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 8, 0, 0, 123456789, time.FixedZone("HKT", 8*3600))
	f := NewFake(start)
	if got := f.Now(); !got.Equal(start.Truncate(time.Microsecond)) || got.Location() != time.UTC {
		t.Fatalf("Now = %v", got)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { f.Advance(time.Minute); _ = f.Now() })
	}
	wg.Wait()
	if got := f.Now().Sub(start.Truncate(time.Microsecond)); got != 10*time.Minute {
		t.Fatalf("advanced %v, want 10m", got)
	}
	if r := (Real{}).Now(); r.Location() != time.UTC || r.Nanosecond()%1000 != 0 {
		t.Fatalf("Real.Now = %v", r)
	}
}
