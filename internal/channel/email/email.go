// Package email sends e-mail over SMTP: single staff alerts (SendMail, one
// connection each) and notices to subscribers (Send, the channel.Sender
// adapter, over a small pool of reused connections). It classifies each
// failure as worth retrying or not.
package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"crisisdesk/internal/channel"
)

// Sender sends through one SMTP server. It is safe for concurrent use;
// Close it to close the pooled connections.
type Sender struct {
	host     string
	port     int
	user     string
	pass     string
	tls      gomail.TLSPolicy
	implicit bool // TLS from the first byte (smtps, port 465)
	from     string
	domain   string // of from: the right-hand side of every Message-ID
	timeout  time.Duration
	pool     *pool
}

var _ channel.Sender = (*Sender)(nil)

// Options configure a Sender. Only URL and From are required.
type Options struct {
	// URL is smtp://USER:PASS@HOST:PORT (STARTTLS when the server offers
	// it; add ?tls=mandatory to require it or ?tls=none to never use it)
	// or smtps://USER:PASS@HOST:465 (TLS from the start).
	URL string
	// From is the sender's address, e.g. alerts@example.org.
	From string
	// MaxConns is how many SMTP connections Send keeps open at most;
	// default 4.
	MaxConns int
	// MaxPerConn is how many messages one connection carries before it is
	// replaced; default 500.
	MaxPerConn int
	// IdleTimeout closes a pooled connection unused for this long;
	// default 30s.
	IdleTimeout time.Duration
	// Timeout bounds each dial and SMTP command; default 15s.
	Timeout time.Duration
}

// Defaults of Options.
const (
	DefaultMaxConns    = 4
	DefaultMaxPerConn  = 500
	DefaultIdleTimeout = 30 * time.Second
	DefaultTimeout     = 15 * time.Second
)

// Message is one staff e-mail with a plain-text part and an optional HTML
// part, for SendMail.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
	// Attachments are files sent with the message: an invitation's
	// iCalendar file, a report's PDF and workbook.
	Attachments []Attachment
}

// Attachment is a file attached to a message.
type Attachment struct {
	Name        string // e.g. "invite.ics"
	ContentType string // e.g. "text/calendar; method=REQUEST; charset=utf-8"
	Data        []byte
}

// New is Open with the default pool settings.
func New(rawURL, from string) (*Sender, error) {
	return Open(Options{URL: rawURL, From: from})
}

// Open checks the options and returns a Sender. It does not connect: the
// first Send does.
func Open(o Options) (*Sender, error) {
	u, err := url.Parse(o.URL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: malformed")
	}
	s := &Sender{host: u.Hostname(), from: o.From, timeout: o.Timeout, tls: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit, s.tls = 465, true, gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps")
	}
	if s.host == "" {
		return nil, fmt.Errorf("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port <= 0 || s.port > 65535 {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	switch u.Query().Get("tls") {
	case "":
	case "none":
		s.tls = gomail.NoTLS
	case "opportunistic":
		s.tls = gomail.TLSOpportunistic
	case "mandatory":
		s.tls = gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("smtp url: tls must be none, opportunistic or mandatory")
	}
	if s.domain = domainOf(o.From); s.domain == "" {
		return nil, fmt.Errorf("mail from: %q is not an e-mail address", o.From)
	}
	if o.MaxConns < 0 || o.MaxPerConn < 0 || o.IdleTimeout < 0 || o.Timeout < 0 {
		return nil, fmt.Errorf("smtp pool: limits must not be negative")
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	client, err := s.client(true)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	s.pool = newPool(client, orDefault(o.MaxConns, DefaultMaxConns), orDefault(o.MaxPerConn, DefaultMaxPerConn),
		orDefault(o.IdleTimeout, DefaultIdleTimeout))
	return s, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Close closes the pooled connections, waiting for sends in flight. Send
// fails after Close; SendMail still works.
func (s *Sender) Close() error { return s.pool.close() }

// client makes a go-mail client with the Sender's settings. A pooled
// client skips go-mail's NOOP before and RSET after every message: the
// pool checks a connection itself when it has been idle, and a finished
// DATA already ends the mail transaction.
func (s *Sender) client(pooled bool) (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTLSPolicy(s.tls), gomail.WithTimeout(s.timeout)}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	if pooled {
		opts = append(opts, gomail.WithoutNoop(), gomail.WithoutRset())
	}
	return gomail.NewClient(s.host, opts...)
}

// SendMail delivers one staff e-mail over a connection of its own.
// retryable is true when a later attempt may succeed (the server is
// unreachable or answered 4xx); false for a permanent refusal (5xx, a
// malformed address). The password never appears in err.
func (s *Sender) SendMail(ctx context.Context, msg Message) (retryable bool, err error) {
	m := gomail.NewMsg()
	if err := m.From(s.from); err != nil {
		return false, fmt.Errorf("from %q: %w", s.from, err)
	}
	if err := m.To(msg.To); err != nil {
		return false, fmt.Errorf("to %q: %w", msg.To, err)
	}
	m.Subject(msg.Subject)
	for k, v := range msg.Headers {
		m.SetGenHeader(gomail.Header(k), v)
	}
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	for _, a := range msg.Attachments {
		m.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
	}
	c, err := s.client(false)
	if err != nil {
		return false, fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		if m.IsDelivered() {
			return false, nil // accepted; only the goodbye failed
		}
		return classify(err), s.sendError(msg.To, err)
	}
	return false, nil
}

func (s *Sender) sendError(to string, err error) error {
	return fmt.Errorf("send to %s via %s:%d: %s", to, s.host, s.port, redact(err.Error(), s.pass))
}

// classify reports whether err is worth retrying. Only the server's 5xx
// answer to this message (MAIL, RCPT or DATA) and a message go-mail
// cannot send at all are permanent; a lost connection, a timeout and any
// 4xx are not. Failures while connecting (greeting, STARTTLS, AUTH) are
// the server's or the settings' fault, never the recipient's, so they are
// retryable too: fixing them lets the same messages go out.
func classify(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return false
		}
		return se.ErrorCode() < 500 // 0 when no SMTP reply came: a network error
	}
	return true
}

func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "xxxxx")
}
