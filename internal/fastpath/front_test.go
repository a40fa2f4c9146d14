package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The one document the test Responder answers from memory.
const (
	docBody = "<html>fast</html>"
	docETag = `"v1"`
)

// safety bounds every wait of these tests, so that a broken server fails
// a test instead of hanging it; it is not a limit on how fast anything is.
const safety = 20 * time.Second

type observation struct {
	route, method string
	status        int
}

// received is a request the fallback http.Server got.
type received struct {
	method, target, body string
	header               http.Header
}

// harness runs a Front on a real listener, with a real http.Server behind
// it whose handler records what it gets.
type harness struct {
	t     *testing.T
	addr  string
	front *Front

	mu  sync.Mutex
	got []received

	observed     chan observation
	slowStarted  chan struct{} // the fallback's /slow handler started
	slowRelease  chan struct{} // closed to let it finish
	blockStarted chan struct{} // the Responder's /block started
	blockRelease chan struct{} // closed to let it answer
	logs         syncBuffer

	served  chan error
	stopped sync.Once
}

// newHarness starts a harness; configure, if given, sets up the
// http.Server before the Front takes its timeouts from it.
func newHarness(t *testing.T, timeouts Timeouts, configure ...func(*http.Server)) *harness {
	t.Helper()
	h := &harness{
		t:            t,
		observed:     make(chan observation, 4096),
		slowStarted:  make(chan struct{}, 1),
		slowRelease:  make(chan struct{}),
		blockStarted: make(chan struct{}, 1),
		blockRelease: make(chan struct{}),
		served:       make(chan error, 1),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(h.fallback), ErrorLog: log.New(io.Discard, "", 0)}
	for _, f := range configure {
		f(srv)
	}
	h.front = New(srv, Options{
		Respond: h.respond,
		Observe: func(route, method string, status int, took time.Duration) {
			if took < 0 {
				t.Errorf("observed a negative duration %v", took)
			}
			h.observed <- observation{route, method, status}
		},
		Timeouts: timeouts,
		Logger:   slog.New(slog.NewTextHandler(&h.logs, nil)),
	})
	go func() { h.served <- h.front.Serve(ln) }()
	t.Cleanup(func() {
		if err := h.shutdown(); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return h
}

// shutdown shuts the Front down, once, and checks that Serve returns nil.
func (h *harness) shutdown() error {
	var err error
	h.stopped.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), safety)
		defer cancel()
		err = h.front.Shutdown(ctx)
		select {
		case serr := <-h.served:
			if serr != nil {
				h.t.Errorf("Serve returned %v after Shutdown, want nil", serr)
			}
		case <-time.After(safety):
			h.t.Errorf("Serve did not return after Shutdown")
		}
	})
	return err
}

// respond answers /fast from memory, blocks on /block, panics on /panic,
// and leaves everything else to net/http.
func (h *harness) respond(req *Request, resp *Response) bool {
	switch req.Path {
	case "/fast":
	case "/block":
		h.blockStarted <- struct{}{}
		<-h.blockRelease
	case "/panic":
		panic("test Responder fails")
	default:
		return false
	}
	resp.Route = "/fast"
	resp.Status = http.StatusOK
	if req.HasIfNoneMatch && req.IfNoneMatch == docETag {
		resp.Status = http.StatusNotModified
	}
	b := append(resp.Header, "Content-Type: text/html; charset=utf-8\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(docBody)), 10)
	b = append(b, "\r\nETag: "+docETag+"\r\nX-Query: "...)
	b = append(b, req.Query...) // a view into the read buffer, copied here
	b = append(b, "\r\n"...)
	resp.Header = b
	// Set for HEAD and 304 too: the fast path must leave it out of those.
	resp.Body = []byte(docBody)
	return true
}

// fallback is the http.Server's handler: it records the request, with its
// body, and says who answered.
func (h *harness) fallback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.t.Errorf("fallback: reading the body of %s %s: %v", r.Method, r.RequestURI, err)
	}
	h.mu.Lock()
	h.got = append(h.got, received{r.Method, r.RequestURI, string(body), r.Header.Clone()})
	h.mu.Unlock()
	if r.URL.Path == "/slow" {
		h.slowStarted <- struct{}{}
		<-h.slowRelease
	}
	w.Header().Set("X-Served-By", "fallback")
	fmt.Fprintf(w, "%s %s %d", r.Method, r.RequestURI, len(body))
}

func (h *harness) received() []received {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]received(nil), h.got...)
}

// observe waits for the next request the Observer is told of.
func (h *harness) observe() observation {
	h.t.Helper()
	select {
	case o := <-h.observed:
		return o
	case <-time.After(safety):
		h.t.Fatal("the Observer was not called")
		return observation{}
	}
}

// client is a raw connection, so the test controls every byte sent.
type client struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func (h *harness) dial() *client {
	h.t.Helper()
	nc, err := net.Dial("tcp", h.addr)
	if err != nil {
		h.t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(safety))
	h.t.Cleanup(func() { nc.Close() })
	return &client{t: h.t, nc: nc, br: bufio.NewReader(nc)}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.nc, s); err != nil {
		c.t.Fatalf("writing %q: %v", s, err)
	}
}

// read reads one response to a request of the given method, and its body.
func (c *client) read(method string) (*http.Response, string) {
	c.t.Helper()
	resp, err := http.ReadResponse(c.br, &http.Request{Method: method})
	if err != nil {
		c.t.Fatalf("reading the response to %s: %v", method, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("reading the body of the response to %s: %v", method, err)
	}
	return resp, string(body)
}

// closed fails the test unless the server closes the connection without
// sending anything more.
func (c *client) closed() {
	c.t.Helper()
	b, err := c.br.ReadByte()
	if err == nil {
		rest, _ := c.br.Peek(c.br.Buffered())
		c.t.Fatalf("connection still open: read %q", append([]byte{b}, rest...))
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatal("the server did not close the connection")
	}
}

// get is a GET or HEAD of target with extra header lines.
func get(method, target string, header ...string) string {
	return crlf(append([]string{method + " " + target + " HTTP/1.1", "Host: test.example"}, header...)...)
}

// wantFast checks a fast answer to /fast.
func wantFast(t *testing.T, resp *http.Response, body string, status int, query string, withBody bool) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d", resp.StatusCode, status)
	}
	if by := resp.Header.Get("X-Served-By"); by != "" {
		t.Fatalf("served by %s, want the fast path", by)
	}
	if resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
		t.Errorf("protocol %s, want HTTP/1.1", resp.Proto)
	}
	if _, err := http.ParseTime(resp.Header.Get("Date")); err != nil {
		t.Errorf("Date %q: %v", resp.Header.Get("Date"), err)
	}
	if got := resp.Header.Get("ETag"); got != docETag {
		t.Errorf("ETag %q, want %q", got, docETag)
	}
	if got := resp.Header.Get("X-Query"); got != query {
		t.Errorf("X-Query %q, want %q (answers out of order?)", got, query)
	}
	if got, want := resp.Header.Get("Content-Length"), strconv.Itoa(len(docBody)); got != want {
		t.Errorf("Content-Length %q, want %q", got, want)
	}
	want := ""
	if withBody {
		want = docBody
	}
	if body != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

// wantFallback checks an answer of the http.Server.
func wantFallback(t *testing.T, resp *http.Response, body, method, target string, n int) {
	t.Helper()
	if by := resp.Header.Get("X-Served-By"); by != "fallback" {
		t.Fatalf("served by %q, want the fallback (status %d)", by, resp.StatusCode)
	}
	if want := fmt.Sprintf("%s %s %d", method, target, n); resp.StatusCode != http.StatusOK || body != want {
		t.Errorf("fallback answered %d %q, want 200 %q", resp.StatusCode, body, want)
	}
}

func TestFastAnswer(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()

	c.send(get("GET", "/fast"))
	resp, body := c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "", true)
	if resp.Close {
		t.Error("keep-alive request answered with Connection: close")
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}

	// A HEAD and a 304 send no body: the answer pipelined after each
	// would not read as a response if they did.
	c.send(get("HEAD", "/fast", "Accept-Encoding: gzip") + get("GET", "/fast?after-head"))
	resp, body = c.read("HEAD")
	wantFast(t, resp, body, http.StatusOK, "", false)
	resp, body = c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "after-head", true)

	c.send(get("GET", "/fast?etag", "If-None-Match: "+docETag) + get("GET", "/fast?after-304"))
	resp, body = c.read("GET")
	wantFast(t, resp, body, http.StatusNotModified, "etag", false)
	resp, body = c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "after-304", true)

	// The bytes themselves, which ReadResponse is lenient about: CRLF
	// line ends, the status line, the Responder's lines, then Date, where
	// net/http writes it.
	c.send(get("GET", "/fast?raw"))
	var lines []string
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(line, "\r\n") {
			t.Fatalf("line %q does not end in CRLF", line)
		}
		if line == "\r\n" {
			break
		}
		lines = append(lines, line)
	}
	want := []string{"HTTP/1.1 200 OK\r\n", "Content-Type: text/html; charset=utf-8\r\n",
		"Content-Length: " + strconv.Itoa(len(docBody)) + "\r\n", "ETag: " + docETag + "\r\n", "X-Query: raw\r\n", "Date: "}
	if len(lines) != len(want) {
		t.Fatalf("response head %q, want %d lines", lines, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("response line %d is %q, want %q", i, lines[i], w)
		}
	}
	raw := make([]byte, len(docBody))
	if _, err := io.ReadFull(c.br, raw); err != nil || string(raw) != docBody {
		t.Errorf("body %q (%v), want %q", raw, err, docBody)
	}

	if got := h.received(); len(got) != 0 {
		t.Errorf("the fallback got %d requests, want none", len(got))
	}
}

func TestKeepAlive(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	for i := range 200 {
		q := strconv.Itoa(i)
		method := "GET"
		if i%3 == 0 {
			method = "HEAD"
		}
		c.send(get(method, "/fast?"+q))
		resp, body := c.read(method)
		wantFast(t, resp, body, http.StatusOK, q, method == "GET")
	}
	if got := h.received(); len(got) != 0 {
		t.Errorf("the fallback got %d requests, want none", len(got))
	}
}

func TestPipelined(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	// More than one read buffer of heads, so some straddle two reads.
	const n = 300
	var all strings.Builder
	for i := range n {
		all.WriteString(get("GET", "/fast?"+strconv.Itoa(i), "Accept-Encoding: gzip, br"))
	}
	if all.Len() <= 2*bufSize {
		t.Fatalf("only %d bytes of requests", all.Len())
	}
	// Write while reading, so neither side waits on a full socket buffer.
	go io.WriteString(c.nc, all.String())
	for i := range n {
		resp, body := c.read("GET")
		wantFast(t, resp, body, http.StatusOK, strconv.Itoa(i), true)
	}
}

func TestSplitHead(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	for i := range 2 {
		q := "split" + strconv.Itoa(i)
		for _, b := range []byte(get("GET", "/fast?"+q, "Cookie: a=b")) {
			c.send(string(b))
		}
		resp, body := c.read("GET")
		wantFast(t, resp, body, http.StatusOK, q, true)
	}
}

// TestHandoff checks that a request the fast path does not answer reaches
// the http.Server whole, after any it answered on the same connection,
// and that the connection stays with the http.Server from then on.
func TestHandoff(t *testing.T) {
	const postBody = "hello, world\r\n\r\nGET /fast HTTP/1.1\r\n\r\n" // a body that looks like a head
	post := crlf("POST /submit HTTP/1.1", "Host: test.example", "Content-Type: text/plain",
		"Content-Length: "+strconv.Itoa(len(postBody))) + postBody
	tests := []struct {
		name   string
		writes []string
	}{
		{"separate writes", []string{get("GET", "/fast?1"), get("GET", "/fast?2"), post, get("GET", "/fast?3")}},
		{"one write", []string{get("GET", "/fast?1") + get("GET", "/fast?2") + post + get("GET", "/fast?3")}},
		{"split inside the POST head", []string{get("GET", "/fast?1") + get("GET", "/fast?2") + post[:20], post[20:] + get("GET", "/fast?3")}},
		{"split inside the body", []string{get("GET", "/fast?1") + get("GET", "/fast?2") + post[:len(post)-5], post[len(post)-5:], get("GET", "/fast?3")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Timeouts{})
			c := h.dial()
			done := make(chan struct{})
			go func() {
				defer close(done)
				for _, w := range tt.writes {
					if _, err := io.WriteString(c.nc, w); err != nil {
						t.Errorf("write: %v", err)
						return
					}
				}
			}()
			for _, q := range []string{"1", "2"} {
				resp, body := c.read("GET")
				wantFast(t, resp, body, http.StatusOK, q, true)
			}
			resp, body := c.read("POST")
			wantFallback(t, resp, body, "POST", "/submit", len(postBody))
			// Answered by the fallback although the fast path could.
			resp, body = c.read("GET")
			wantFallback(t, resp, body, "GET", "/fast?3", 0)
			<-done

			got := h.received()
			if len(got) != 2 {
				t.Fatalf("the fallback got %d requests, want 2", len(got))
			}
			if got[0].method != "POST" || got[0].target != "/submit" || got[0].body != postBody {
				t.Errorf("the fallback got %s %s with body %q, want POST /submit with %q",
					got[0].method, got[0].target, got[0].body, postBody)
			}
			if ct := got[0].header.Get("Content-Type"); ct != "text/plain" {
				t.Errorf("the fallback got Content-Type %q", ct)
			}
		})
	}
}

// TestHandoffUnanswered checks that a path the Responder does not answer,
// and a head the fast path does not read, reach the http.Server intact.
func TestHandoffUnanswered(t *testing.T) {
	tests := []struct {
		name, req, method, target string
		header                    http.Header
	}{
		{"Responder declines", get("GET", "/other?x=1", "Cookie: a=b", "Accept-Encoding: gzip"), "GET", "/other?x=1",
			http.Header{"Cookie": {"a=b"}, "Accept-Encoding": {"gzip"}}},
		{"HTTP/1.0", "GET /fast HTTP/1.0\r\nHost: test.example\r\nX-A: 1\r\n\r\n", "GET", "/fast",
			http.Header{"X-A": {"1"}}},
		{"percent in the target", get("GET", "/fast%3Fq"), "GET", "/fast%3Fq", nil},
		{"Cookie sent twice", get("GET", "/fast", "Cookie: a=1", "Cookie: b=2"), "GET", "/fast",
			http.Header{"Cookie": {"a=1", "b=2"}}},
		{"bare LF", "GET /fast HTTP/1.1\nHost: test.example\n\n", "GET", "/fast", nil},
		{"OPTIONS", get("OPTIONS", "/fast"), "OPTIONS", "/fast", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Timeouts{})
			c := h.dial()
			c.send(tt.req)
			resp, body := c.read(tt.method)
			wantFallback(t, resp, body, tt.method, tt.target, 0)
			got := h.received()
			if len(got) != 1 {
				t.Fatalf("the fallback got %d requests, want 1", len(got))
			}
			for name, want := range tt.header {
				if v := got[0].header.Values(name); strings.Join(v, "\n") != strings.Join(want, "\n") {
					t.Errorf("the fallback got %s %q, want %q", name, v, want)
				}
			}
		})
	}
}

func TestConnectionClose(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	c.send(get("GET", "/fast?1"))
	resp, body := c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "1", true)
	// The request after the one asking to close is not answered, as
	// net/http would not answer it either.
	c.send(get("GET", "/fast?2", "Connection: close") + get("GET", "/fast?3"))
	resp, body = c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "2", true)
	if !resp.Close { // ReadResponse takes Connection: close out of the header
		t.Error("the answer does not say Connection: close")
	}
	c.closed()
	if got := h.received(); len(got) != 0 {
		t.Errorf("the fallback got %d requests, want none", len(got))
	}
}

func TestLongHead(t *testing.T) {
	long := strings.Repeat("a", bufSize+1000)
	tests := []struct {
		name   string
		before string // requests the fast path answers first
	}{
		{"first request", ""},
		{"after fast answers", get("GET", "/fast?1") + get("GET", "/fast?2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Timeouts{})
			c := h.dial()
			go io.WriteString(c.nc, tt.before+get("GET", "/fast?long", "X-Long: "+long, "Cookie: a=b"))
			for i := range strings.Count(tt.before, "\r\n\r\n") {
				resp, body := c.read("GET")
				wantFast(t, resp, body, http.StatusOK, strconv.Itoa(i+1), true)
			}
			resp, body := c.read("GET")
			wantFallback(t, resp, body, "GET", "/fast?long", 0)
			got := h.received()
			if len(got) != 1 {
				t.Fatalf("the fallback got %d requests, want 1", len(got))
			}
			if v := got[0].header.Get("X-Long"); v != long {
				t.Errorf("the fallback got X-Long of %d bytes, want %d", len(v), len(long))
			}
			if v := got[0].header.Get("Cookie"); v != "a=b" {
				t.Errorf("the fallback got Cookie %q", v)
			}
		})
	}
}

func TestObserver(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	c.send(get("GET", "/fast"))
	c.read("GET")
	c.send(get("HEAD", "/fast"))
	c.read("HEAD")
	c.send(get("GET", "/fast", "If-None-Match: "+docETag))
	c.read("GET")
	want := []observation{
		{"/fast", http.MethodGet, http.StatusOK},
		{"/fast", http.MethodHead, http.StatusOK},
		{"/fast", http.MethodGet, http.StatusNotModified},
	}
	for i, w := range want {
		if got := h.observe(); got != w {
			t.Errorf("observation %d: %+v, want %+v", i, got, w)
		}
	}
}

func TestResponderPanic(t *testing.T) {
	h := newHarness(t, Timeouts{})
	c := h.dial()
	c.send(get("GET", "/fast"))
	c.read("GET")
	c.send(get("GET", "/panic"))
	c.closed()
	if logs := h.logs.String(); !strings.Contains(logs, "fastpath: panic") {
		t.Errorf("the panic was not logged; logs:\n%s", logs)
	}
	// The server lives on.
	c = h.dial()
	c.send(get("GET", "/fast?after"))
	resp, body := c.read("GET")
	wantFast(t, resp, body, http.StatusOK, "after", true)
}

func TestTimeouts(t *testing.T) {
	const short, long = 200 * time.Millisecond, time.Minute
	tests := []struct {
		name     string
		timeouts Timeouts
		before   string // a request answered before the connection goes quiet
		partial  string // sent last, and never finished
	}{
		// As net/http: a new connection has ReadHeader, not Idle, to
		// send its first head.
		{"silent before the first request", Timeouts{Idle: long, ReadHeader: short}, "", ""},
		{"idle after an answer", Timeouts{Idle: short, ReadHeader: long}, get("GET", "/fast"), ""},
		{"read header", Timeouts{Idle: long, ReadHeader: short}, "", "GET /fast HTTP/1.1\r\nHo"},
		{"read header after an answer", Timeouts{Idle: long, ReadHeader: short}, get("GET", "/fast"), "GET /fa"},
		{"read header of a pipelined head", Timeouts{Idle: long, ReadHeader: short}, "", get("GET", "/fast") + "GET /fa"},
		// As net/http: between requests, the next head is timed from its
		// fourth byte; fewer wait as an idle connection does.
		{"three bytes after an answer", Timeouts{Idle: short, ReadHeader: long}, get("GET", "/fast"), "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.timeouts)
			c := h.dial()
			if tt.before != "" {
				c.send(tt.before)
				resp, body := c.read("GET")
				wantFast(t, resp, body, http.StatusOK, "", true)
			}
			if tt.partial != "" {
				c.send(tt.partial)
				if strings.Contains(tt.partial, "\r\n\r\n") {
					resp, body := c.read("GET")
					wantFast(t, resp, body, http.StatusOK, "", true)
				}
			}
			c.closed()
		})
	}
}

func TestShutdown(t *testing.T) {
	h := newHarness(t, Timeouts{})

	idle := h.dial()
	idle.send(get("GET", "/fast"))
	resp, body := idle.read("GET")
	wantFast(t, resp, body, http.StatusOK, "", true)

	handed := h.dial()
	handed.send(crlf("POST /slow HTTP/1.1", "Host: test.example", "Content-Length: 3") + "abc")
	<-h.slowStarted

	// A request the fast path is answering when Shutdown starts.
	answering := h.dial()
	answering.send(get("GET", "/block"))
	<-h.blockStarted

	shut := make(chan error, 1)
	go func() { shut <- h.shutdown() }()

	idle.closed()
	// Once the listener is closed, Shutdown has begun.
	for {
		nc, err := net.Dial("tcp", h.addr)
		if err != nil {
			break
		}
		nc.SetReadDeadline(time.Now().Add(safety))
		_, err = nc.Read(make([]byte, 1))
		nc.Close()
		if err == nil {
			t.Fatal("a new connection got an answer during Shutdown")
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("a new connection was kept open during Shutdown")
		}
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with requests in flight", err)
	default:
	}

	close(h.slowRelease)
	resp, body = handed.read("POST")
	wantFallback(t, resp, body, "POST", "/slow", 3)

	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v before the fast path finished its answer", err)
	default:
	}
	close(h.blockRelease)
	resp, body = answering.read("GET")
	wantFast(t, resp, body, http.StatusOK, "", true)
	if !resp.Close {
		t.Error("an answer during Shutdown does not say Connection: close")
	}
	answering.closed()

	select {
	case err := <-shut:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(safety):
		t.Fatal("Shutdown did not return")
	}
}

func TestServeAfterShutdown(t *testing.T) {
	h := &harness{t: t}
	f := New(&http.Server{Handler: http.NotFoundHandler()}, Options{Respond: h.respond})
	if err := f.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown before Serve: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	served := make(chan error, 1)
	go func() { served <- f.Serve(ln) }()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after Shutdown: %v, want nil", err)
		}
	case <-time.After(safety):
		t.Fatal("Serve after Shutdown did not return")
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept on the listener after Serve: %v, want it closed", err)
	}
}

// syncBuffer is a log destination safe for many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// BenchmarkServe measures a keep-alive client on loopback. The client
// allocates nothing, so allocs/op are the server's: the fast path should
// show 0, against net/http's for the same answer.
func BenchmarkServe(b *testing.B) {
	body := []byte(docBody)
	respond := func(req *Request, resp *Response) bool {
		if req.Path != "/fast" {
			return false
		}
		resp.Status, resp.Route = http.StatusOK, "/fast"
		resp.Header = append(resp.Header, "Content-Type: text/html; charset=utf-8\r\nContent-Length: 17\r\n"...)
		resp.Body = body
		return true
	}
	handler := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", "17")
		w.Write(body)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(handler), ErrorLog: log.New(io.Discard, "", 0)}
	f := New(srv, Options{Respond: respond})
	served := make(chan error, 1)
	go func() { served <- f.Serve(ln) }()
	defer func() {
		f.Shutdown(context.Background())
		<-served
	}()

	for _, path := range []string{"/fast", "/nethttp"} {
		req := []byte(get("GET", path, "Accept-Encoding: gzip, br", "Accept-Language: en"))
		name := "fast"
		if path != "/fast" {
			name = "net-http"
		}
		b.Run(name, func(b *testing.B) {
			nc, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer nc.Close()
			br := bufio.NewReader(nc)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := nc.Write(req); err != nil {
					b.Fatal(err)
				}
				if err := skipResponse(br); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				nc, err := net.Dial("tcp", ln.Addr().String())
				if err != nil {
					b.Error(err)
					return
				}
				defer nc.Close()
				br := bufio.NewReader(nc)
				for pb.Next() {
					if _, err := nc.Write(req); err != nil {
						b.Error(err)
						return
					}
					if err := skipResponse(br); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// skipResponse reads a 200 response with a Content-Length, allocating
// nothing.
func skipResponse(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status line %q", line)
	}
	length := -1
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) == 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length = 0
			for _, c := range bytes.TrimSpace(v) {
				length = 10*length + int(c-'0')
			}
		}
	}
	if length < 0 {
		return errors.New("no Content-Length")
	}
	_, err = br.Discard(length)
	return err
}
