package webhook

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkSend posts webhooks signed under two secrets (a rotation) to a
// local receiver that reads the body and answers 204, from many goroutines
// at once as the delivery engine does. The receiver runs in the same
// process, so its work is counted too. Run with -cpu 2 for the two-core
// figure; "conns" is how many connections were opened in all.
func BenchmarkSend(b *testing.B) {
	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	s := New(Options{})
	defer s.CloseIdleConnections()
	m := message(srv.URL + "/hook")
	m.Secrets = []string{"whsec_C2FsdHktcm90YXRlZC1zZWNyZXQtZm9yLWJlbmNo"}
	ctx := context.Background()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.Send(ctx, m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "webhooks/s")
	b.ReportMetric(float64(opened.Load()), "conns")
}
