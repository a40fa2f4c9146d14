package public

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"crisisdesk/internal/i18n"
)

// maxAge bounds how long a rendered response is kept even when no event
// arrives: a safety net for a missed event, not the way changes show.
const maxAge = 5 * time.Minute

// maxEntries bounds the cache; past it the whole cache is dropped, which
// only costs re-rendering. Keys are canonical paths of things that exist
// (see pathID), so only real content fills it.
const maxEntries = 10000

// rendered is what a page or feed renderer returns.
type rendered struct {
	body  []byte
	ctype string
	lang  string    // Content-Language; "" for none
	until time.Time // zero: maxAge from now
}

// variant is one encoding of a response with its header values ready, so
// that serving it formats and allocates nothing.
type variant struct {
	body   []byte
	etag   []string // {`"TAG"`} or {`"TAG-gz"`}
	length []string // {Content-Length}
}

// entry is one rendered response, ready to serve: both encodings and every
// header value, computed once per change.
type entry struct {
	identity, gzip variant
	modified       time.Time // Last-Modified, whole seconds
	lastModified   []string
	ctype          []string
	lang           []string // {Content-Language}; nil for none
	page           bool     // an HTML page: it gets the security headers
	until          time.Time
}

func newEntry(r rendered, now time.Time) *entry {
	sum := sha256.Sum256(r.body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:16])
	var gz bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&gz)
	zw.Write(r.body)
	zw.Close()
	gzipWriters.Put(zw)
	until := now.Add(maxAge)
	if !r.until.IsZero() && r.until.Before(until) {
		until = r.until
	}
	modified := now.UTC().Truncate(time.Second)
	e := &entry{
		identity:     variant{body: r.body, etag: []string{`"` + tag + `"`}, length: []string{strconv.Itoa(len(r.body))}},
		gzip:         variant{body: gz.Bytes(), etag: []string{`"` + tag + `-gz"`}, length: []string{strconv.Itoa(gz.Len())}},
		modified:     modified,
		lastModified: []string{modified.Format(http.TimeFormat)},
		ctype:        []string{r.ctype},
		page:         strings.HasPrefix(r.ctype, "text/html"),
		until:        until,
	}
	if r.lang != "" {
		e.lang = []string{ownLang(r.lang)}
	}
	return e
}

// gzipWriters keeps compressors between renders: a new one allocates
// about a megabyte of state, more than compressing a page costs.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestCompression)
	return zw
}}

// cacheKey is what the cache finds an entry by: the path, and the
// language for documents in the reader's language ("" for the others).
type cacheKey struct{ path, lang string }

// owned returns k sharing no memory with a request. The cache keeps its
// keys as long as their entries, and a request's strings may be views of
// a connection's read buffer, which the next request rewrites (see
// fastpath.Request): a key that changes under the map is a wrong answer
// for every visitor, and a data race.
func (k cacheKey) owned() cacheKey {
	return cacheKey{path: strings.Clone(k.path), lang: ownLang(k.lang)}
}

// ownLang returns lang as one of the constants of i18n.Languages, or a
// copy of anything else.
func ownLang(lang string) string {
	if l, ok := i18n.Canonical(lang); ok {
		return l
	}
	return strings.Clone(lang)
}

// cache holds rendered responses. Hits take a read lock only. drop bumps
// the generation, so a render that began before a change is never stored
// after it.
//
// Last-Modified is the second a response was rendered, so two versions of
// a page rendered in the same second share it. stale keeps the newest
// Last-Modified of any version that is no longer current, so that
// If-Modified-Since proves freshness only past it (see fresh). Across
// replicas, which render at their own moments, the ETag (a hash of the
// bytes, the same on every replica) is the validator to rely on.
type cache struct {
	mu       sync.RWMutex
	gen      uint64
	entries  map[cacheKey]*entry
	inflight map[cacheKey]*call
	newest   time.Time    // newest Last-Modified in this generation
	stale    atomic.Int64 // Unix seconds; newest Last-Modified no longer current
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

// drop forgets every entry.
func (c *cache) drop() {
	c.mu.Lock()
	c.gen++
	c.outdate(c.newest)
	c.newest = time.Time{}
	c.entries = map[cacheKey]*entry{}
	c.inflight = map[cacheKey]*call{}
	c.mu.Unlock()
}

// outdate records that a version last modified at t is no longer current.
func (c *cache) outdate(t time.Time) {
	if s := t.Unix(); !t.IsZero() && s > c.stale.Load() {
		c.stale.Store(s)
	}
}

// fresh reports whether a client holding the version last modified at ims
// (an If-Modified-Since) has e: e is not newer, and no outdated version
// may carry that date.
func (c *cache) fresh(e *entry, ims time.Time) bool {
	return !e.modified.After(ims) && ims.Unix() > c.stale.Load()
}

// peek returns the entry for k if it is cached and current.
func (c *cache) peek(k cacheKey, now time.Time) (*entry, bool) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e, true
	}
	return nil, false
}

// get returns the entry for k, rendering it once when it is missing or
// stale. Errors are not cached.
func (c *cache) get(k cacheKey, now time.Time, render func() (*entry, error)) (*entry, error) {
	if e, ok := c.peek(k, now); ok {
		return e, nil
	}

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
	k = k.owned() // kept in inflight, then in entries
	c.inflight[k] = cl
	gen := c.gen
	c.mu.Unlock()

	// The waiters are released only once the entry is stored and the cache
	// knows of it (store), so that nobody serves a version the cache has
	// not accounted for.
	defer close(cl.done)
	func() {
		// A panicking render must not leave its waiters blocked for ever.
		defer func() {
			if p := recover(); p != nil {
				cl.e, cl.err = nil, fmt.Errorf("public: render panicked: %v", p)
			}
		}()
		cl.e, cl.err = render()
	}()
	c.store(k, gen, cl)
	return cl.e, cl.err
}

// store keeps what cl rendered for k in generation gen, unless the cache
// was dropped meanwhile: then the version, which its waiters still get,
// is outdated at once.
func (c *cache) store(k cacheKey, gen uint64, cl *call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		if cl.err == nil {
			c.outdate(cl.e.modified)
		}
		return
	}
	delete(c.inflight, k)
	if cl.err != nil {
		return
	}
	if prev, ok := c.entries[k]; ok && prev.identity.etag[0] != cl.e.identity.etag[0] {
		c.outdate(prev.modified)
	}
	if len(c.entries) >= maxEntries {
		c.outdate(c.newest) // what is evicted may differ when rendered again
		c.entries = map[cacheKey]*entry{}
	}
	c.entries[k] = cl.e
	if cl.e.modified.After(c.newest) {
		c.newest = cl.e.modified
	}
}
