package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// MaxURLLength bounds a webhook URL accepted by CheckURL.
const MaxURLLength = 2048

// Address ranges beyond what netip.Addr's own predicates name.
var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10")  // RFC 6598 shared address space
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")      // RFC 1122 "this network"
	reserved4   = netip.MustParsePrefix("240.0.0.0/4")    // future use, and the broadcast address
	siteLocal   = netip.MustParsePrefix("fec0::/10")      // deprecated site-local, still private
	nat64       = netip.MustParsePrefix("64:ff9b::/96")   // RFC 6052: an IPv4 address inside
	nat64Local  = netip.MustParsePrefix("64:ff9b:1::/48") // RFC 8215: local-use translation
	sixToFour   = netip.MustParsePrefix("2002::/16")      // RFC 3056: an IPv4 address inside
	v4Compat    = netip.MustParsePrefix("::/96")          // deprecated IPv4-compatible
)

// Disallowed reports whether a guarded webhook may not connect to ip, and
// why: loopback, private (RFC 1918, fc00::/7), link-local, unspecified,
// multicast, carrier-grade NAT (100.64.0.0/10) and reserved addresses,
// and IPv6 forms that carry one of those IPv4 addresses (IPv4-mapped,
// NAT64, 6to4). The reason reads after the address: "10.0.0.5 is " +
// reason.
func Disallowed(ip netip.Addr) (reason string, bad bool) {
	if !ip.IsValid() {
		return "not a valid address", true
	}
	ip = ip.WithZone("").Unmap()
	switch {
	case ip.IsUnspecified():
		return "an unspecified address", true
	case ip.IsLoopback():
		return "a loopback address", true
	case ip.IsPrivate(), siteLocal.Contains(ip):
		return "a private address", true
	case ip.IsLinkLocalUnicast():
		return "a link-local address", true
	case ip.IsMulticast():
		return "a multicast address", true
	case cgnat.Contains(ip):
		return "a carrier-grade NAT address", true
	case thisNetwork.Contains(ip), reserved4.Contains(ip):
		return "a reserved address", true
	case nat64Local.Contains(ip):
		return "a local-use NAT64 address", true
	}
	if inner, ok := embedded(ip); ok {
		if r, bad := Disallowed(inner); bad {
			return fmt.Sprintf("%s (IPv4 %s inside)", r, inner), true
		}
	}
	return "", false
}

// embedded returns the IPv4 address an IPv6 address carries by a
// well-known translation, where a gateway on the path may deliver to it.
func embedded(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip), v4Compat.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// refusal is the dialer's refusal of a disallowed address. It is always
// permanent: the endpoint points inside the network.
type refusal struct {
	addr   string
	reason string
}

func (r *refusal) Error() string { return r.addr + " is " + r.reason }

// guardControl is a net.Dialer Control function: it sees the address the
// socket is about to connect to, after name resolution, so a name that
// resolves differently at delivery than at registration (DNS rebinding)
// is still caught.
func guardControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &refusal{addr: address, reason: "not an IP address"}
	}
	if reason, bad := Disallowed(ap.Addr()); bad {
		return &refusal{addr: ap.Addr().String(), reason: reason}
	}
	return nil
}

// CheckURL validates a webhook URL when it is registered or subscribed: it
// must parse, use http or https, name a host and carry no user name or
// password. When public is true (self-service subscriptions) the host is
// resolved, with resolver or net.DefaultResolver when nil, and refused if
// any address it has is Disallowed. Errors start "webhook url:" and say
// what is wrong, e.g. "webhook url: 10.0.0.5 is a private address".
//
// The check at registration is advice to the person registering; the
// guarded Sender checks again at every connection.
func CheckURL(ctx context.Context, raw string, public bool, resolver *net.Resolver) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("webhook url: empty")
	}
	if len(raw) > MaxURLLength {
		return fmt.Errorf("webhook url: longer than %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error repeats the whole URL
		}
		return fmt.Errorf("webhook url: cannot be parsed: %v", err)
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		if u.Scheme == "" {
			return errors.New("webhook url: must start with http:// or https://")
		}
		return fmt.Errorf("webhook url: scheme must be http or https, not %q", u.Scheme)
	}
	if u.User != nil {
		return errors.New("webhook url: must not contain a user name or password")
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("webhook url: has no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("webhook url: port %q is out of range", p)
		}
	}
	if !public {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if reason, bad := Disallowed(ip); bad {
			return fmt.Errorf("webhook url: %s is %s", ip.WithZone(""), reason)
		}
		return nil
	}
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	ips, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return fmt.Errorf("webhook url: host %q does not exist", host)
		}
		return fmt.Errorf("webhook url: cannot resolve host %q now, try again later", host)
	}
	for _, ip := range ips {
		if reason, bad := Disallowed(ip); bad {
			return fmt.Errorf("webhook url: %s resolves to %s, which is %s", host, ip.Unmap(), reason)
		}
	}
	return nil
}
