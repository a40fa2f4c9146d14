package clock

import (
	"context"
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

func TestSleep(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	f := NewFake(start)
	if err := Sleep(context.Background(), f, 4*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := f.Now().Sub(start); got != 4*time.Second {
		t.Fatalf("fake clock advanced %v, want 4s", got)
	}
	if s := f.Slept(); len(s) != 1 || s[0] != 4*time.Second {
		t.Fatalf("Slept = %v", s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, f, time.Second); err == nil {
		t.Fatal("a fake sleep with an ended context succeeded")
	}
	if err := Sleep(ctx, Real{}, time.Hour); err == nil {
		t.Fatal("a real sleep with an ended context succeeded")
	}
	if err := Sleep(context.Background(), Real{}, 0); err != nil {
		t.Fatalf("a real sleep of nothing: %v", err)
	}
}
