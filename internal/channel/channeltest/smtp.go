// Package channeltest gives tests real peers for the delivery channels: an
// SMTP server in-process that keeps every message it receives, and can be
// told to refuse or to drop its connections.
package channeltest

import (
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one received message.
type Mail struct {
	From string
	To   []string
	Data string // the raw message: headers and body, lines ending in "\n"
	Raw  []byte // the message exactly as received (dot-unstuffed), lines ending in "\r\n"
}

// Inbox is a running SMTP server on 127.0.0.1.
type Inbox struct {
	Addr string
	mu   sync.Mutex
	mail []Mail
	live map[*smtp.Conn]bool // open connections, for Drop
	// RejectCode, when set before the first message, makes RCPT fail
	// with it (e.g. 550, 451). Reject changes it while the server runs.
	RejectCode int
	reject     atomic.Int64 // set by Reject; wins over RejectCode
	discard    atomic.Bool  // count messages but keep none
	received   atomic.Int64 // messages accepted, kept or not
	sessions   atomic.Int64 // connections that said EHLO
	arrived    chan struct{}
}

// NewInbox starts an SMTP server for the test and stops it at cleanup.
func NewInbox(t testing.TB) *Inbox {
	t.Helper()
	in := &Inbox{arrived: make(chan struct{}, 1024), live: map[*smtp.Conn]bool{}}
	in.reject.Store(-1)
	srv := smtp.NewServer(backend{in})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return in
}

// URL is the smtp:// URL of the inbox, without TLS.
func (in *Inbox) URL() string { return "smtp://" + in.Addr + "?tls=none" }

// Mail returns what has arrived so far.
func (in *Inbox) Mail() []Mail {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Mail(nil), in.mail...)
}

// Reject makes every later RCPT fail with code (e.g. 550, 451); 0 accepts
// again. Unlike RejectCode it may be called while clients are connected.
func (in *Inbox) Reject(code int) { in.reject.Store(int64(code)) }

// Discard makes the inbox count the messages it accepts without keeping
// them, for benchmarks that send more than memory should hold.
func (in *Inbox) Discard(on bool) { in.discard.Store(on) }

// Received counts the messages accepted so far, kept or discarded.
func (in *Inbox) Received() int { return int(in.received.Load()) }

// Sessions counts the SMTP connections that have greeted the server so
// far: a client that reuses its connections keeps it low.
func (in *Inbox) Sessions() int { return int(in.sessions.Load()) }

// Open counts the SMTP connections open now.
func (in *Inbox) Open() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.live)
}

// Drop closes every open connection from the server's side, as a server
// restart or an idle timeout would.
func (in *Inbox) Drop() {
	in.mu.Lock()
	conns := make([]*smtp.Conn, 0, len(in.live))
	for c := range in.live {
		conns = append(conns, c)
	}
	in.mu.Unlock()
	for _, c := range conns {
		// Closing the socket makes the server's own loop end the session.
		c.Conn().Close()
	}
}

// WaitFor waits until n messages have arrived or the bound runs out, and
// returns what arrived.
func (in *Inbox) WaitFor(n int, bound time.Duration) []Mail {
	deadline := time.After(bound)
	for {
		if m := in.Mail(); len(m) >= n {
			return m
		}
		select {
		case <-in.arrived:
		case <-deadline:
			return in.Mail()
		}
	}
}

func (in *Inbox) rejectCode() int {
	if c := in.reject.Load(); c >= 0 {
		return int(c)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.RejectCode
}

type backend struct{ in *Inbox }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.in.sessions.Add(1)
	b.in.mu.Lock()
	b.in.live[c] = true
	b.in.mu.Unlock()
	return &session{in: b.in, conn: c}, nil
}

type session struct {
	in   *Inbox
	conn *smtp.Conn
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if code := s.in.rejectCode(); code != 0 {
		return &smtp.SMTPError{Code: code, Message: "refused by the test"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.received.Add(1)
	if !s.in.discard.Load() {
		m := Mail{From: s.from, To: s.to, Raw: b, Data: strings.ReplaceAll(string(b), "\r\n", "\n")}
		s.in.mu.Lock()
		s.in.mail = append(s.in.mail, m)
		s.in.mu.Unlock()
	}
	select {
	case s.in.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error {
	s.in.mu.Lock()
	delete(s.in.live, s.conn)
	s.in.mu.Unlock()
	return nil
}
