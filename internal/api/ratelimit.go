package api

import (
	"sync"
	"time"

	"crisisdesk/internal/clock"
)

// limiter counts requests per key in fixed windows, as sign-in throttling
// counts failures in its window: at most max requests a window, and the
// count starts again when the window has passed. It keeps its counts in
// memory, so each replica counts for itself.
type limiter struct {
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

func newLimiter(c clock.Clock, max int, per time.Duration) *limiter {
	return &limiter{clock: c, max: max, window: per, counts: map[string]*tally{}}
}

// allow counts a request for key and reports whether it may go on; when it
// may not, it says how long until the window ends.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	w := l.counts[key]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &tally{start: now}
		l.counts[key] = w
	}
	if w.n >= l.max {
		return false, w.start.Add(l.window).Sub(now)
	}
	w.n++
	return true, 0
}

// sweep forgets the windows that have passed, once a window, so that the
// map holds only the callers of the last minute or so.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.window {
		return
	}
	for k, w := range l.counts {
		if now.Sub(w.start) >= l.window {
			delete(l.counts, k)
		}
	}
	l.swept = now
}
