package live

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestStreamDeliversAndEndsOnClose(t *testing.T) {
	t.Parallel()
	b := NewBroker()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.Stream(r.Context(), w, CrisisTopic(7))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	for b.Subscribers(CrisisTopic(7)) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	b.Publish(CrisisTopic(8), Event{Type: "task", ID: 99}) // another crisis: not seen
	b.Publish(CrisisTopic(7), Event{Type: "task", ID: 5})
	r := bufio.NewReader(resp.Body)
	var got []string
	for len(got) < 2 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, got)
		}
		if strings.HasPrefix(line, "event:") || strings.HasPrefix(line, "data:") {
			got = append(got, strings.TrimSpace(line))
		}
	}
	if got[0] != "event: task" || got[1] != `data: {"type":"task","id":5}` {
		t.Fatalf("stream %q", got)
	}
	b.Close()
	done := make(chan error, 1)
	go func() {
		_, err := r.ReadString(0)
		done <- err
	}()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatal("the stream outlived Close")
	}
}
