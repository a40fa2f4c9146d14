package public

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxAge bounds how long a rendered response is kept even when no event
// arrives: a safety net for a missed event, not the way changes show.
const maxAge = 5 * time.Minute

// maxEntries bounds the cache; past it the whole cache is dropped, which
// only costs re-rendering.
const maxEntries = 10000

// cacheControl suits a CDN: fresh for 30 s, then served stale for a
// minute while it revalidates (cheaply, by ETag).
const cacheControl = "public, max-age=30, stale-while-revalidate=60"

// rendered is what a page or feed renderer returns.
type rendered struct {
	body  []byte
	ctype string
	lang  string    // Content-Language; "" for none
	until time.Time // zero: maxAge from now
}

// entry is one rendered response, ready to serve.
type entry struct {
	body, gz []byte
	etag     string // strong, quoted; the gzip variant appends "-gz"
	modified time.Time
	ctype    string
	lang     string
	until    time.Time
}

func newEntry(r rendered, now time.Time) *entry {
	sum := sha256.Sum256(r.body)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(r.body)
	zw.Close()
	until := now.Add(maxAge)
	if !r.until.IsZero() && r.until.Before(until) {
		until = r.until
	}
	return &entry{
		body: r.body, gz: gz.Bytes(),
		etag:     base64.RawURLEncoding.EncodeToString(sum[:16]),
		modified: now.UTC().Truncate(time.Second),
		ctype:    r.ctype, lang: r.lang, until: until,
	}
}

type cacheKey struct{ path, lang string }

// cache holds rendered responses. drop bumps the generation, so a render
// that began before a change is never stored after it.
type cache struct {
	mu       sync.Mutex
	gen      uint64
	entries  map[cacheKey]*entry
	inflight map[cacheKey]*call
}

// call is one render others wait for, so a surge after a change renders
// each page once.
type call struct {
	done chan struct{}
	e    *entry
	err  error
}

func newCache() *cache {
	return &cache{entries: map[cacheKey]*entry{}, inflight: map[cacheKey]*call{}}
}

func (c *cache) drop() {
	c.mu.Lock()
	c.gen++
	c.entries = map[cacheKey]*entry{}
	c.inflight = map[cacheKey]*call{}
	c.mu.Unlock()
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// get returns the entry for k, rendering it once when it is missing or
// stale. Errors are not cached.
func (c *cache) get(k cacheKey, now time.Time, render func() (*entry, error)) (*entry, error) {
	c.mu.Lock()
	if e, ok := c.entries[k]; ok && now.Before(e.until) {
		c.mu.Unlock()
		return e, nil
	}
	if cl, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		<-cl.done
		return cl.e, cl.err
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[k] = cl
	gen := c.gen
	c.mu.Unlock()

	func() {
		// A panicking render must not leave its waiters blocked for ever.
		defer func() {
			if p := recover(); p != nil {
				cl.e, cl.err = nil, fmt.Errorf("public: render panicked: %v", p)
			}
			close(cl.done)
		}()
		cl.e, cl.err = render()
	}()

	c.mu.Lock()
	if c.gen == gen {
		delete(c.inflight, k)
		if cl.err == nil {
			if len(c.entries) >= maxEntries {
				c.entries = map[cacheKey]*entry{}
			}
			c.entries[k] = cl.e
		}
	}
	c.mu.Unlock()
	return cl.e, cl.err
}

// serve writes e with its validators, answering 304 when the client has it
// and gzip when the client takes it.
func serve(w http.ResponseWriter, r *http.Request, e *entry, cc string) {
	h := w.Header()
	gz := acceptsGzip(r.Header.Get("Accept-Encoding"))
	etag := `"` + e.etag + `"`
	if gz {
		etag = `"` + e.etag + `-gz"`
	}
	h.Set("ETag", etag)
	h.Set("Last-Modified", e.modified.Format(http.TimeFormat))
	h.Set("Cache-Control", cc)
	h.Set("Vary", "Accept-Encoding, Accept-Language, Cookie")
	if e.lang != "" {
		h.Set("Content-Language", e.lang)
	}
	if notModified(r, e) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := e.body
	if gz {
		body = e.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", e.ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies If-None-Match, or else If-Modified-Since (RFC 9110
// section 13.2.2). Either variant's ETag matches: they are the same
// content.
func notModified(r *http.Request, e *entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == `"`+e.etag+`"` || t == `"`+e.etag+`-gz"` {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !e.modified.After(t)
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header takes gzip with a
// quality above zero.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return !strings.HasPrefix(params, "q=0") || strings.HasPrefix(params, "q=0.") && strings.Trim(params[4:], "0") != ""
	}
	return false
}
