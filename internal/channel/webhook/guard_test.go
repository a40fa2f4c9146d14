package webhook

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

func TestDisallowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ip     string
		reason string // empty: allowed
	}{
		{"127.0.0.1", "a loopback address"},
		{"127.8.9.10", "a loopback address"},
		{"::1", "a loopback address"},
		{"10.0.0.5", "a private address"},
		{"172.16.0.1", "a private address"},
		{"172.31.255.254", "a private address"},
		{"192.168.1.1", "a private address"},
		{"fc00::1", "a private address"},
		{"fd12:3456::1", "a private address"},
		{"fec0::1", "a private address"},
		{"169.254.169.254", "a link-local address"},
		{"fe80::1", "a link-local address"},
		{"fe80::1%eth0", "a link-local address"},
		{"0.0.0.0", "an unspecified address"},
		{"::", "an unspecified address"},
		{"0.1.2.3", "a reserved address"},
		{"255.255.255.255", "a reserved address"},
		{"240.0.0.1", "a reserved address"},
		{"224.0.0.1", "a multicast address"},
		{"239.255.255.250", "a multicast address"},
		{"ff02::1", "a multicast address"},
		{"100.64.0.1", "a carrier-grade NAT address"},
		{"100.127.255.254", "a carrier-grade NAT address"},
		{"::ffff:127.0.0.1", "a loopback address"},
		{"::ffff:10.0.0.5", "a private address"},
		{"::ffff:169.254.169.254", "a link-local address"},
		{"64:ff9b::a00:5", "a private address (IPv4 10.0.0.5 inside)"},
		{"64:ff9b::7f00:1", "a loopback address (IPv4 127.0.0.1 inside)"},
		{"64:ff9b:1::1", "a local-use NAT64 address"},
		{"2002:a9fe:a9fe::1", "a link-local address (IPv4 169.254.169.254 inside)"},
		{"::a00:5", "a private address (IPv4 10.0.0.5 inside)"},
		// Public addresses, including those next to the refused ranges.
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"172.32.0.1", ""},
		{"100.128.0.1", ""},
		{"11.0.0.1", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
		{"2002:808:808::1", ""},
		{"2606:4700:4700::1111", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			t.Parallel()
			reason, bad := Disallowed(netip.MustParseAddr(tt.ip))
			if bad != (tt.reason != "") || reason != tt.reason {
				t.Errorf("Disallowed(%s) = %q, %v; want %q, %v", tt.ip, reason, bad, tt.reason, tt.reason != "")
			}
		})
	}
	if _, bad := Disallowed(netip.Addr{}); !bad {
		t.Error("Disallowed(zero Addr) = allowed, want refused")
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	resolver, _ := startDNS(t, func(name string, _ int64) netip.Addr {
		switch name {
		case "intranet.test.":
			return netip.MustParseAddr("10.0.0.5")
		case "metadata.test.":
			return netip.MustParseAddr("169.254.169.254")
		case "public.test.":
			return netip.MustParseAddr("93.184.215.14")
		}
		return netip.Addr{} // no such host
	})
	tests := []struct {
		name    string
		url     string
		public  bool
		wantErr string // empty: accepted
	}{
		{name: "public IP literal", url: "https://93.184.215.14/hook", public: true},
		{name: "public IPv6 literal", url: "https://[2606:4700:4700::1111]:8443/hook", public: true},
		{name: "public name", url: "https://public.test/hook?x=1", public: true},
		{name: "upper-case scheme", url: "HTTPS://public.test/hook", public: true},
		{name: "staff may use a private address", url: "http://10.0.0.5:8080/hook", public: false},
		{name: "staff may use loopback", url: "http://127.0.0.1/hook", public: false},
		{name: "staff may use an internal name", url: "http://intranet.test/hook", public: false},
		{name: "empty", url: "", public: true, wantErr: "webhook url: empty"},
		{name: "blank", url: "   ", public: false, wantErr: "webhook url: empty"},
		{name: "too long", url: "https://public.test/" + strings.Repeat("a", MaxURLLength), public: false,
			wantErr: "longer than 2048 characters"},
		{name: "ftp", url: "ftp://public.test/hook", public: false, wantErr: `scheme must be http or https, not "ftp"`},
		{name: "javascript", url: "javascript:alert(1)", public: false, wantErr: `not "javascript"`},
		{name: "no scheme", url: "public.test/hook", public: false, wantErr: "must start with http:// or https://"},
		{name: "no host", url: "https:///hook", public: false, wantErr: "webhook url: has no host"},
		{name: "port only", url: "http://:8080/hook", public: false, wantErr: "has no host"},
		{name: "user info", url: "https://user:pass@public.test/hook", public: false,
			wantErr: "must not contain a user name or password"},
		{name: "user only", url: "https://user@public.test/hook", public: true,
			wantErr: "must not contain a user name or password"},
		{name: "bad port", url: "https://public.test:99999/hook", public: false, wantErr: `port "99999" is out of range`},
		{name: "unparsable", url: "http://exa mple.test/", public: false, wantErr: "webhook url: cannot be parsed"},
		{name: "control character", url: "http://public.test/\x7f", public: false, wantErr: "cannot be parsed"},
		{name: "loopback", url: "http://127.0.0.1/hook", public: true, wantErr: "webhook url: 127.0.0.1 is a loopback address"},
		{name: "private", url: "http://10.0.0.5/hook", public: true, wantErr: "webhook url: 10.0.0.5 is a private address"},
		{name: "link-local", url: "http://169.254.169.254/latest/meta-data", public: true,
			wantErr: "webhook url: 169.254.169.254 is a link-local address"},
		{name: "IPv6 loopback", url: "http://[::1]:8080/", public: true, wantErr: "webhook url: ::1 is a loopback address"},
		{name: "IPv6 link-local", url: "http://[fe80::1]/", public: true, wantErr: "webhook url: fe80::1 is a link-local address"},
		{name: "IPv6 link-local with zone", url: "http://[fe80::1%25eth0]/", public: true, wantErr: "fe80::1 is a link-local address"},
		{name: "IPv4-mapped", url: "http://[::ffff:10.0.0.5]/", public: true, wantErr: "is a private address"},
		{name: "CGNAT", url: "http://100.64.1.2/", public: true, wantErr: "100.64.1.2 is a carrier-grade NAT address"},
		{name: "unspecified", url: "http://0.0.0.0:8080/", public: true, wantErr: "0.0.0.0 is an unspecified address"},
		{name: "name to a private address", url: "https://intranet.test/hook", public: true,
			wantErr: "webhook url: intranet.test resolves to 10.0.0.5, which is a private address"},
		{name: "name to the metadata service", url: "https://metadata.test/", public: true,
			wantErr: "resolves to 169.254.169.254, which is a link-local address"},
		{name: "unknown name", url: "https://nowhere.test/hook", public: true, wantErr: `host "nowhere.test" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckURL(context.Background(), tt.url, tt.public, resolver)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckURL(%q, %v): %v", tt.url, tt.public, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckURL(%q, %v) = %v, want an error containing %q", tt.url, tt.public, err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "pass@") {
				t.Errorf("error %q repeats the user info", err)
			}
		})
	}
}

func TestCheckURLDefaultResolver(t *testing.T) {
	t.Parallel()
	// localhost comes from the hosts file, so no network is needed.
	err := CheckURL(context.Background(), "http://localhost:8080/hook", true, nil)
	if err == nil || !strings.Contains(err.Error(), "is a loopback address") {
		t.Fatalf("CheckURL(localhost) = %v, want a loopback refusal", err)
	}
}
