package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/delivery"
)

// mailFrom is the sender of the bench's e-mails.
const mailFrom = "desk@example.org"

// smtpServer is the local SMTP server: it accepts every message, reads and
// discards its body, and counts each recipient (reader<N>@example.org).
type smtpServer struct {
	tally *tally
	win   window
	mails atomic.Int64
	srv   *smtp.Server
	addr  string
}

func startSMTP(n int) (*smtpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smtpServer{tally: newTally(n), addr: ln.Addr().String()}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	go s.srv.Serve(ln)
	return s, nil
}

func (s *smtpServer) url() string { return "smtp://" + s.addr + "?tls=none" }

func (s *smtpServer) close() { s.srv.Close() }

// NewSession is go-smtp's backend.
func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

type smtpSession struct {
	s  *smtpServer
	to []string
}

func (ss *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	ss.s.win.mark()
	ss.s.mails.Add(1)
	for _, to := range ss.to {
		id := int64(-1)
		if local, ok := strings.CutSuffix(to, "@example.org"); ok {
			if v, err := strconv.ParseInt(strings.TrimPrefix(local, "reader"), 10, 64); err == nil {
				id = v
			}
		}
		ss.s.tally.add(id)
	}
	return nil
}

func (ss *smtpSession) Reset()        { ss.to = nil }
func (ss *smtpSession) Logout() error { return nil }

// mailLoad sends the notice's English e-mail through crisisdesk's own
// e-mail sender (its pool with the default settings, as the app builds it)
// from conc goroutines for d, without the database, and returns
// messages/s: the SMTP server's limit as crisisdesk's client meets it.
func mailLoad(ctx context.Context, url string, conc int, d time.Duration) (float64, error) {
	r, err := renderer()
	if err != nil {
		return 0, err
	}
	c := delivery.Messages{Renderer: r, Base: "http://127.0.0.1:9"}.Content(benchNotice(), "en", "http://127.0.0.1:9/unsubscribe/tok")
	sender, err := email.New(url, mailFrom)
	if err != nil {
		return 0, err
	}
	defer sender.Close()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var done, failed atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for g := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				m := channel.Message{Key: fmt.Sprintf("msg_0_s%d_%d_email", g, i), To: "reader0@example.org", Language: "en",
					Subject: c.Subject, Text: c.Text, HTML: c.HTML, UnsubscribeURL: "http://127.0.0.1:9/unsubscribe/tok", Timestamp: time.Now()}
				err := sender.Send(ctx, m)
				switch {
				case err == nil:
					done.Add(1)
				case ctx.Err() != nil: // the run ended during this send
				default:
					failed.Add(1)
					mu.Lock()
					firstErr = cmpErr(firstErr, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("the SMTP server alone: %d of %d sends failed: %v", f, f+done.Load(), firstErr)
	}
	return float64(done.Load()) / el.Seconds(), nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
