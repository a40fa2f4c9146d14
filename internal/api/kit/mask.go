package kit

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/subscriber"
)

// SeesPersonal reports whether the caller may see subscribers' full
// addresses; everyone else sees them masked.
func SeesPersonal(ctx context.Context) bool {
	return authz.Can(Actor(ctx).Role, authz.ViewPersonalData)
}

// MaskAddress hides most of an address while leaving enough to tell one
// from another in a list: j***@example.org, +852****5678, or a URL's scheme
// and host.
func MaskAddress(ch, addr string) string {
	if addr == "" {
		return ""
	}
	switch ch {
	case channel.Email:
		local, domain, ok := strings.Cut(addr, "@")
		if !ok || local == "" {
			return "***"
		}
		r, _ := utf8.DecodeRuneInString(local)
		return string(r) + "***@" + domain
	case channel.SMS:
		if len(addr) < 9 {
			return "****"
		}
		return addr[:4] + "****" + addr[len(addr)-4:]
	case channel.Webhook:
		u, err := url.Parse(addr)
		if err != nil || u.Host == "" {
			return "***"
		}
		return u.Scheme + "://" + u.Host + "/…"
	}
	return "***"
}

// MaskSecret shows a secret's prefix and its last four characters, enough
// to tell which secret a receiver holds.
func MaskSecret(s string) string {
	if s == "" {
		return ""
	}
	rest := strings.TrimPrefix(s, subscriber.SecretPrefix)
	if len(rest) <= 8 {
		return subscriber.SecretPrefix + "…"
	}
	return subscriber.SecretPrefix + "…" + rest[len(rest)-4:]
}
