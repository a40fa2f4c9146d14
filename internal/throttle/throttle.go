// Package throttle counts requests per key in fixed windows, for the public
// endpoints anyone may call (subscribing, confirming a code): at most Max a
// window, counted again from zero once the window has passed. Counts live
// in memory, so each replica counts for itself.
package throttle

import (
	"sync"
	"time"

	"crisisdesk/internal/clock"
)

// Window is a per-key fixed-window counter. It is safe for concurrent use.
type Window struct {
	clock  clock.Clock
	max    int
	window time.Duration

	mu     sync.Mutex
	counts map[string]*tally
	swept  time.Time
}

type tally struct {
	start time.Time
	n     int
}

// New allows max requests per key in each window; a negative max allows
// any number.
func New(c clock.Clock, max int, window time.Duration) *Window {
	if c == nil {
		c = clock.Real{}
	}
	return &Window{clock: c, max: max, window: window, counts: map[string]*tally{}}
}

// Allow counts a request for key and reports whether it may go on; when it
// may not, it says how long until the window ends.
func (w *Window) Allow(key string) (bool, time.Duration) {
	if w.max < 0 {
		return true, 0
	}
	now := w.clock.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sweep(now)
	t := w.counts[key]
	if t == nil || now.Sub(t.start) >= w.window {
		t = &tally{start: now}
		w.counts[key] = t
	}
	if t.n >= w.max {
		return false, t.start.Add(w.window).Sub(now)
	}
	t.n++
	return true, 0
}

// sweep forgets the windows that have passed, once a window, so that the
// map holds only the callers of the last window or so.
func (w *Window) sweep(now time.Time) {
	if now.Sub(w.swept) < w.window {
		return
	}
	for k, t := range w.counts {
		if now.Sub(t.start) >= w.window {
			delete(w.counts, k)
		}
	}
	w.swept = now
}
