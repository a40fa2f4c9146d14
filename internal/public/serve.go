package public

import (
	"net/http"
	"strings"
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
)

// serve writes e with its validators, answering 304 when the client has
// it and gzip when the client takes it. cc and vary are the Cache-Control
// and Vary values.
func (c *cache) serve(w http.ResponseWriter, r *http.Request, e *entry, cc, vary []string) {
	h := w.Header()
	v := &e.identity
	gz := acceptsGzip(r.Header["Accept-Encoding"])
	if gz {
		v = &e.gzip
	}
	h["Etag"] = v.etag
	h["Last-Modified"] = e.lastModified
	h["Cache-Control"] = cc
	h["Vary"] = vary
	if e.lang != nil {
		h["Content-Language"] = e.lang
	}
	if c.notModified(r, e, v.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz {
		h["Content-Encoding"] = gzipEncoding
	}
	h["Content-Type"] = e.ctype
	h["Content-Length"] = v.length
	h["X-Content-Type-Options"] = noSniff
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(v.body)
	}
}

// notModified applies If-None-Match, or else If-Modified-Since (RFC 9110
// section 13.2.2). If-None-Match compares weakly with the ETag of the
// encoding being served: a cache revalidates what it stored with the
// Accept-Encoding it stored it under. If-Modified-Since is trusted only
// when no outdated version can carry the same date (see cache.fresh).
func (c *cache) notModified(r *http.Request, e *entry, etag string) bool {
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
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
	ims := r.Header["If-Modified-Since"]
	if len(ims) == 0 {
		return false
	}
	t, err := http.ParseTime(ims[0])
	return err == nil && c.fresh(e, t)
}

// acceptsGzip reports whether Accept-Encoding values take gzip with a
// quality above zero, named or as "*".
func acceptsGzip(values []string) bool {
	star := false
	for _, list := range values {
		for list != "" {
			var part string
			part, list, _ = strings.Cut(list, ",")
			name, params, _ := strings.Cut(part, ";")
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				return positiveQuality(params)
			case name == "*":
				star = positiveQuality(params)
			}
		}
	}
	return star
}

// positiveQuality reports whether the parameters of one Accept-Encoding
// item give it a quality above zero: no q, or a q with a non-zero digit
// (RFC 9110 section 12.4.2).
func positiveQuality(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return strings.ContainsAny(v, "123456789")
	}
	return true
}
