package public

import (
	"sync"
	"time"

	"crisisdesk/internal/clock"
)

// subLimiter counts requests per key in fixed windows: at most max a window
// (any number when max is negative), counted again from zero once the
// window has passed. Counts live in
// memory, so each replica counts for itself.
type subLimiter struct {
	clock  clock.Clock
	max    int
	window time.Duration

	mu     sync.Mutex
	counts map[string]*subTally
	swept  time.Time
}

type subTally struct {
	start time.Time
	n     int
}

func newSubLimiter(c clock.Clock, max int, window time.Duration) *subLimiter {
	return &subLimiter{clock: c, max: max, window: window, counts: map[string]*subTally{}}
}

// allow counts a request for key and reports whether it may go on; when
// it may not, it says how long until the window ends.
func (l *subLimiter) allow(key string) (bool, time.Duration) {
	if l.max < 0 {
		return true, 0
	}
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	t := l.counts[key]
	if t == nil || now.Sub(t.start) >= l.window {
		t = &subTally{start: now}
		l.counts[key] = t
	}
	if t.n >= l.max {
		return false, t.start.Add(l.window).Sub(now)
	}
	t.n++
	return true, 0
}

// sweep forgets the windows that have passed, once a window, so that the
// map holds only the clients of the last window or so.
func (l *subLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.window {
		return
	}
	for k, t := range l.counts {
		if now.Sub(t.start) >= l.window {
			delete(l.counts, k)
		}
	}
	l.swept = now
}
