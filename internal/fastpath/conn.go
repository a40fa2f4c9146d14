package fastpath

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"
)

// bufSize is the read buffer of a connection, and so the longest request
// head the fast path reads; a longer one goes to net/http, which allows
// heads up to the server's MaxHeaderBytes.
const bufSize = 4096

// conn is one connection on the fast path.
type conn struct {
	f    *Front
	nc   net.Conn
	buf  []byte
	r, w int // buf[r:w] is read and not yet answered
	// The clocks, as net/http keeps them. accepted is when the connection
	// came; until its first answer, the whole first head must arrive
	// within ReadHeader of it, so a silent connection is not kept for the
	// Idle timeout. After an answer (at idle), the connection waits for
	// the next head's first four bytes (peekLen) for Idle, and then has
	// ReadHeader from that moment (started) for the rest of it.
	accepted time.Time
	idle     time.Time
	started  time.Time
	answered bool
	req      Request
	resp     Response
	head     []byte // the response head being written
	vec      [2][]byte
	bufs     net.Buffers
}

// headCap is the room a response head starts with.
const headCap = 1024

func newConn(f *Front, nc net.Conn) *conn {
	// A page's head, with its Content-Security-Policy, runs past 512
	// bytes: 1 KB holds it without growing on the first response.
	return &conn{f: f, nc: nc, accepted: time.Now(), buf: make([]byte, bufSize), head: make([]byte, 0, headCap),
		resp: Response{Header: make([]byte, 0, headCap)}}
}

// step is what serve does next after reading.
type step int

const (
	stepParse   step = iota // more bytes arrived
	stepHandoff             // give the connection to net/http
	stepClose               // the client left, timed out, or the server is closing
)

// serve answers requests until the connection closes or is handed over.
func (c *conn) serve() {
	handed := false
	defer func() {
		if p := recover(); p != nil {
			c.f.opts.Logger.Error("fastpath: panic", "remote", c.nc.RemoteAddr().String(), "panic", p,
				"stack", string(debug.Stack()))
		}
		if !handed {
			c.nc.Close()
		}
		c.f.untrack(c)
	}()
	for {
		n := headEnd(c.buf[c.r:c.w])
		if n < 0 && c.answered && c.w-c.r < peekLen {
			n = 0 // no head yet, as net/http sees it (see fill)
		}
		if n == 0 {
			switch c.fill() {
			case stepParse:
				continue
			case stepHandoff:
				handed = c.handoff()
			}
			return
		}
		if n < 0 {
			handed = c.handoff()
			return
		}
		closeAfter, ok := parse(c.buf[c.r:c.r+n], &c.req)
		if !ok {
			handed = c.handoff()
			return
		}
		start := time.Now()
		c.resp = Response{Header: c.resp.Header[:0]}
		if !c.f.opts.Respond(&c.req, &c.resp) {
			handed = c.handoff()
			return
		}
		closeAfter = closeAfter || c.f.closing.Load()
		// Observed before the write, so that a client holding the
		// response knows it was counted.
		if obs := c.f.opts.Observe; obs != nil {
			method := http.MethodGet
			if c.req.Head {
				method = http.MethodHead
			}
			obs(c.resp.Route, method, c.resp.Status, time.Since(start))
		}
		if err := c.write(start, closeAfter); err != nil {
			return
		}
		c.r += n
		c.idle, c.started, c.answered = time.Now(), time.Time{}, true
		if c.r == c.w {
			c.r, c.w = 0, 0
		}
		if closeAfter {
			return
		}
	}
}

// peekLen is how many bytes of a connection's next request net/http
// waits for, under IdleTimeout, before it reads the request and times
// its head; with fewer at the end of the connection, it closes it
// without an answer.
const peekLen = 4

// fill reads more of a request head into the buffer.
func (c *conn) fill() step {
	if c.r > 0 { // make room at the end
		copy(c.buf, c.buf[c.r:c.w])
		c.w -= c.r
		c.r = 0
	}
	if c.w == len(c.buf) {
		return stepHandoff // a long head: net/http allows more
	}
	switch {
	case !c.answered: // the first request
		c.nc.SetReadDeadline(c.accepted.Add(c.f.opts.Timeouts.ReadHeader))
		if c.w == 0 && c.f.closing.Load() {
			return stepClose
		}
	case c.w < peekLen: // idle
		c.nc.SetReadDeadline(c.idle.Add(c.f.opts.Timeouts.Idle))
		// After the deadline is set, so that Shutdown's wake-up is not
		// overwritten unseen.
		if c.f.closing.Load() {
			return stepClose
		}
	default:
		if c.started.IsZero() { // came with the request before
			c.started = time.Now()
		}
		c.nc.SetReadDeadline(c.started.Add(c.f.opts.Timeouts.ReadHeader))
	}
	n, err := c.nc.Read(c.buf[c.w:])
	if n > 0 {
		if c.answered && c.w < peekLen && c.w+n >= peekLen {
			c.started = time.Now()
		}
		c.w += n
		return stepParse
	}
	if err == io.EOF && c.w > 0 && (!c.answered || c.w >= peekLen) {
		// The client ended the connection in the middle of a head, which
		// net/http answers with 400 Bad Request.
		return stepHandoff
	}
	// The client left, a timeout passed, or Shutdown woke a connection
	// in the middle of a head (which net/http closes too).
	return stepClose
}

// write sends the response in c.resp: its head and body in one writev.
func (c *conn) write(now time.Time, closeAfter bool) error {
	h := c.head[:0]
	switch c.resp.Status {
	case http.StatusOK:
		h = append(h, "HTTP/1.1 200 OK\r\n"...)
	case http.StatusNotModified:
		h = append(h, "HTTP/1.1 304 Not Modified\r\n"...)
	default:
		h = append(h, "HTTP/1.1 "...)
		h = strconv.AppendInt(h, int64(c.resp.Status), 10)
		h = append(h, ' ')
		h = append(h, http.StatusText(c.resp.Status)...)
		h = append(h, "\r\n"...)
	}
	// In net/http's order: the Responder's lines (sorted by name, as
	// net/http writes a header map), then Date, then Connection.
	h = append(h, c.resp.Header...)
	h = append(h, c.f.dates.line(now)...)
	if closeAfter {
		h = append(h, "Connection: close\r\n"...)
	}
	h = append(h, "\r\n"...)
	c.head = h

	c.nc.SetWriteDeadline(now.Add(c.f.opts.Timeouts.Write))
	body := c.resp.Body
	if c.req.Head || c.resp.Status == http.StatusNotModified {
		body = nil
	}
	if len(body) == 0 {
		_, err := c.nc.Write(h)
		return err
	}
	c.vec = [2][]byte{h, body}
	c.bufs = c.vec[:]
	_, err := c.bufs.WriteTo(c.nc)
	return err
}

// handoff gives the connection to net/http, with what was read and not
// answered; false when the server no longer takes connections.
//
// There is always a head in progress, which net/http reads on as its
// first request, and times again from the start: the head keeps the
// deadline it had here instead (see handedConn), so that a slow head gets
// in all the ReadHeader that net/http alone would give it.
func (c *conn) handoff() bool {
	hc := newHandedConn(c.nc, bytes.Clone(c.buf[c.r:c.w]), c.headDeadline())
	c.nc.SetWriteDeadline(time.Time{})
	c.nc.SetReadDeadline(hc.headBy)
	return c.f.fallback.put(hc)
}

// headDeadline is when the head in buf[r:w] must be complete: ReadHeader
// after the moment net/http would time it from, the accept for the
// connection's first request, else the arrival of its first four bytes.
func (c *conn) headDeadline() time.Time {
	start := c.started
	switch {
	case !c.answered:
		start = c.accepted
	case start.IsZero(): // all of it came with the request before
		start = time.Now()
	}
	return start.Add(c.f.opts.Timeouts.ReadHeader)
}
