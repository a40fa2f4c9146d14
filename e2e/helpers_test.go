package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that a process or a logger may write while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// checkOneLine reports unless s, less one trailing newline, is a single
// non-empty line that is not a panic or a stack trace. It returns that
// line.
func checkOneLine(t *testing.T, what, s string) string {
	t.Helper()
	line := strings.TrimSuffix(s, "\n")
	switch {
	case strings.TrimSpace(line) == "":
		t.Errorf("%s: want one line, got nothing", what)
	case strings.Contains(line, "\n"):
		t.Errorf("%s: want one line, got %d:\n%s", what, strings.Count(line, "\n")+1, s)
	case strings.Contains(line, "panic") || strings.Contains(line, "goroutine "):
		t.Errorf("%s: looks like a crash, not an error message: %s", what, line)
	}
	return line
}

// httpGet fetches a URL on the loopback interface with a bounded time and
// returns the status and body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("refusing to fetch %s: tests talk only to 127.0.0.1", url)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}
