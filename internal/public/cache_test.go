package public

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func htmlDoc(body string) rendered {
	return rendered{body: []byte(body), ctype: "text/html; charset=utf-8", lang: "en"}
}

// A surge that arrives while a page renders waits for that one render.
func TestCacheRendersOnceForConcurrentReaders(t *testing.T) {
	t.Parallel()
	c := newCache()
	k := cacheKey{"/", "en"}
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (*entry, error) {
		renders.Add(1)
		<-release
		return newEntry(htmlDoc("home"), t0), nil
	}
	var wg sync.WaitGroup
	got := make([]*entry, 50)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := c.get(k, t0, render)
			if err != nil {
				t.Error(err)
			}
			got[i] = e
		}()
	}
	// Let the readers pile up behind the first render, then release it.
	for c.waiting(k) == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for one page, want 1", n)
	}
	for i, e := range got {
		if e != got[0] {
			t.Fatalf("reader %d got another entry", i)
		}
	}
}

// waiting reports whether a render of k is in flight.
func (c *cache) waiting(k cacheKey) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.inflight)
}

// A render that began before a change is served to those who asked for
// it, but never stored after the change.
func TestCacheNeverKeepsARenderFromBeforeAChange(t *testing.T) {
	t.Parallel()
	c := newCache()
	k := cacheKey{"/", "en"}
	version := "old"
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan *entry)
	go func() {
		e, _ := c.get(k, t0, func() (*entry, error) {
			close(started)
			<-release
			return newEntry(htmlDoc(version), t0), nil
		})
		done <- e
	}()
	<-started
	c.drop() // the change lands while "old" renders
	close(release)
	if e := <-done; string(e.identity.body) != "old" {
		t.Fatalf("first reader got %q", e.identity.body)
	}
	version = "new"
	e, err := c.get(k, t0, func() (*entry, error) { return newEntry(htmlDoc(version), t0), nil })
	if err != nil || string(e.identity.body) != "new" {
		t.Fatalf("after the change: %q, %v", e.identity.body, err)
	}
}

func TestCacheDoesNotKeepErrorsOrPanics(t *testing.T) {
	t.Parallel()
	c := newCache()
	k := cacheKey{"/notices/1", "en"}
	if _, err := c.get(k, t0, func() (*entry, error) { return nil, errors.New("database down") }); err == nil {
		t.Fatal("no error")
	}
	if _, err := c.get(k, t0, func() (*entry, error) { panic("template bug") }); err == nil {
		t.Fatal("panic not turned into an error")
	}
	e, err := c.get(k, t0, func() (*entry, error) { return newEntry(htmlDoc("ok"), t0), nil })
	if err != nil || string(e.identity.body) != "ok" {
		t.Fatalf("after errors: %v", err)
	}
	if e2, _ := c.get(k, t0.Add(maxAge-time.Second), nil); e2 != e {
		t.Error("entry not kept")
	}
	e3, _ := c.get(k, t0.Add(maxAge), func() (*entry, error) { return newEntry(htmlDoc("ok"), t0.Add(maxAge)), nil })
	if e3 == e {
		t.Error("entry kept past maxAge")
	}
}

// condGet asks c to serve e for one request with the given headers.
func condGet(c *cache, e *entry, method string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	c.serve(w, r, e, publicCache, varyLanguage)
	return w
}

func TestServeConditional(t *testing.T) {
	t.Parallel()
	c := newCache()
	e := newEntry(htmlDoc("<p>hello</p>"), t0.Add(500*time.Millisecond))
	lm := t0.Format(http.TimeFormat)
	plain, gz := e.identity.etag[0], e.gzip.etag[0]
	tests := []struct {
		name   string
		method string
		header []string
		want   int
		etag   string
	}{
		{"no validators", "GET", nil, 200, plain},
		{"matching etag", "GET", []string{"If-None-Match", plain}, 304, plain},
		{"weak form matches", "GET", []string{"If-None-Match", "W/" + plain}, 304, plain},
		{"one of a list", "GET", []string{"If-None-Match", `"x", ` + plain + `, "y"`}, 304, plain},
		{"split over two fields", "GET", []string{"If-None-Match", `"x"`, "If-None-Match", plain}, 304, plain},
		{"star", "GET", []string{"If-None-Match", "*"}, 304, plain},
		{"other etag", "GET", []string{"If-None-Match", `"other"`}, 200, plain},
		{"gzip etag for gzip", "GET", []string{"Accept-Encoding", "gzip", "If-None-Match", gz}, 304, gz},
		{"identity etag for gzip", "GET", []string{"Accept-Encoding", "gzip", "If-None-Match", plain}, 200, gz},
		{"gzip etag for identity", "GET", []string{"If-None-Match", gz}, 200, plain},
		{"etag wins over date", "GET", []string{"If-None-Match", `"other"`, "If-Modified-Since", lm}, 200, plain},
		{"same date", "GET", []string{"If-Modified-Since", lm}, 304, plain},
		{"later date", "GET", []string{"If-Modified-Since", t0.Add(time.Hour).Format(http.TimeFormat)}, 304, plain},
		{"earlier date", "GET", []string{"If-Modified-Since", t0.Add(-time.Second).Format(http.TimeFormat)}, 200, plain},
		{"bad date", "GET", []string{"If-Modified-Since", "yesterday"}, 200, plain},
		{"head", "HEAD", nil, 200, plain},
		{"head revalidated", "HEAD", []string{"If-None-Match", plain}, 304, plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := condGet(c, e, tt.method, tt.header...)
			h := w.Header()
			if w.Code != tt.want || h.Get("ETag") != tt.etag || h.Get("Last-Modified") != lm ||
				h.Get("Vary") != "Accept-Encoding, Accept-Language, Cookie" || h.Get("Cache-Control") != publicCache[0] {
				t.Fatalf("%d %v, want %d with ETag %s", w.Code, h, tt.want, tt.etag)
			}
			switch {
			case w.Code == 304 || tt.method == "HEAD":
				if w.Body.Len() != 0 {
					t.Errorf("body on %s %d", tt.method, w.Code)
				}
			case w.Body.String() != "<p>hello</p>" && h.Get("Content-Encoding") == "":
				t.Errorf("body %q", w.Body)
			}
			if w.Code == 200 {
				want := e.identity
				if h.Get("Content-Encoding") == "gzip" {
					want = e.gzip
				}
				if h.Get("Content-Length") != strconv.Itoa(len(want.body)) || h.Get("Content-Type") != "text/html; charset=utf-8" {
					t.Errorf("headers %v", h)
				}
			}
		})
	}
}

// Last-Modified has whole seconds. When a change lands in the second a
// client's copy was rendered in, that date no longer proves the copy is
// current: the next request gets the new version.
func TestIfModifiedSinceAcrossAChangeInOneSecond(t *testing.T) {
	t.Parallel()
	c := newCache()
	k := cacheKey{"/", "en"}
	get := func(body string, at time.Time) *entry {
		e, err := c.get(k, at, func() (*entry, error) { return newEntry(htmlDoc(body), at), nil })
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	old := get("old", t0.Add(100*time.Millisecond))
	lm := old.lastModified[0]
	if w := condGet(c, old, "GET", "If-Modified-Since", lm); w.Code != 304 {
		t.Fatalf("unchanged page: %d", w.Code)
	}
	c.drop()
	cur := get("new", t0.Add(900*time.Millisecond))
	if cur.lastModified[0] != lm {
		t.Fatalf("test needs both versions in one second: %s, %s", cur.lastModified[0], lm)
	}
	if w := condGet(c, cur, "GET", "If-Modified-Since", lm); w.Code != 200 || w.Body.String() != "new" {
		t.Fatalf("copy from before the change revalidated: %d %q", w.Code, w.Body)
	}
	// A later render has a later date, which proves freshness again.
	c.drop()
	later := get("new", t0.Add(1500*time.Millisecond))
	if w := condGet(c, later, "GET", "If-Modified-Since", later.lastModified[0]); w.Code != 304 {
		t.Fatalf("current copy: %d", w.Code)
	}
	// The same holds when a page expires and renders differently without
	// an event.
	c2 := newCache()
	a, _ := c2.get(k, t0, func() (*entry, error) { return newEntry(htmlDoc("a"), t0), nil })
	a.until = t0 // expired
	b, _ := c2.get(k, t0.Add(time.Millisecond), func() (*entry, error) { return newEntry(htmlDoc("b"), t0), nil })
	if w := condGet(c2, b, "GET", "If-Modified-Since", a.lastModified[0]); w.Code != 200 {
		t.Fatalf("expired version revalidated: %d", w.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true},
		{[]string{"br;q=1.0, gzip;q=0.5"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"identity"}, false},
		{[]string{"br", "gzip"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"deflate;q=0.5, *;q=0.1"}, true},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// Serving a cached page allocates nothing: a surge costs the network, not
// the garbage collector.
func TestServeAllocatesNothing(t *testing.T) {
	c := newCache()
	e := newEntry(htmlDoc("<p>hello</p>"), t0)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Encoding", "gzip, deflate")
	r.Header.Set("If-None-Match", `"x"`)
	w := &nullWriter{h: http.Header{}}
	if n := testing.AllocsPerRun(100, func() { c.serve(w, r, e, publicCache, varyLanguage) }); n != 0 {
		t.Errorf("%v allocations per response", n)
	}
}

type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(int)             {}
