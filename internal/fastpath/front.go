package fastpath

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Front accepts connections for an http.Server: it answers what it can
// from memory and hands the rest to the server.
type Front struct {
	opts     Options
	srv      *http.Server
	fallback *handoffListener
	dates    dateCache

	mu      sync.Mutex
	ln      net.Listener
	conns   map[*conn]struct{}
	closing atomic.Bool
	wg      sync.WaitGroup
}

// New returns a Front for srv. srv's handler serves everything the fast
// path hands over; the fast path keeps srv's timeouts unless o sets them.
// Like net/http, it takes ReadTimeout for ReadHeaderTimeout when only the
// former is set; with neither, a head has 10 s.
func New(srv *http.Server, o Options) *Front {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	t := &o.Timeouts
	if t.ReadHeader <= 0 {
		t.ReadHeader = orDefault(srv.ReadHeaderTimeout, orDefault(srv.ReadTimeout, 10*time.Second))
	}
	if t.Write <= 0 {
		t.Write = orDefault(srv.WriteTimeout, time.Minute)
	}
	if t.Idle <= 0 {
		t.Idle = orDefault(srv.IdleTimeout, 2*time.Minute)
	}
	return &Front{opts: o, srv: srv, conns: map[*conn]struct{}{}}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Serve accepts connections on ln until Shutdown, and runs srv on the
// connections it hands over. It returns nil after Shutdown.
func (f *Front) Serve(ln net.Listener) error {
	f.mu.Lock()
	if f.closing.Load() {
		f.mu.Unlock()
		ln.Close()
		return nil
	}
	f.ln = ln
	f.fallback = newHandoffListener(ln.Addr())
	f.mu.Unlock()

	served := make(chan error, 1)
	go func() {
		err := f.srv.Serve(f.fallback)
		// However srv stopped (even before it began to accept), it takes
		// no more connections: a hand-over must not wait for it.
		f.fallback.Close()
		served <- err
	}()
	err := f.accept(ln)
	if err != nil {
		f.fallback.Close()
	}
	// Shutdown closes the hand-over listener first, so srv may report
	// that rather than ErrServerClosed.
	serr := <-served
	if err == nil && !errors.Is(serr, http.ErrServerClosed) && !(f.closing.Load() && errors.Is(serr, net.ErrClosed)) {
		err = serr
	}
	return err
}

// accept is the accept loop. Like net/http's, it sleeps and tries again
// after a temporary error, such as running out of file descriptors.
func (f *Front) accept(ln net.Listener) error {
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if f.closing.Load() {
				return nil
			}
			if !errors.Is(err, net.ErrClosed) && isTemporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				f.opts.Logger.Warn("fastpath: accept", "err", err, "retry_in", delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		c := newConn(f, nc)
		if !f.track(c) {
			nc.Close()
			continue
		}
		go c.serve()
	}
}

// isTemporary reports errors net/http also retries after.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

func (f *Front) track(c *conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closing.Load() {
		return false
	}
	f.conns[c] = struct{}{}
	f.wg.Add(1)
	return true
}

func (f *Front) untrack(c *conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
	f.wg.Done()
}

// Shutdown stops accepting, closes the fast path's connections as soon as
// each has answered its request in progress (idle ones at once), shuts
// srv down, and waits for both until ctx ends.
func (f *Front) Shutdown(ctx context.Context) error {
	f.mu.Lock()
	f.closing.Store(true)
	if f.ln != nil {
		f.ln.Close()
	}
	if f.fallback != nil {
		f.fallback.Close() // srv.Shutdown closes it too, unless srv never served
	}
	// A connection waiting for a request wakes up, sees closing and ends;
	// one answering finishes its answer first (see conn.serve).
	now := time.Now()
	for c := range f.conns {
		c.nc.SetReadDeadline(now)
	}
	f.mu.Unlock()

	err := f.srv.Shutdown(ctx)
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		f.mu.Lock()
		for c := range f.conns {
			c.nc.Close()
		}
		f.mu.Unlock()
		if err == nil {
			err = ctx.Err()
		}
	}
	return err
}

// handoffListener is the listener srv serves: it yields the connections
// the fast path hands over.
type handoffListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newHandoffListener(addr net.Addr) *handoffListener {
	return &handoffListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *handoffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *handoffListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *handoffListener) Addr() net.Addr { return l.addr }

// put hands c to srv; false when srv no longer accepts.
func (l *handoffListener) put(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

// handedConn is a connection handed to srv with the bytes the fast path
// read and did not answer, which srv reads first.
//
// srv reads them as the head of its first request, and sets its own
// read deadline for it, ReadHeaderTimeout from when it got the
// connection; the fast path has been waiting for that head already. So
// until the head is complete, no read deadline srv sets may pass headBy,
// the deadline the head had on the fast path; from then on, srv's own
// deadlines rule (for a body, for the time between requests, for the
// next head).
type handedConn struct {
	net.Conn
	pending  []byte
	headBy   time.Time
	headDone atomic.Bool
	end      headEndScanner // touched by Read only, until headDone
}

func newHandedConn(nc net.Conn, pending []byte, headBy time.Time) *handedConn {
	return &handedConn{Conn: nc, pending: pending, headBy: headBy}
}

func (h *handedConn) Read(p []byte) (n int, err error) {
	if len(h.pending) > 0 {
		n = copy(p, h.pending)
		h.pending = h.pending[n:]
	} else {
		n, err = h.Conn.Read(p)
	}
	if n > 0 && !h.headDone.Load() && h.end.scan(p[:n]) {
		h.headDone.Store(true)
	}
	return n, err
}

// SetReadDeadline sets t, but no later than headBy while the head that
// was handed over is incomplete.
func (h *handedConn) SetReadDeadline(t time.Time) error {
	if !h.headDone.Load() && (t.IsZero() || t.After(h.headBy)) {
		t = h.headBy
	}
	return h.Conn.SetReadDeadline(t)
}

func (h *handedConn) SetDeadline(t time.Time) error {
	if err := h.SetReadDeadline(t); err != nil {
		return err
	}
	return h.Conn.SetWriteDeadline(t)
}

// headEndScanner finds where a request head ends as net/http reads it:
// at the first empty line, a line end ("\n", or "\r\n") right after
// another.
type headEndScanner struct{ state uint8 } // 0 in a line, 1 after "\n", 2 after "\n\r"

// scan reads b, the next bytes of the stream, and reports whether the
// head ended in them.
func (s *headEndScanner) scan(b []byte) bool {
	for _, c := range b {
		switch {
		case c == '\n' && s.state != 0:
			return true
		case c == '\n':
			s.state = 1
		case c == '\r' && s.state == 1:
			s.state = 2
		default:
			s.state = 0
		}
	}
	return false
}

// CloseWrite lets net/http half-close the connection after an error
// response, as it does with the connections it accepts itself.
func (h *handedConn) CloseWrite() error {
	if cw, ok := h.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// dateCache keeps the Date header line of the current second.
type dateCache struct{ v atomic.Pointer[dateLine] }

type dateLine struct {
	sec  int64
	line []byte
}

func (d *dateCache) line(now time.Time) []byte {
	sec := now.Unix()
	if p := d.v.Load(); p != nil && p.sec == sec {
		return p.line
	}
	b := append(now.UTC().AppendFormat([]byte("Date: "), http.TimeFormat), "\r\n"...)
	d.v.Store(&dateLine{sec: sec, line: b})
	return b
}
