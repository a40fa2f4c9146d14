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

func newTest(t *testing.T, ready Checker) *Server {
	t.Helper()
	s := New(Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Ready: ready})
	s.Mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	s.Mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.PathValue("id")) })
	return s
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
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
