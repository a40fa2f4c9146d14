package fastpath

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/fastpath/fastpathtest"
)

// FuzzConn holds the fast path to answering a whole connection as net/http
// answers it: across requests, pipelined or not, with the read buffer
// reused, compacted and refilled between them, and with hand-overs to
// net/http at any point. The input is the bytes a client sends on one
// connection, and the size of the pieces it sends them in (0: at once).
// Both servers answer every request with the same echo of every field
// the fast path reads (echoAnswer), so that a field read from a stale or
// misplaced part of the buffer, a request answered twice or not at all,
// or a hand-over that loses or repeats bytes, changes the transcript.
// The fast path's transcript must be net/http's, byte for byte, Date
// aside.
//
// Its seeds are in testdata/fuzz/FuzzConn, and run with go test.
func FuzzConn(f *testing.F) {
	fast, ref := echoServers(f)
	f.Fuzz(func(t *testing.T, stream []byte, piece uint8) {
		if len(stream) > 64<<10 {
			return // past net/http's MaxHeaderBytes, which these tests do not vary
		}
		type result struct {
			b   []byte
			err error
		}
		a, b := make(chan result, 1), make(chan result, 1)
		go func() { got, err := fastpathtest.Converse(fast, stream, int(piece), safety); a <- result{got, err} }()
		go func() { got, err := fastpathtest.Converse(ref, stream, int(piece), safety); b <- result{got, err} }()
		ra, rb := <-a, <-b
		if msg := fastpathtest.Compare(ra.b, ra.err, rb.b, rb.err); msg != "" {
			t.Errorf("%q in pieces of %d: %s", stream, piece, msg)
		}
	})
}

// echoServers starts a Front answering with echoRespond, except paths
// under /h, which it hands to net/http, and net/http alone answering
// with echoHandler. Both have the production server's header limits.
func echoServers(f *testing.F) (fast, ref string) {
	newServer := func() *http.Server {
		return &http.Server{Handler: http.HandlerFunc(echoHandler), ReadHeaderTimeout: 10 * time.Second,
			MaxHeaderBytes: 64 << 10, ErrorLog: log.New(io.Discard, "", 0)}
	}
	listen := func() net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.Fatal(err)
		}
		return ln
	}
	ln := listen()
	front := New(newServer(), Options{Respond: echoRespond})
	go front.Serve(ln)
	refLn := listen()
	srv := newServer()
	go srv.Serve(refLn)
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), safety)
		defer cancel()
		front.Shutdown(ctx)
		srv.Shutdown(ctx)
	})
	return ln.Addr().String(), refLn.Addr().String()
}

// echoAnswer is the body both servers answer with.
func echoAnswer(method, path, query string, ae, al, cookie, inm, ims string, hasCookie, hasINM, hasIMS bool) []byte {
	return fmt.Appendf(nil, "%s %q %q\nAccept-Encoding %q\nAccept-Language %q\nCookie %t %q\nIf-None-Match %t %q\nIf-Modified-Since %t %q\n",
		method, path, query, ae, al, hasCookie, cookie, hasINM, inm, hasIMS, ims)
}

func echoRespond(req *Request, resp *Response) bool {
	if strings.HasPrefix(req.Path, "/h") {
		return false
	}
	method := http.MethodGet
	if req.Head {
		method = http.MethodHead
	}
	resp.Body = echoAnswer(method, req.Path, req.Query, req.AcceptEncoding, req.AcceptLanguage, req.Cookie,
		req.IfNoneMatch, req.IfModifiedSince, req.HasCookie, req.HasIfNoneMatch, req.HasIfModifiedSince)
	// Sorted by name, as net/http writes a header map.
	h := append(resp.Header, "Content-Length: "...)
	h = strconv.AppendInt(h, int64(len(resp.Body)), 10)
	h = append(h, "\r\nContent-Type: text/plain; charset=utf-8\r\n"...)
	resp.Header, resp.Status, resp.Route = h, http.StatusOK, "echo"
	return true
}

func echoHandler(w http.ResponseWriter, r *http.Request) {
	_, hasCookie := r.Header["Cookie"]
	_, hasINM := r.Header["If-None-Match"]
	_, hasIMS := r.Header["If-Modified-Since"]
	body := echoAnswer(r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Accept-Encoding"), r.Header.Get("Accept-Language"),
		r.Header.Get("Cookie"), r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), hasCookie, hasINM, hasIMS)
	h := w.Header()
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["Content-Type"] = []string{"text/plain; charset=utf-8"}
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
