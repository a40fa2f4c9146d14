package channel

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps a receiver's Retry-After, so that a wild value cannot
// park a delivery for weeks.
const MaxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After value, delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3), as a delay from now, capped at MaxRetryAfter. A
// missing, malformed, zero or past value reports false.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs >= int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	} else {
		return 0, false
	}
	if d <= 0 {
		return 0, false
	}
	return min(d, MaxRetryAfter), true
}
