package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// testMetricsToken puts /metrics on the test servers' own address.
const testMetricsToken = "metrics-token-for-tests"

func newTest(t *testing.T, ready Checker) *Server {
	t.Helper()
	s := New(Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Ready: ready,
		MetricsToken: testMetricsToken})
	s.Mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	s.Mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.PathValue("id")) })
	return s
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", path, nil)
	if path == "/metrics" {
		r.Header.Set("Authorization", "Bearer "+testMetricsToken)
	}
	h.ServeHTTP(w, r)
	return w
}

func TestOperationalEndpoints(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var readyErr error
	s := newTest(t, func(context.Context) error { mu.Lock(); defer mu.Unlock(); return readyErr })
	h := s.Handler()
	tests := []struct {
		path string
		want int
		body string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 200, "ready"},
		{"/boom", 500, "internal error"},
		{"/items/7", 200, "7"},
	}
	for _, tt := range tests {
		w := get(t, h, tt.path)
		if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, w.Code, w.Body, tt.want, tt.body)
		}
		if strings.Contains(w.Body.String(), "goroutine") {
			t.Errorf("GET %s leaked a stack trace", tt.path)
		}
	}
	mu.Lock()
	readyErr = errors.New("database unreachable")
	mu.Unlock()
	if w := get(t, h, "/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz while the database is down = %d", w.Code)
	}
	m := get(t, h, "/metrics").Body.String()
	for _, want := range []string{
		`crisisdesk_http_requests_total{method="GET",route="GET /items/{id}",status="200"} 1`,
		`crisisdesk_http_requests_total{method="GET",route="GET /boom",status="500"} 1`,
		`crisisdesk_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// Requests counted from many goroutines at once land on their own route
// and status, and a method nobody routes cannot grow the label set.
func TestMetricsCountConcurrentRequests(t *testing.T) {
	t.Parallel()
	s := newTest(t, func(context.Context) error { return nil })
	s.Mux.HandleFunc("GET /teapot", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := s.Handler()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				for _, p := range []string{"/items/1", "/teapot"} {
					get(t, h, p)
				}
				for _, m := range []string{"BREW", "PROPFIND"} {
					h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(m, "/items/1", nil))
				}
			}
		}()
	}
	wg.Wait()
	m := get(t, h, "/metrics").Body.String()
	for _, want := range []string{
		`crisisdesk_http_requests_total{method="GET",route="GET /items/{id}",status="200"} 400`,
		`crisisdesk_http_requests_total{method="GET",route="GET /teapot",status="418"} 400`,
		`crisisdesk_http_requests_total{method="other",route="unmatched",status="405"} 800`,
		`crisisdesk_http_request_duration_seconds_count{route="GET /teapot"} 400`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "BREW") || strings.Contains(m, "PROPFIND") {
		t.Error("a client's method became a label")
	}
}

func TestListenReportsPortInUse(t *testing.T) {
	t.Parallel()
	s := newTest(t, func(context.Context) error { return nil })
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	defer s.Shutdown(context.Background())
	other := New(Options{Addr: s.Addr(), Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Ready: func(context.Context) error { return nil }})
	err := other.Listen()
	if err == nil || !strings.Contains(err.Error(), s.Addr()) || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second listen: %v", err)
	}
	res, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz over TCP: %v", err)
	}
	res.Body.Close()
}
