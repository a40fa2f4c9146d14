package fastpath

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHandedHeadKeepsItsTimeLimit: a request head the fast path hands to
// net/http part way has, in all, the server's ReadHeaderTimeout from the
// start net/http would have counted from (the accept for a connection's
// first request, else the arrival of the head's first four bytes), not
// that much again from
// the hand-over. The check has generous slack: without the limit carried
// over, each connection lives until well past 1.5 times the timeout.
func TestHandedHeadKeepsItsTimeLimit(t *testing.T) {
	t.Parallel()
	const limit = time.Second
	late := limit * 7 / 10 // when the head is handed over
	long := strings.Repeat("x", bufSize)
	tests := []struct {
		name   string
		before string // answered before the slow head begins; "" for none
		first  string // the head's first bytes
		rest   string // sent late; hands the head over, and does not end it
	}{
		{"first request, a bare LF", "", "GET /fall", "back HTTP/1.1\nHost: a\n"},
		{"first request, a long head", "", "GET /fast HTTP/1.1\r\nX-Long: ", long},
		{"first request, silent at first", "", "", "GET /fallback HTTP/1.1\nHost: a\n"},
		{"after an answer, a bare LF", get("GET", "/fast"), "GET ", "/fallback HTTP/1.1\nHost: a\n"},
		{"after an answer, a long head", get("GET", "/fast"), "GET /fast HTTP/1.1\r\nX-Long: ", long},
		{"pipelined after an answer", "", get("GET", "/fast") + "GET /fallback HTTP/1.1\r\n", "Host: a\nX: y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Timeouts{}, func(srv *http.Server) { srv.ReadHeaderTimeout = limit })
			c := h.dial()
			start := time.Now()
			if tt.before != "" {
				c.send(tt.before)
				resp, body := c.read("GET")
				wantFast(t, resp, body, http.StatusOK, "", true)
				time.Sleep(limit / 5) // idle, which does not count
				start = time.Now()
			}
			c.send(tt.first)
			if strings.Contains(tt.first, "\r\n\r\n") {
				resp, body := c.read("GET")
				wantFast(t, resp, body, http.StatusOK, "", true)
			}
			time.Sleep(late - time.Since(start))
			c.send(tt.rest)
			c.nc.SetReadDeadline(start.Add(3 * limit))
			c.closed()
			if took := time.Since(start); took >= limit*3/2 {
				t.Errorf("the connection was closed %v after the head began, want about %v (the server's ReadHeaderTimeout)",
					took.Round(time.Millisecond), limit)
			}
		})
	}
}

// TestHandedHeadInTime: a head handed over part way and finished within
// the limit is served, and the limit ends with the head: the connection
// then waits for its next request as long as net/http lets it, and the
// next head gets the whole limit again.
func TestHandedHeadInTime(t *testing.T) {
	t.Parallel()
	const limit = time.Second
	h := newHarness(t, Timeouts{}, func(srv *http.Server) { srv.ReadHeaderTimeout = limit })
	c := h.dial()
	c.send("GET /fallback?1 HTTP/1.1\nHost: a\n") // handed over at once
	time.Sleep(limit / 2)
	c.send("\n")
	resp, body := c.read("GET")
	wantFallback(t, resp, body, "GET", "/fallback?1", 0)

	time.Sleep(limit * 6 / 5) // longer than the head's limit: idle
	c.send("GET /fallback?2 HTTP/1.1\r\n")
	time.Sleep(limit / 2)
	c.send("Host: a\r\n\r\n")
	resp, body = c.read("GET")
	wantFallback(t, resp, body, "GET", "/fallback?2", 0)
	if resp.Close {
		t.Error("the connection is closing")
	}
}
