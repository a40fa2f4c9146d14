package public_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"crisisdesk/internal/fastpath"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/public"
)

// wireHost is the Host every raw request names.
const wireHost = "alerts.example.org"

// wireSafety bounds every wait on a raw connection, so that a broken
// server fails a test instead of hanging it; it is not a limit on speed.
const wireSafety = 30 * time.Second

// wireRequest is a request head with extra header lines, as a browser
// would send it on a keep-alive connection.
func wireRequest(method, target string, header ...string) string {
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + wireHost + "\r\n")
	for _, h := range header {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// wire is a raw client connection: the test controls every byte sent and
// sees every byte received.
type wire struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func dialWire(t testing.TB, addr string) *wire {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(wireSafety))
	t.Cleanup(func() { nc.Close() })
	return &wire{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (w *wire) send(s string) {
	w.t.Helper()
	if _, err := io.WriteString(w.nc, s); err != nil {
		w.t.Fatalf("writing %q: %v", s, err)
	}
}

// rawResponse is one response as it came off the wire.
type rawResponse struct {
	raw    []byte // status line, header lines and body, exactly as sent
	status int
	header http.Header
	body   string
}

// read reads the response to a request of the given method, keeping its
// bytes. The header block must be well formed: a status line, then lines
// "Name: value" with a token name, each ended by CRLF.
func (w *wire) read(method string) rawResponse {
	w.t.Helper()
	var r rawResponse
	r.header = http.Header{}
	line, err := w.br.ReadString('\n')
	if err != nil {
		w.t.Fatalf("reading a status line: %v", err)
	}
	r.raw = append(r.raw, line...)
	if !strings.HasPrefix(line, "HTTP/1.1 ") || len(line) < 14 || !strings.HasSuffix(line, "\r\n") {
		w.t.Fatalf("status line %q", line)
	}
	if r.status, err = strconv.Atoi(line[9:12]); err != nil {
		w.t.Fatalf("status line %q", line)
	}
	for {
		line, err := w.br.ReadString('\n')
		if err != nil {
			w.t.Fatalf("reading a header line after %q: %v", r.raw, err)
		}
		r.raw = append(r.raw, line...)
		if line == "\r\n" {
			break
		}
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\r\n"), ": ")
		if !ok || !strings.HasSuffix(line, "\r\n") || !headerLine.MatchString(name) || strings.ContainsAny(value, "\r\n") {
			w.t.Fatalf("malformed header line %q in %q", line, r.raw)
		}
		r.header[name] = append(r.header[name], value)
	}
	n := 0
	if cl := r.header.Get("Content-Length"); cl != "" && method != http.MethodHead && r.status != http.StatusNotModified {
		if n, err = strconv.Atoi(cl); err != nil {
			w.t.Fatalf("Content-Length %q", cl)
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(w.br, body); err != nil {
		w.t.Fatalf("reading a body of %d bytes: %v", n, err)
	}
	r.raw = append(r.raw, body...)
	r.body = string(body)
	return r
}

var headerLine = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")

// dateLine is the Date header line, the one part of a response that
// depends on when it was sent.
var dateLine = regexp.MustCompile("\r\nDate: [^\r\n]*\r\n")

// withoutDate returns a transcript of responses with their Date lines
// taken out.
func withoutDate(b []byte) []byte { return dateLine.ReplaceAll(b, []byte("\r\n")) }

// replica is a second public site over the same store and clock, with a
// cache of its own, served by net/http alone: what the fast path's
// answers are compared with.
func (s *site) replica(t testing.TB) (pub *public.Site, mux *http.ServeMux) {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pub, err = public.New(public.Options{Notices: s.st.Notices(), Crises: s.st.Crises(), Plans: s.st.Plans(), Catalog: cat, Office: s.st.Office(),
		Live: s.live, Signup: signup(s.st), CanSend: everyChannel, BaseURL: "https://alerts.example.org/", Clock: s.clk})
	if err != nil {
		t.Fatal(err)
	}
	mux = http.NewServeMux()
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "huma", http.StatusTeapot) })
	pub.Register(mux)
	return pub, mux
}

// discardLog keeps net/http's complaints about malformed requests, which
// these tests send on purpose, out of the test output.
var discardLog = log.New(io.Discard, "", 0)

// newHTTPServer is an http.Server for h with the production server's
// timeouts and limits (package server), so that both sides of a
// comparison read heads alike.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: discardLog}
}

// serveNetHTTP serves h with net/http alone on a loopback port, until the
// test ends; it returns the address.
func serveNetHTTP(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != http.ErrServerClosed {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// serveFast serves h behind a fastpath.Front that answers with respond,
// until the test ends; it returns the address. observe, if not nil, is
// told of every fast answer.
func serveFast(t testing.TB, h http.Handler, respond fastpath.Responder, observe fastpath.Observer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front := fastpath.New(newHTTPServer(h), fastpath.Options{Respond: respond, Observe: observe})
	served := make(chan error, 1)
	go func() { served <- front.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := front.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// firstDifference describes where two transcripts part, with some context.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-120)
	return "at byte " + strconv.Itoa(i) + ":\n fast path: " + strconv.Quote(string(clip(a, from, i+120))) +
		"\n net/http:  " + strconv.Quote(string(clip(b, from, i+120)))
}

func clip(b []byte, from, to int) []byte {
	return b[min(from, len(b)):min(to, len(b))]
}

// transcript is all a client connection received, until the server
// closed it.
type transcript struct {
	b   []byte
	err error // other than the end of the connection
}

// exchange runs p on a new connection to addr: each write once the
// answers it waits for came and after its pause, then a half-close. It
// returns everything the server sent until it closed the connection.
func exchange(addr string, p connPlan) transcript {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return transcript{err: err}
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(wireSafety))
	answered := make(chan int, len(p.methods))
	got := make(chan transcript, 1)
	go func() {
		defer close(answered)
		br := bufio.NewReader(nc)
		var out []byte
		for i, method := range p.methods {
			var err error
			if out, err = readAnswer(br, method, out); err != nil {
				break // what is left is read below, as it comes
			}
			answered <- i + 1
		}
		rest, err := io.ReadAll(br)
		got <- transcript{append(out, rest...), err}
	}()
	seen := 0
	for _, w := range p.writes {
		for seen < w.after {
			n, ok := <-answered
			if !ok {
				seen = len(p.methods) // the server stopped answering
				break
			}
			seen = n
		}
		time.Sleep(w.pause)
		if _, err := nc.Write(w.data); err != nil {
			break // the server closed the connection: what it sent tells
		}
	}
	nc.(*net.TCPConn).CloseWrite()
	return <-got
}

// readAnswer appends to out the bytes of the next response, to a request
// of the given method: its head, and its body as its header frames it.
func readAnswer(br *bufio.Reader, method string, out []byte) ([]byte, error) {
	line, err := br.ReadString('\n')
	out = append(out, line...)
	if err != nil {
		return out, err
	}
	status := 0
	if len(line) >= 12 {
		status, _ = strconv.Atoi(line[9:12])
	}
	length, chunked := -1, false
	for {
		line, err := br.ReadString('\n')
		out = append(out, line...)
		if err != nil {
			return out, err
		}
		if line == "\r\n" {
			break
		}
		name, value, _ := strings.Cut(strings.TrimSpace(line), ":")
		switch value = strings.TrimSpace(value); {
		case strings.EqualFold(name, "Content-Length"):
			length, _ = strconv.Atoi(value)
		case strings.EqualFold(name, "Transfer-Encoding"):
			chunked = strings.EqualFold(value, "chunked")
		}
	}
	switch {
	case method == http.MethodHead || status == http.StatusNotModified || status == http.StatusNoContent || status < 200:
		return out, nil
	case chunked:
		for {
			line, err := br.ReadString('\n')
			out = append(out, line...)
			if err != nil {
				return out, err
			}
			size, err := strconv.ParseInt(strings.TrimSpace(line), 16, 32)
			if err != nil {
				return out, err
			}
			if size == 0 {
				break
			}
			chunk := make([]byte, size+2)
			n, err := io.ReadFull(br, chunk)
			out = append(out, chunk[:n]...)
			if err != nil {
				return out, err
			}
		}
		line, err := br.ReadString('\n') // no trailers
		return append(out, line...), err
	case length >= 0:
		body := make([]byte, length)
		n, err := io.ReadFull(br, body)
		return append(out, body[:n]...), err
	}
	return out, errors.New("the body runs to the end of the connection")
}

// viewCheck is the site's Respond, checked: after each call it looks for
// a string the site keeps that shares memory with the request's, which
// are views of the connection's read buffer (see public.KeptStrings). It
// finds a view kept past its request at once, where the answers show it
// only when the connection's next request rewrites those bytes at the
// right moment.
type viewCheck struct {
	pub   *public.Site
	mu    sync.Mutex
	found []string // a few: thousands would drown them
}

func (v *viewCheck) respond(req *fastpath.Request, resp *fastpath.Response) bool {
	ok := v.pub.Respond(req, resp)
	fields := [...]string{req.Path, req.Query, req.AcceptEncoding, req.AcceptLanguage, req.Cookie,
		req.IfNoneMatch, req.IfModifiedSince}
	for _, kept := range public.KeptStrings(v.pub) {
		for _, f := range fields {
			if !overlaps(kept, f) {
				continue
			}
			v.mu.Lock()
			if len(v.found) < 3 {
				v.found = append(v.found, fmt.Sprintf("after answering %q (Cookie %q), the site keeps %q, a view of the request's %q",
					req.Path, req.Cookie, kept, f))
			}
			v.mu.Unlock()
		}
	}
	return ok
}

// take returns what the check found since the last call.
func (v *viewCheck) take() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	found := v.found
	v.found = nil
	return found
}

// overlaps reports whether a and b share memory.
func overlaps(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))
	return pa < pb+uintptr(len(b)) && pb < pa+uintptr(len(a))
}
