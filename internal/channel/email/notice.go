package email

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"crisisdesk/internal/channel"
)

// Name is channel.Email.
func (s *Sender) Name() string { return channel.Email }

// Send delivers one notice e-mail over a pooled connection. It carries
// m.Text and, when set, m.HTML as alternatives; the Message-ID
// <m.Key@domain of From>, so that a repeat after a crash is recognisably
// the same message; Content-Language; Auto-Submitted; and, when
// m.UnsubscribeURL is set, the RFC 8058 one-click unsubscribe headers. A
// message that can never be sent (bad address, 5xx) fails with an error
// wrapped by channel.Permanent; any other error is worth retrying.
func (s *Sender) Send(ctx context.Context, m channel.Message) error {
	msg, err := s.noticeMsg(m)
	if err != nil {
		return channel.Permanent(err)
	}
	if err := s.pool.send(ctx, msg); err != nil {
		if errors.Is(err, errClosed) || ctx.Err() != nil {
			return fmt.Errorf("send to %s: %w", m.To, err)
		}
		if !classify(err) {
			return channel.Permanent(s.sendError(m.To, err))
		}
		return s.sendError(m.To, err)
	}
	return nil
}

// noticeMsg builds the e-mail of m, or says which field is unusable.
func (s *Sender) noticeMsg(m channel.Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("from %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	if m.Text == "" {
		return nil, fmt.Errorf("message %s: no text", m.Key)
	}
	if m.Key != "" {
		if !isDotAtom(m.Key) {
			return nil, fmt.Errorf("key %q: not usable as a Message-ID", m.Key)
		}
		msg.SetMessageIDWithValue(m.Key + "@" + s.domain)
	}
	if m.Language != "" {
		if !isLanguageTag(m.Language) {
			return nil, fmt.Errorf("language %q: not a language tag", m.Language)
		}
		msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	}
	if m.UnsubscribeURL != "" {
		u, err := url.Parse(m.UnsubscribeURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			strings.ContainsAny(m.UnsubscribeURL, "<>\" \t\r\n") {
			return nil, fmt.Errorf("unsubscribe url %q: not an absolute http(s) URL", m.UnsubscribeURL)
		}
		msg.SetListUnsubscribe(m.UnsubscribeURL)
		msg.SetListUnsubscribePost()
	}
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if !m.Timestamp.IsZero() {
		msg.SetDateWithValue(m.Timestamp) // a repeat is the same message
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// domainOf returns the domain of an address such as a@example.org or
// "Desk <a@example.org>", or "" when addr is not one.
func domainOf(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 0 || at == len(a.Address)-1 {
		return ""
	}
	return a.Address[at+1:]
}

// isDotAtom reports whether s can stand left of the @ of a Message-ID
// (RFC 5322 dot-atom-text).
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r):
		default:
			return false
		}
	}
	return true
}

// isLanguageTag reports whether s looks like a BCP 47 tag: letters and
// digits in hyphen-separated subtags.
func isLanguageTag(s string) bool {
	for _, sub := range strings.Split(s, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for _, r := range sub {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}
