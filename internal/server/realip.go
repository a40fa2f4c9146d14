package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// realIP makes r.RemoteAddr the client's address when crisisdesk runs behind
// a CDN or reverse proxy, so that per-address limits count clients, not the
// proxy. The header is believed only from a trusted peer, and only as far
// as the chain of trusted proxies goes: the entries right of the first
// untrusted one were written by our own proxies, the rest by anybody.
//
// With no trusted proxies it returns next itself: nothing is parsed and
// nothing allocated on any request.
func realIP(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	t := make(proxies, 0, len(trusted))
	for _, p := range trusted {
		if !p.IsValid() {
			continue
		}
		// Compare unmapped IPv4, as peers and entries are unmapped.
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		t = append(t, p.Masked())
	}
	if len(t) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if addr, ok := t.client(r); ok {
			// Set in place rather than on a copy: the server's own
			// clean-up, the metrics wrapper (which reads r.Pattern after
			// the mux) and every handler then share one request.
			r.RemoteAddr = addr
		}
		next.ServeHTTP(w, r)
	})
}

// proxies is the trusted set; it is short, so a scan is fastest.
type proxies []netip.Prefix

func (t proxies) contains(a netip.Addr) bool {
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// client returns the address, as "ip:port", that should replace
// r.RemoteAddr, or false to keep it.
func (t proxies) client(r *http.Request) (string, bool) {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok || !t.contains(peer.Addr()) {
		return "", false
	}
	lines := r.Header["X-Forwarded-For"]
	var last netip.AddrPort // the leftmost trusted entry seen so far
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for line != "" {
			entry := line
			if c := strings.LastIndexByte(line, ','); c >= 0 {
				entry, line = line[c+1:], line[:c]
			} else {
				line = ""
			}
			entry = strings.Trim(entry, " \t")
			if entry == "" { // an empty list element means nothing (RFC 9110 5.6.1)
				continue
			}
			a, ok := parseAddr(entry)
			if !ok {
				return "", false // the client is not an IP ("unknown", garbage)
			}
			if !t.contains(a.Addr()) {
				return a.String(), true
			}
			last = a
		}
	}
	// Every entry was one of our proxies (a request from inside): the
	// leftmost is the furthest hop known.
	if last.IsValid() {
		return last.String(), true
	}
	return "", false
}

// parseAddr reads "ip", "[ipv6]", "ip:port" or "[ipv6]:port" (port 0 when
// absent), unmapped and without an IPv6 zone: a zone means nothing off the
// link it was seen on, and would let one client count as many. The form is
// told before parsing, as netip's errors allocate.
func parseAddr(s string) (netip.AddrPort, bool) {
	var ap netip.AddrPort
	switch {
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		a, err := netip.ParseAddr(s[1 : len(s)-1])
		if err != nil || !a.Is6() {
			return ap, false
		}
		ap = netip.AddrPortFrom(a, 0)
	case strings.HasPrefix(s, "[") || strings.Count(s, ":") == 1:
		var err error
		if ap, err = netip.ParseAddrPort(s); err != nil {
			return ap, false
		}
	default:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return ap, false
		}
		ap = netip.AddrPortFrom(a, 0)
	}
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port()), true
}
