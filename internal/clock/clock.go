// Package clock gives every deadline in crisisdesk one source of time, so that
// tests can freeze and advance it instead of sleeping.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock, in UTC and truncated to microseconds, the precision
// both storage engines keep.
type Real struct{}

// Now returns the current time.
func (Real) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Sleep waits d on c, or until ctx ends. A clock that can wait for
// itself (Fake) does; any other waits on a real timer.
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	if s, ok := c.(interface {
		Sleep(context.Context, time.Duration) error
	}); ok {
		return s.Sleep(ctx, d)
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fake is a clock that moves only when told to. The zero value starts at the
// Unix epoch; use NewFake for a chosen instant.
type Fake struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

// NewFake returns a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: t.UTC().Truncate(time.Microsecond)} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = t.UTC().Truncate(time.Microsecond)
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Sleep moves the clock forward by d at once and records the wait, so
// that code which waits can be tested without waiting.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	if d > 0 {
		f.now = f.now.Add(d)
		f.slept = append(f.slept, d)
	}
	f.mu.Unlock()
	return nil
}

// Slept returns the waits Sleep was asked for, oldest first.
func (f *Fake) Slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}
