package public_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"crisisdesk/internal/fastpath"
	"crisisdesk/internal/server"
)

// discard is a ResponseWriter that keeps nothing, so that a benchmark
// measures the handler chain and not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkServe measures one public request through the whole handler
// chain the server runs (recovery, metrics, mux), without the network.
func BenchmarkServe(b *testing.B) {
	s := newSite(b)
	srv := server.New(server.Options{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry()})
	s.pub.Register(srv.Mux)
	h := srv.Handler()
	cases := []struct {
		name   string
		path   string
		header []string
	}{
		{"home", "/", []string{"Accept-Language", "en"}},
		{"home-gzip", "/", []string{"Accept-Language", "en", "Accept-Encoding", "gzip, deflate, br"}},
		{"home-304", "/", []string{"Accept-Language", "en"}},
		{"feed", "/feed.atom", nil},
		{"feed-gzip", "/feed.atom", []string{"Accept-Encoding", "gzip"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, c.path, nil)
			for i := 0; i+1 < len(c.header); i += 2 {
				r.Header.Set(c.header[i], c.header[i+1])
			}
			w := &discard{h: http.Header{}}
			h.ServeHTTP(w, r)
			if c.name == "home-304" {
				r.Header.Set("If-None-Match", w.h.Get("ETag"))
			}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkInvalidate measures what a publish costs the site: dropping the
// cache and rendering the hot documents again in every language.
func BenchmarkInvalidate(b *testing.B) {
	s := newSite(b)
	ctx := context.Background()
	for b.Loop() {
		s.pub.Invalidate(ctx)
	}
}

// BenchmarkRespond measures one request on the fast path's side of the
// site: routing, language, cache lookup and the header lines, without the
// network (package fastpath adds reading and writing).
func BenchmarkRespond(b *testing.B) {
	s := newSite(b)
	home := s.get("/", "Accept-Language", "en")
	cases := []struct {
		name string
		req  fastpath.Request
	}{
		{"home", fastpath.Request{Path: "/", AcceptLanguage: "en"}},
		{"home-gzip", fastpath.Request{Path: "/", AcceptLanguage: "en", AcceptEncoding: "gzip, deflate, br"}},
		{"home-304", fastpath.Request{Path: "/", AcceptLanguage: "en", IfNoneMatch: home.header.Get("Etag"), HasIfNoneMatch: true}},
		{"feed", fastpath.Request{Path: "/feed.atom"}},
		{"notice", fastpath.Request{Path: path("/notices/%d", s.correction.ID), AcceptLanguage: "zh-TW,zh;q=0.9"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			resp := fastpath.Response{Header: make([]byte, 0, 512)}
			b.ReportAllocs()
			for b.Loop() {
				resp = fastpath.Response{Header: resp.Header[:0]}
				if !s.pub.Respond(&c.req, &resp) {
					b.Fatal("not answered")
				}
			}
		})
	}
}
