// Package email sends e-mail over SMTP: clock alerts now, notices to
// subscribers later. It classifies each failure as worth retrying or not.
package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender sends through one SMTP server.
type Sender struct {
	host     string
	port     int
	user     string
	pass     string
	tls      gomail.TLSPolicy
	implicit bool // TLS from the first byte (smtps, port 465)
	from     string
	timeout  time.Duration
}

// Message is one e-mail with a plain-text part and an optional HTML part.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// New reads an SMTP URL — smtp://USER:PASS@HOST:PORT (STARTTLS when the
// server offers it; add ?tls=mandatory to require it or ?tls=none to never
// use it) or smtps://USER:PASS@HOST:465 (TLS from the start) — and the
// From address.
func New(rawURL, from string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: malformed")
	}
	s := &Sender{host: u.Hostname(), from: from, timeout: 15 * time.Second, tls: gomail.TLSOpportunistic}
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
	if !strings.Contains(from, "@") {
		return nil, fmt.Errorf("mail from: %q is not an e-mail address", from)
	}
	return s, nil
}

// Send delivers msg. retryable is true when a later attempt may succeed
// (the server is unreachable or answered 4xx); false for a permanent
// refusal (5xx, a malformed address). The password never appears in err.
func (s *Sender) Send(ctx context.Context, msg Message) (retryable bool, err error) {
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
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTLSPolicy(s.tls), gomail.WithTimeout(s.timeout)}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return false, fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return classify(err), fmt.Errorf("send to %s via %s:%d: %s", msg.To, s.host, s.port, redact(err.Error(), s.pass))
	}
	return false, nil
}

func classify(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.IsTemp()
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}

func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "xxxxx")
}
