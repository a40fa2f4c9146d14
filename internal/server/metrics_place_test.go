package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// /metrics is never beside the public site unless a token guards it: on a
// listener of its own, on the main address behind a bearer token, or
// nowhere. Each mode is tried over real listeners.
func TestMetricsPlacement(t *testing.T) {
	t.Parallel()
	const token = "a-metrics-token-0123"
	type want struct {
		main, mainWithToken, own, ownWithToken int // 0: no listener of its own
	}
	tests := []struct {
		name      string
		ownAddr   bool
		token     string
		want      want
		ownListen bool
	}{
		{"neither: nowhere", false, "", want{main: 404, mainWithToken: 404}, false},
		{"token: main address behind it", false, token, want{main: 401, mainWithToken: 200}, false},
		{"own address", true, "", want{main: 404, mainWithToken: 404, own: 200, ownWithToken: 200}, true},
		{"own address and token", true, token, want{main: 404, mainWithToken: 404, own: 401, ownWithToken: 200}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
				Ready: func(context.Context) error { return nil }, MetricsToken: tt.token}
			if tt.ownAddr {
				opts.MetricsAddr = "127.0.0.1:0"
			}
			s := New(opts)
			if err := s.Listen(); err != nil {
				t.Fatal(err)
			}
			served := make(chan error, 1)
			go func() { served <- s.Serve() }()
			t.Cleanup(func() {
				if err := s.Shutdown(context.Background()); err != nil {
					t.Errorf("shutdown: %v", err)
				}
				if err := <-served; err != nil {
					t.Errorf("serve: %v", err)
				}
			})
			if got := s.MetricsAddr() != ""; got != tt.ownListen {
				t.Fatalf("own metrics listener: %v, want %v", got, tt.ownListen)
			}
			scrape := func(addr, bearer string) (int, string) {
				t.Helper()
				req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
				if bearer != "" {
					req.Header.Set("Authorization", "Bearer "+bearer)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			check := func(where, addr, bearer string, want int) {
				t.Helper()
				code, body := scrape(addr, bearer)
				if code != want {
					t.Errorf("%s: GET /metrics = %d, want %d", where, code, want)
				}
				if has := strings.Contains(body, "crisisdesk_http_requests_total"); has != (code == 200) {
					t.Errorf("%s: answer %d carries the figures: %v", where, code, has)
				}
			}
			check("main address", s.Addr(), "", tt.want.main)
			check("main address with the token", s.Addr(), token, tt.want.mainWithToken)
			check("main address with a wrong token", s.Addr(), token+"x", map[bool]int{true: 401, false: 404}[tt.want.main == 401])
			if tt.ownListen {
				check("own address", s.MetricsAddr(), "", tt.want.own)
				check("own address with the token", s.MetricsAddr(), token, tt.want.ownWithToken)
				if tt.token != "" {
					check("own address with a wrong token", s.MetricsAddr(), "nope", 401)
				}
				// The metrics listener serves nothing else.
				res, err := http.Get("http://" + s.MetricsAddr() + "/healthz")
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("metrics listener answers /healthz with %d, want 404", res.StatusCode)
				}
			}
		})
	}
}

// A metrics address already taken is refused by Listen, naming it, and
// the main address is let go again.
func TestMetricsAddressInUse(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	s := New(Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Ready: func(context.Context) error { return nil }, MetricsAddr: taken.Addr().String()})
	err = s.Listen()
	if err == nil {
		s.CloseListener()
		t.Fatal("Listen took a metrics address already in use")
	}
	if msg := err.Error(); !strings.Contains(msg, taken.Addr().String()) || !strings.Contains(msg, "in use") ||
		!strings.Contains(msg, "/metrics") || strings.Contains(msg, "\n") {
		t.Fatalf("error %q: want one line naming /metrics, the address and that it is in use", msg)
	}
	if err := s.CloseListener(); err != nil {
		t.Fatalf("close after a failed listen: %v", err)
	}
}
