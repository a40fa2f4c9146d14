// Package channeltest gives tests real peers for the delivery channels: an
// SMTP server in-process that keeps every message it receives.
package channeltest

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one received message.
type Mail struct {
	From string
	To   []string
	Data string // the raw message: headers and body
}

// Inbox is a running SMTP server on 127.0.0.1.
type Inbox struct {
	Addr string
	mu   sync.Mutex
	mail []Mail
	// RejectCode, when set, makes RCPT fail with it (e.g. 550, 451).
	RejectCode int
	arrived    chan struct{}
}

// NewInbox starts an SMTP server for the test and stops it at cleanup.
func NewInbox(t testing.TB) *Inbox {
	t.Helper()
	in := &Inbox{arrived: make(chan struct{}, 1024)}
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

type backend struct{ in *Inbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{in: b.in}, nil }

type session struct {
	in   *Inbox
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.in.RejectCode != 0 {
		return &smtp.SMTPError{Code: s.in.RejectCode, Message: "refused by the test"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	s.in.mail = append(s.in.mail, Mail{From: s.from, To: s.to, Data: strings.ReplaceAll(string(b), "\r\n", "\n")})
	s.in.mu.Unlock()
	select {
	case s.in.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
