package fastpath

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzParse holds the fast path to its safety rule: whatever it answers,
// net/http reads the same way. For any bytes it checks that headEnd and
// parse do not panic, that headEnd measures within the input, and, when
// parse accepts the head, that http.ReadRequest accepts it too, with the
// same method, target, connection handling, no body, and exactly the
// header values the Responder is given.
func FuzzParse(f *testing.F) {
	for _, tt := range acceptCases() {
		f.Add([]byte(tt.in))
	}
	for _, tt := range handoffCases() {
		f.Add([]byte(tt.in))
	}
	for _, s := range []string{
		// Pipelined requests, and a head followed by a body.
		crlf("GET /a HTTP/1.1", "Host: a") + crlf("GET /b HTTP/1.1", "Host: a"),
		crlf("GET /a HTTP/1.1", "Host: a") + crlf("POST /b HTTP/1.1", "Host: a", "Content-Length: 5") + "hello",
		crlf("GET /a HTTP/1.1", "Host: a", "Content-Length: 0") + "GET /b HTTP/1.1\r\n",
		// A browser's head.
		crlf("GET /notices/42?page=2 HTTP/1.1", "Host: status.example.com",
			"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
			"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
			"Accept-Language: zh-TW,zh;q=0.8,en-US;q=0.5,en;q=0.3", "Accept-Encoding: gzip, deflate, br, zstd",
			"Connection: keep-alive", `If-None-Match: "5f2a9c"`, "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
			"Cookie: lang=zh-TW; theme=dark", "Upgrade-Insecure-Requests: 1", "Sec-Fetch-Mode: navigate",
			"Priority: u=0, i"),
		// Near misses around what net/http trims, folds and rejects.
		crlf("GET / HTTP/1.1", "Host: a", "Cookie: a\r", "Accept-Encoding: gzip"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding: gzip ", " br"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding\t: gzip"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding:\v gzip"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding: \xa0gzip\xa0"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept_Encoding: gzip"),
		crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding%: gzip"),
		crlf("GET / HTTP/1.1", "Host: a", "Connection: close\t,\tkeep-alive"),
		crlf("GET / HTTP/1.1", "Host: a", "Connection: \u212aeep-alive"),
		crlf("GET / HTTP/1.1", "Host: a", "Transfer-Encoding :chunked"),
		crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 0 0"),
		crlf("GET / HTTP/1.1", "Host: [::1"),
		crlf("GET / HTTP/1.1", "Host: a:b:c"),
		crlf("GET / HTTP/1.1", "Host: a", "Pragma: no-cache"),
		crlf("GET /?a;b HTTP/1.1", "Host: a"),
		crlf("GET /a:b HTTP/1.1", "Host: a"),
		crlf("GET /\\..\\ HTTP/1.1", "Host: a"),
		crlf("GET /{}|^`\"<> HTTP/1.1", "Host: a"),
		crlf("GET ///a HTTP/1.1", "Host: a"),
		crlf("GET /?? HTTP/1.1", "Host: a"),
		"GET / HTTP/1.1\r\nHost: a\r\n\r\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\n \r\n\r\n",
		"GET / HTTP/1.1\r\n\r\nHost: a\r\n\r\n",
		"\r\n\r\n",
		"\n\n",
		"",
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, b []byte) {
		checkHeadEnd(t, b)
		n := headEnd(b)
		if n > len(b) {
			t.Fatalf("headEnd(%q) = %d, beyond the %d bytes", b, n, len(b))
		}
		if n <= 0 {
			return
		}
		var req Request
		closeAfter, ok := parse(b[:n], &req)
		if !ok {
			return
		}
		checkAsNetHTTP(t, b, n, &req, closeAfter)
	})
}

// checkHeadEnd fails t unless headEndScanner, fed b in pieces of every
// size up to 3, ends a head where net/http does: a handed-over
// connection's head deadline must last exactly until then.
func checkHeadEnd(t *testing.T, b []byte) {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(b))
	if _, err := http.ReadRequest(br); err != nil {
		return
	}
	rest, _ := io.ReadAll(br)
	want := len(b) - len(rest)
	for piece := 1; piece <= 3; piece++ {
		var s headEndScanner
		got := -1
		for i := 0; i < len(b) && got < 0; i += piece {
			end := min(i+piece, len(b))
			if s.scan(b[i:end]) {
				for j := i + 1; j <= end; j++ { // where in the piece
					var again headEndScanner
					if again.scan(b[:j]) {
						got = j
						break
					}
				}
			}
		}
		if got != want {
			t.Errorf("%q in pieces of %d: the head ends after %d bytes, net/http reads %d", b, piece, got, want)
		}
	}
}

// checkAsNetHTTP fails t unless net/http reads the head b[:n], which parse
// accepted into req, the same way.
func checkAsNetHTTP(t *testing.T, b []byte, n int, req *Request, closeAfter bool) {
	t.Helper()
	head := b[:n]
	br := bufio.NewReader(bytes.NewReader(head))
	r, err := http.ReadRequest(br)
	if err != nil {
		t.Fatalf("fast path answers %q, which net/http refuses: %v", head, err)
	}

	method := http.MethodGet
	if req.Head {
		method = http.MethodHead
	}
	if r.Method != method {
		t.Errorf("%q: method %q, net/http %q", head, method, r.Method)
	}
	if r.ProtoMajor != 1 || r.ProtoMinor != 1 {
		t.Errorf("%q: net/http reads %s, the fast path HTTP/1.1", head, r.Proto)
	}
	if strings.Contains(req.Path, "%") {
		t.Errorf("%q: path %q has a '%%', which the fast path must leave to net/http", head, req.Path)
	}
	if r.URL.Path != req.Path {
		t.Errorf("%q: path %q, net/http %q", head, req.Path, r.URL.Path)
	}
	if r.URL.RawQuery != req.Query {
		t.Errorf("%q: query %q, net/http %q", head, req.Query, r.URL.RawQuery)
	}
	if r.URL.Scheme != "" || r.URL.Host != "" || r.URL.Fragment != "" {
		t.Errorf("%q: net/http reads a scheme %q, host %q or fragment %q", head, r.URL.Scheme, r.URL.Host, r.URL.Fragment)
	}
	if r.Close != closeAfter {
		t.Errorf("%q: close %v, net/http %v", head, closeAfter, r.Close)
	}
	if r.ContentLength != 0 || r.Body != http.NoBody || len(r.TransferEncoding) != 0 {
		t.Errorf("%q: net/http reads a body: length %d, encoding %q", head, r.ContentLength, r.TransferEncoding)
	}
	if rest, _ := io.ReadAll(br); len(rest) != 0 {
		t.Errorf("%q: net/http left %q of the head unread", head, rest)
	}

	// What net/http's server checks beyond ReadRequest (conn.readRequest
	// and serve): the fast path must not answer what it would refuse.
	// (ReadRequest itself refuses a second Host, and takes Host out of
	// the header map.)
	if !validHostValue(r.Host) {
		t.Errorf("%q: net/http's server refuses Host %q", head, r.Host)
	}
	for name, values := range r.Header {
		if !validFieldName(name) {
			t.Errorf("%q: net/http's server refuses header name %q", head, name)
		}
		for _, v := range values {
			if !validFieldValue(v) {
				t.Errorf("%q: net/http's server refuses the value %q of %s", head, v, name)
			}
		}
	}
	for _, name := range []string{"Expect", "Upgrade", "Transfer-Encoding", "Http2-Settings"} {
		if _, ok := r.Header[name]; ok {
			t.Errorf("%q: has %s, which net/http acts on", head, name)
		}
	}

	deps := []struct {
		name  string
		value string
		has   bool
		known bool // whether has tells an empty header from an absent one
	}{
		{"Accept-Encoding", req.AcceptEncoding, req.AcceptEncoding != "", false},
		{"Accept-Language", req.AcceptLanguage, req.AcceptLanguage != "", false},
		{"Cookie", req.Cookie, req.HasCookie, true},
		{"If-None-Match", req.IfNoneMatch, req.HasIfNoneMatch, true},
		{"If-Modified-Since", req.IfModifiedSince, req.HasIfModifiedSince, true},
	}
	for _, d := range deps {
		got := r.Header.Values(d.name)
		switch {
		case d.has && (len(got) != 1 || got[0] != d.value):
			t.Errorf("%q: %s %q, net/http %q", head, d.name, d.value, got)
		case !d.has && d.known && (len(got) != 0 || d.value != ""):
			t.Errorf("%q: %s absent (value %q), net/http %q", head, d.name, d.value, got)
		case !d.has && !d.known && len(got) > 1, !d.has && !d.known && len(got) == 1 && got[0] != "":
			// An empty Accept-Encoding reads as "" either way; more than
			// one value, or a non-empty one, must not.
			t.Errorf("%q: %s empty, net/http %q", head, d.name, got)
		}
	}

	// The head must end where net/http ends it, or a pipelined request
	// after it would be read differently.
	br = bufio.NewReader(bytes.NewReader(b))
	if _, err := http.ReadRequest(br); err != nil {
		t.Fatalf("%q: net/http refuses the head when more bytes follow it: %v", b, err)
	}
	if rest, _ := io.ReadAll(br); !bytes.Equal(rest, b[n:]) {
		t.Errorf("%q: the head is %d bytes, net/http leaves %q after it, want %q", b, n, rest, b[n:])
	}
}

// validFieldName, validHostValue and validFieldValue are the checks
// net/http's server makes with httpguts, written out again rather than
// borrowed from the code under test.
func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// validHostValue is httpguts.ValidHostHeader, and also refuses an empty
// Host, which the fast path never answers.
func validHostValue(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && !strings.ContainsRune("!$%&'()*+,-.:;=[]_~", rune(c)) {
			return false
		}
	}
	return true
}

func validFieldValue(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
