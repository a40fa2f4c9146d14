package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// testProxies are the trusted proxies of these tests: a private IPv4
// network, loopback, and an IPv6 network.
var testProxies = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.1/32"),
	netip.MustParsePrefix("2001:db8:1::/48"),
}

// remoteAddr runs one request from peer with the given X-Forwarded-For
// lines through realIP and returns the RemoteAddr the handler saw.
func remoteAddr(t *testing.T, trusted []netip.Prefix, peer string, xff []string) string {
	t.Helper()
	var got string
	h := realIP(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = peer
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	h.ServeHTTP(httptest.NewRecorder(), r)
	return got
}

func TestRealIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		peer string
		xff  []string
		want string
	}{
		// Nobody but a trusted peer is believed.
		{"untrusted peer, forged header", "198.51.100.7:4000", []string{"203.0.113.9"}, "198.51.100.7:4000"},
		{"untrusted peer claiming a proxy", "198.51.100.7:4000", []string{"203.0.113.9, 10.0.0.2"}, "198.51.100.7:4000"},
		{"untrusted IPv6 peer", "[2001:db8:2::1]:4000", []string{"203.0.113.9"}, "[2001:db8:2::1]:4000"},
		{"untrusted peer in a trusted network's mapped form", "[::ffff:198.51.100.7]:4000", []string{"203.0.113.9"}, "[::ffff:198.51.100.7]:4000"},

		// A trusted peer names the client.
		{"trusted peer, one entry", "10.0.0.1:5555", []string{"203.0.113.9"}, "203.0.113.9:0"},
		{"loopback peer", "127.0.0.1:5555", []string{"203.0.113.9"}, "203.0.113.9:0"},
		{"entry with a port", "10.0.0.1:5555", []string{"203.0.113.9:61000"}, "203.0.113.9:61000"},
		{"several entries, the client forged the left", "10.0.0.1:5555", []string{"192.0.2.1, 192.0.2.2, 203.0.113.9"}, "203.0.113.9:0"},
		{"no spaces", "10.0.0.1:5555", []string{"192.0.2.1,203.0.113.9"}, "203.0.113.9:0"},
		{"tabs and empty elements", "10.0.0.1:5555", []string{"\t192.0.2.1 ,, 203.0.113.9\t, "}, "203.0.113.9:0"},
		{"peer without a port", "10.0.0.1", []string{"203.0.113.9"}, "203.0.113.9:0"},

		// Chains: the proxies' own entries are skipped.
		{"chain of trusted proxies", "10.0.0.1:5555", []string{"192.0.2.1, 203.0.113.9, 10.9.8.7, 127.0.0.1"}, "203.0.113.9:0"},
		{"an untrusted hop in the chain stops the walk", "10.0.0.1:5555", []string{"203.0.113.9, 198.51.100.7, 10.0.0.2"}, "198.51.100.7:0"},
		{"every entry trusted: the leftmost", "10.0.0.1:5555", []string{"10.0.0.9, 10.0.0.8"}, "10.0.0.9:0"},
		{"mapped IPv4 proxy entry is trusted", "10.0.0.1:5555", []string{"203.0.113.9, ::ffff:10.0.0.2"}, "203.0.113.9:0"},

		// Several header lines are one list, in order.
		{"multiple header lines", "10.0.0.1:5555", []string{"192.0.2.1, 203.0.113.9", "10.0.0.2"}, "203.0.113.9:0"},
		{"client in the last line", "10.0.0.1:5555", []string{"192.0.2.1", "203.0.113.9, 10.0.0.2"}, "203.0.113.9:0"},
		{"empty last line", "10.0.0.1:5555", []string{"192.0.2.1, 203.0.113.9", ""}, "203.0.113.9:0"},

		// What does not parse is never taken, nor skipped over.
		{"unknown", "10.0.0.1:5555", []string{"unknown"}, "10.0.0.1:5555"},
		{"garbage as the client", "10.0.0.1:5555", []string{"203.0.113.9, not-an-ip"}, "10.0.0.1:5555"},
		{"garbage behind a proxy", "10.0.0.1:5555", []string{"203.0.113.9, 300.1.2.3, 10.0.0.2"}, "10.0.0.1:5555"},
		{"garbage left of the client", "10.0.0.1:5555", []string{"<script>, 203.0.113.9"}, "203.0.113.9:0"},
		{"a host name", "10.0.0.1:5555", []string{"client.example"}, "10.0.0.1:5555"},
		{"CIDR in the header", "10.0.0.1:5555", []string{"203.0.113.0/24"}, "10.0.0.1:5555"},
		{"bad port", "10.0.0.1:5555", []string{"203.0.113.9:99999"}, "10.0.0.1:5555"},
		{"only commas", "10.0.0.1:5555", []string{" , ,"}, "10.0.0.1:5555"},
		{"unparsable peer", "@", []string{"203.0.113.9"}, "@"},

		// IPv6 comes out bracketed, zoneless and unmapped.
		{"IPv6 proxy, IPv6 client", "[2001:db8:1::5]:443", []string{"2001:db8:2::9"}, "[2001:db8:2::9]:0"},
		{"IPv6 proxy, IPv4 client", "[2001:db8:1::5]:443", []string{"203.0.113.9"}, "203.0.113.9:0"},
		{"IPv4 proxy, IPv6 client", "10.0.0.1:5555", []string{"2001:db8:2::9"}, "[2001:db8:2::9]:0"},
		{"bracketed IPv6 entry", "10.0.0.1:5555", []string{"[2001:db8:2::9]"}, "[2001:db8:2::9]:0"},
		{"bracketed IPv6 entry with a port", "10.0.0.1:5555", []string{"[2001:db8:2::9]:8443"}, "[2001:db8:2::9]:8443"},
		{"IPv6 chain", "[2001:db8:1::5]:443", []string{"2001:db8:2::9, 2001:db8:1::77"}, "[2001:db8:2::9]:0"},
		{"zone dropped", "10.0.0.1:5555", []string{"fe80::1%eth0"}, "[fe80::1]:0"},
		{"mapped client unmapped", "10.0.0.1:5555", []string{"::ffff:203.0.113.9"}, "203.0.113.9:0"},
		{"mapped IPv4 peer is trusted", "[::ffff:10.0.0.1]:5555", []string{"203.0.113.9"}, "203.0.113.9:0"},

		// No header, nothing to go on.
		{"no header", "10.0.0.1:5555", nil, "10.0.0.1:5555"},
		{"empty header", "10.0.0.1:5555", []string{""}, "10.0.0.1:5555"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := remoteAddr(t, testProxies, tt.peer, tt.xff)
			if got != tt.want {
				t.Fatalf("peer %s, X-Forwarded-For %q: RemoteAddr %q, want %q", tt.peer, tt.xff, got, tt.want)
			}
			if got != tt.peer {
				// A rewritten address still splits as net/http's do.
				if _, _, err := net.SplitHostPort(got); err != nil {
					t.Fatalf("RemoteAddr %q: %v", got, err)
				}
			}
		})
	}
}

// With no trusted proxy the header is never read, however it looks.
func TestRealIPTrustsNoneByDefault(t *testing.T) {
	t.Parallel()
	for _, trusted := range [][]netip.Prefix{nil, {}, {netip.Prefix{}}} {
		if got := remoteAddr(t, trusted, "127.0.0.1:5555", []string{"203.0.113.9"}); got != "127.0.0.1:5555" {
			t.Errorf("trusted %v: RemoteAddr %q", trusted, got)
		}
	}
	// Host bits and an IPv4-mapped form in the given prefixes are fine.
	odd := []netip.Prefix{netip.MustParsePrefix("10.1.2.3/8"), netip.MustParsePrefix("::ffff:192.0.2.0/120")}
	for _, peer := range []string{"10.200.0.1:1", "192.0.2.77:1"} {
		if got := remoteAddr(t, odd, peer, []string{"203.0.113.9"}); got != "203.0.113.9:0" {
			t.Errorf("peer %s: RemoteAddr %q", peer, got)
		}
	}
}

type noop struct{}

func (noop) ServeHTTP(http.ResponseWriter, *http.Request) {}

// The middleware costs nothing unless it has something to do.
func TestRealIPAllocations(t *testing.T) {
	var next http.Handler = noop{}
	if h := realIP(nil, next); h != next {
		t.Fatal("with no trusted proxies realIP wraps the handler")
	}
	h := realIP(testProxies, next)
	w := httptest.NewRecorder()
	tests := []struct {
		name string
		peer string
		want float64
	}{
		{"untrusted peer", "198.51.100.7:4000", 0},
		{"trusted peer", "10.0.0.1:5555", 1}, // the new address string
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Add("X-Forwarded-For", "192.0.2.1, 203.0.113.9, 10.0.0.2")
		n := testing.AllocsPerRun(100, func() {
			r.RemoteAddr = tt.peer
			h.ServeHTTP(w, r)
		})
		if n > tt.want {
			t.Errorf("%s: %v allocations per request, want at most %v", tt.name, n, tt.want)
		}
	}
}

// Over a real listener: the trusted loopback peer's header names the
// client for the handlers, the metrics still see the route, and a server
// that trusts nobody ignores the header.
func TestRealIPOverTCP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		trusted []netip.Prefix
		xff     string
		want    string // the host the handler saw; "" for the loopback peer
	}{
		{"trusted loopback", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, "192.0.2.1, 203.0.113.9", "203.0.113.9"},
		{"trusted loopback, IPv6 client", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "2001:db8::9", "2001:db8::9"},
		{"nobody trusted", nil, "203.0.113.9", ""},
		{"another network trusted", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "203.0.113.9", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := New(Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
				Ready: func(context.Context) error { return nil }, TrustedProxies: tt.trusted, MetricsToken: testMetricsToken})
			s.Mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.RemoteAddr) })
			s.Mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
			if err := s.Listen(); err != nil {
				t.Fatal(err)
			}
			go s.Serve()
			t.Cleanup(func() { s.Shutdown(context.Background()) })
			get := func(path string) (int, string) {
				req, _ := http.NewRequest("GET", "http://"+s.Addr()+path, nil)
				req.Header.Set("X-Forwarded-For", tt.xff)
				req.Header.Set("Authorization", "Bearer "+testMetricsToken)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			_, addr := get("/whoami")
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				t.Fatalf("RemoteAddr %q: %v", addr, err)
			}
			want := tt.want
			if want == "" {
				want = "127.0.0.1"
			}
			if host != want {
				t.Fatalf("handler saw %q, want host %s", addr, want)
			}
			if code, _ := get("/boom"); code != http.StatusInternalServerError {
				t.Errorf("panic behind realIP: %d", code)
			}
			_, m := get("/metrics")
			for _, want := range []string{
				`crisisdesk_http_requests_total{method="GET",route="GET /whoami",status="200"} 1`,
				`crisisdesk_http_requests_total{method="GET",route="GET /boom",status="500"} 1`,
			} {
				if !strings.Contains(m, want) {
					t.Errorf("metrics lack %s", want)
				}
			}
		})
	}
}
