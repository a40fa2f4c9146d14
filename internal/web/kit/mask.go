package kit

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/channel"
)

// MaskAddress hides most of an address from those who may not see
// subscribers' personal data, keeping enough to tell rows apart: the first
// letter and the domain of an e-mail address, the country code and last
// two digits of a phone number, the scheme and host of a URL. An erased
// address stays "".
func MaskAddress(ch, addr string) string {
	const dots = "•••"
	if addr == "" {
		return ""
	}
	switch ch {
	case channel.Email:
		if local, domain, ok := strings.Cut(addr, "@"); ok && local != "" {
			r, _ := utf8.DecodeRuneInString(local)
			return string(r) + dots + "@" + domain
		}
	case channel.SMS:
		if len(addr) >= 8 {
			return addr[:4] + strings.Repeat("•", len(addr)-6) + addr[len(addr)-2:]
		}
	case channel.Webhook:
		if u, err := url.Parse(addr); err == nil && u.Host != "" {
			out := u.Scheme + "://" + u.Host
			if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				out += "/" + dots
			}
			return out
		}
	}
	r, _ := utf8.DecodeRuneInString(addr)
	return string(r) + dots
}
