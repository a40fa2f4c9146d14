package public

import (
	"net/http"
	"strings"

	"crisisdesk/internal/httpsec"
)

// Header values shared by every response. They are assigned to the header
// map as they are (the keys in canonical form), so that serving a cached
// response formats and allocates no header. net/http only reads them.
var (
	// publicCache suits a CDN: fresh for 30 s, then served stale for a
	// minute while it revalidates (cheaply, by ETag).
	publicCache = []string{"public, max-age=30, stale-while-revalidate=60"}
	// privateCache is for a response that sets the language cookie: a
	// shared cache must not hand that cookie to others.
	privateCache   = []string{"private, no-cache"}
	immutableCache = []string{"public, max-age=31536000, immutable"}
	// varyLanguage is for documents in the reader's language, chosen by
	// the language cookie or Accept-Language; varyEncoding for the others.
	varyLanguage = []string{"Accept-Encoding, Accept-Language, Cookie"}
	varyEncoding = []string{"Accept-Encoding"}
	gzipEncoding = []string{"gzip"}
	noSniff      = []string{"nosniff"}
	// pagePolicy and frameDeny are the security headers of an HTML page
	// (package httpsec), sent both ways alike.
	pagePolicy = []string{httpsec.ContentSecurityPolicy}
	frameDeny  = []string{httpsec.FrameOptions}
)

// answer is what one request to a cached document gets: the status, the
// encoding served and every header value, decided once for both ways of
// sending it (net/http in serve, the fast path in fast.go), so that the
// two cannot drift apart.
type answer struct {
	status int
	v      *variant
	fields [12]field
	n      int // fields in use
}

// field is one header, its name in canonical form.
type field struct {
	name  string
	value []string
}

// decide answers a request for e with the given Accept-Encoding,
// If-None-Match and If-Modified-Since values: 304 when the client has e,
// gzip when it takes it. cc and vary are the Cache-Control and Vary values.
func (c *cache) decide(a *answer, e *entry, acceptEncoding, ifNoneMatch, ifModifiedSince []string, cc, vary []string) {
	a.v, a.n = &e.identity, 0
	gz := acceptsGzip(acceptEncoding)
	if gz {
		a.v = &e.gzip
	}
	a.status = http.StatusOK
	if c.notModified(ifNoneMatch, ifModifiedSince, e, a.v.etag[0]) {
		a.status = http.StatusNotModified
	}
	ok := a.status == http.StatusOK
	// Sorted by name, the order net/http writes a header map in, so that
	// the fast path sends the same bytes.
	a.add("Cache-Control", cc)
	if ok && gz {
		a.add("Content-Encoding", gzipEncoding)
	}
	if e.lang != nil {
		a.add("Content-Language", e.lang)
	}
	if ok {
		a.add("Content-Length", a.v.length)
		if e.page {
			a.add("Content-Security-Policy", pagePolicy)
		}
		a.add("Content-Type", e.ctype)
	}
	a.add("Etag", a.v.etag)
	a.add("Last-Modified", e.lastModified)
	a.add("Vary", vary)
	if ok {
		a.add("X-Content-Type-Options", noSniff)
		if e.page {
			a.add("X-Frame-Options", frameDeny)
		}
	}
}

func (a *answer) add(name string, value []string) {
	a.fields[a.n] = field{name, value}
	a.n++
}

// serve writes e with its validators through net/http.
func (c *cache) serve(w http.ResponseWriter, r *http.Request, e *entry, cc, vary []string) {
	var a answer
	c.decide(&a, e, r.Header["Accept-Encoding"], r.Header["If-None-Match"], r.Header["If-Modified-Since"], cc, vary)
	h := w.Header()
	for _, f := range a.fields[:a.n] {
		h[f.name] = f.value
	}
	w.WriteHeader(a.status)
	if a.status == http.StatusOK && r.Method != http.MethodHead {
		w.Write(a.v.body)
	}
}

// notModified applies If-None-Match, or else If-Modified-Since (RFC 9110
// section 13.2.2). If-None-Match compares weakly with the ETag of the
// encoding being served: a cache revalidates what it stored with the
// Accept-Encoding it stored it under. If-Modified-Since is trusted only
// when no outdated version can carry the same date (see cache.fresh).
func (c *cache) notModified(inm, ims []string, e *entry, etag string) bool {
	if len(inm) > 0 {
		for _, list := range inm {
			for list != "" {
				var t string
				t, list, _ = strings.Cut(list, ",")
				t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
				if t == "*" || t == etag {
					return true
				}
			}
		}
		return false
	}
	if len(ims) == 0 {
		return false
	}
	t, err := http.ParseTime(ims[0])
	return err == nil && c.fresh(e, t)
}

// acceptsGzip reports whether Accept-Encoding values take gzip
// (httpsec.AcceptsGzip, which the staff UI uses too).
func acceptsGzip(values []string) bool { return httpsec.AcceptsGzip(values) }
