package kit

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"sync"

	"crisisdesk/internal/httpsec"
)

// minGzip is the smallest body worth compressing: below it the gzip
// header and the CPU cost more than they save.
const minGzip = 512

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipBytes compresses b.
func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	gzipWriters.Put(zw)
	return out.Bytes()
}

// writeBody writes a whole response body, gzip-compressed when the
// client takes gzip and the body is big enough, as the public site does.
func writeBody(w http.ResponseWriter, r *http.Request, status int, b []byte) {
	hd := w.Header()
	hd.Add("Vary", "Accept-Encoding")
	if len(b) >= minGzip && r != nil && httpsec.AcceptsGzip(r.Header["Accept-Encoding"]) {
		b = gzipBytes(b)
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Del("Content-Length")
	w.WriteHeader(status)
	if r == nil || r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}
