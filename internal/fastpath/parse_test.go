package fastpath

import (
	"strings"
	"testing"
)

// crlf builds a request head: the lines joined by CRLF, then the empty line.
func crlf(lines ...string) string {
	return strings.Join(lines, "\r\n") + "\r\n\r\n"
}

// read runs b through headEnd and parse as conn.serve does, and reports
// ok false wherever the connection would go to net/http.
func read(t *testing.T, b string) (req Request, closeAfter, ok bool) {
	t.Helper()
	n := headEnd([]byte(b))
	if n == 0 {
		t.Fatalf("headEnd(%q) = 0: the head is incomplete, fix the test case", b)
	}
	if n < 0 {
		return Request{}, false, false
	}
	closeAfter, ok = parse([]byte(b[:n]), &req)
	return req, closeAfter, ok
}

func TestHeadEnd(t *testing.T) {
	full := crlf("GET / HTTP/1.1", "Host: a")
	loneCR := "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n" // parse refuses it, not headEnd
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"no line end yet", "GET / HTTP/1.1", 0},
		{"request line only", "GET / HTTP/1.1\r\n", 0},
		{"CR of the line end only", "GET / HTTP/1.1\r", 0},
		{"no empty line yet", "GET / HTTP/1.1\r\nHost: a\r\n", 0},
		{"CR of the empty line only", "GET / HTTP/1.1\r\nHost: a\r\n\r", 0},
		{"whole head", full, len(full)},
		{"head without headers", "GET / HTTP/1.1\r\n\r\n", len("GET / HTTP/1.1\r\n\r\n")},
		{"pipelined next request", full + "GET /b HTTP/1.1\r\n", len(full)},
		{"body after the head", full + "hello\n", len(full)},
		{"lone CR inside a line", loneCR, len(loneCR)},
		{"bare LF first", "\n", -1},
		{"bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", -1},
		{"bare LF ends a header", "GET / HTTP/1.1\r\nHost: a\n\r\n", -1},
		{"bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", -1},
		{"bare LF before the head is complete", "GET / HTTP/1.1\r\nHo\nst", -1},
		{"leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", -1},
		{"leading empty line alone", "\r\n", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := headEnd([]byte(tt.in)); got != tt.want {
				t.Errorf("headEnd(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// TestHeadEndPrefixes checks that no prefix of a head is taken for a whole
// one: the fast path must wait for the empty line.
func TestHeadEndPrefixes(t *testing.T) {
	b := []byte(crlf("GET /a?b=c HTTP/1.1", "Host: example.com", "Accept-Encoding: gzip", "Cookie: x=y"))
	for i := range len(b) {
		if got := headEnd(b[:i]); got != 0 {
			t.Fatalf("headEnd(%q) = %d, want 0", b[:i], got)
		}
	}
	if got := headEnd(b); got != len(b) {
		t.Fatalf("headEnd(whole) = %d, want %d", got, len(b))
	}
}

type acceptCase struct {
	name      string
	in        string
	want      Request
	wantClose bool
}

// acceptCases are heads the fast path answers; the fuzz test seeds its
// corpus with them too.
func acceptCases() []acceptCase {
	const imsDate = "Sun, 06 Nov 1994 08:49:37 GMT"
	return []acceptCase{
		{"GET", crlf("GET / HTTP/1.1", "Host: example.com"), Request{Path: "/"}, false},
		{"HEAD", crlf("HEAD /a/b HTTP/1.1", "Host: example.com"), Request{Head: true, Path: "/a/b"}, false},
		{"query", crlf("GET /search?q=flood&page=2 HTTP/1.1", "Host: a"),
			Request{Path: "/search", Query: "q=flood&page=2"}, false},
		{"empty query", crlf("GET /a? HTTP/1.1", "Host: a"), Request{Path: "/a"}, false},
		{"second question mark belongs to the query", crlf("GET /a?b?c HTTP/1.1", "Host: a"),
			Request{Path: "/a", Query: "b?c"}, false},
		{"query only", crlf("GET /?x HTTP/1.1", "Host: a"), Request{Path: "/", Query: "x"}, false},
		{"sub-delims and unreserved in the target", crlf("GET /a-b._~!$&'()*+,;=:@/c HTTP/1.1", "Host: a"),
			Request{Path: "/a-b._~!$&'()*+,;=:@/c"}, false},
		{"double slash is a path, not an authority", crlf("GET //evil.example/x HTTP/1.1", "Host: a"),
			Request{Path: "//evil.example/x"}, false},
		{"Accept-Encoding", crlf("GET / HTTP/1.1", "Host: a", "Accept-Encoding: gzip, br"),
			Request{Path: "/", AcceptEncoding: "gzip, br"}, false},
		{"Accept-Language", crlf("GET / HTTP/1.1", "Host: a", "Accept-Language: zh-TW,en;q=0.5"),
			Request{Path: "/", AcceptLanguage: "zh-TW,en;q=0.5"}, false},
		{"Cookie", crlf("GET / HTTP/1.1", "Host: a", "Cookie: lang=en; x=y"),
			Request{Path: "/", Cookie: "lang=en; x=y", HasCookie: true}, false},
		{"empty Cookie is present", crlf("GET / HTTP/1.1", "Host: a", "Cookie:"),
			Request{Path: "/", HasCookie: true}, false},
		{"If-None-Match", crlf("GET / HTTP/1.1", "Host: a", `If-None-Match: "abc", W/"def"`),
			Request{Path: "/", IfNoneMatch: `"abc", W/"def"`, HasIfNoneMatch: true}, false},
		{"empty If-None-Match is present", crlf("GET / HTTP/1.1", "Host: a", "If-None-Match: "),
			Request{Path: "/", HasIfNoneMatch: true}, false},
		{"If-Modified-Since", crlf("GET / HTTP/1.1", "Host: a", "If-Modified-Since: "+imsDate),
			Request{Path: "/", IfModifiedSince: imsDate, HasIfModifiedSince: true}, false},
		{"empty If-Modified-Since is present", crlf("GET / HTTP/1.1", "Host: a", "If-Modified-Since:\t"),
			Request{Path: "/", HasIfModifiedSince: true}, false},
		{"every dependent header", crlf("HEAD /doc?id=7 HTTP/1.1",
			"Accept-Encoding: gzip",
			"Host: example.com:8080",
			"Accept-Language: en",
			"Cookie: a=b",
			`If-None-Match: "v1"`,
			"If-Modified-Since: "+imsDate,
			"User-Agent: test/1.0"),
			Request{Head: true, Path: "/doc", Query: "id=7", AcceptEncoding: "gzip", AcceptLanguage: "en",
				Cookie: "a=b", IfNoneMatch: `"v1"`, IfModifiedSince: imsDate,
				HasCookie: true, HasIfNoneMatch: true, HasIfModifiedSince: true}, false},
		{"other headers are ignored", crlf("GET / HTTP/1.1", "Host: a", "User-Agent: x", "Accept: */*",
			"Cache-Control: no-cache", "Pragma: no-cache", "X-Forwarded-For: 10.0.0.1", "Referer: http://b/",
			"TE: trailers", "Keep-Alive: timeout=5", "Trailer: X"),
			Request{Path: "/"}, false},
		{"Connection: close", crlf("GET / HTTP/1.1", "Host: a", "Connection: close"), Request{Path: "/"}, true},
		{"Connection: keep-alive", crlf("GET / HTTP/1.1", "Host: a", "Connection: keep-alive"), Request{Path: "/"}, false},
		{"Connection tokens in any case", crlf("GET / HTTP/1.1", "Host: a", "Connection: Keep-Alive ,\tCLOSE"),
			Request{Path: "/"}, true},
		{"Connection sent twice", crlf("GET / HTTP/1.1", "Host: a", "Connection: keep-alive", "Connection: close"),
			Request{Path: "/"}, true},
		{"empty Connection", crlf("GET / HTTP/1.1", "Host: a", "Connection:"), Request{Path: "/"}, false},
		{"Content-Length: 0", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 0"), Request{Path: "/"}, false},
		{"Content-Length: 0 with OWS", crlf("GET / HTTP/1.1", "Host: a", "Content-Length:\t0 "), Request{Path: "/"}, false},
		{"OWS around values", crlf("GET / HTTP/1.1", "Host: \t a \t", "Accept-Encoding:  \tgzip\t ", "Cookie:a=b"),
			Request{Path: "/", AcceptEncoding: "gzip", Cookie: "a=b", HasCookie: true}, false},
		{"inner spaces are kept", crlf("GET / HTTP/1.1", "Host: a", "Cookie: a=b;  c=d"),
			Request{Path: "/", Cookie: "a=b;  c=d", HasCookie: true}, false},
		{"case-insensitive names", crlf("GET / HTTP/1.1", "hOsT: a", "ACCEPT-ENCODING: br", "accept-language: fr",
			"cOOKIE: c=1", "if-none-match: *", "IF-MODIFIED-SINCE: x", "CONNECTION: CLOSE", "content-LENGTH: 0"),
			Request{Path: "/", AcceptEncoding: "br", AcceptLanguage: "fr", Cookie: "c=1", IfNoneMatch: "*",
				IfModifiedSince: "x", HasCookie: true, HasIfNoneMatch: true, HasIfModifiedSince: true}, true},
		{"Host with port", crlf("GET / HTTP/1.1", "Host: example.com:443"), Request{Path: "/"}, false},
		{"Host IPv6 literal", crlf("GET / HTTP/1.1", "Host: [::1]:8080"), Request{Path: "/"}, false},
		{"Host with underscore", crlf("GET / HTTP/1.1", "Host: my_host.local"), Request{Path: "/"}, false},
		{"token characters in a name", crlf("GET / HTTP/1.1", "Host: a", "X-A!#$&'*+.^_`|~0: v"),
			Request{Path: "/"}, false},
		{"non-ASCII bytes in a value", crlf("GET / HTTP/1.1", "Host: a", "Cookie: name=caf\xc3\xa9"),
			Request{Path: "/", Cookie: "name=caf\xc3\xa9", HasCookie: true}, false},
		{"tab inside a value", crlf("GET / HTTP/1.1", "Host: a", "Accept-Language: en\tfr"),
			Request{Path: "/", AcceptLanguage: "en\tfr"}, false},
	}
}

func TestParseAccepts(t *testing.T) {
	for _, tt := range acceptCases() {
		t.Run(tt.name, func(t *testing.T) {
			if n := headEnd([]byte(tt.in)); n != len(tt.in) {
				t.Fatalf("headEnd(%q) = %d, want the whole %d bytes", tt.in, n, len(tt.in))
			}
			req, closeAfter, ok := read(t, tt.in)
			if !ok {
				t.Fatalf("parse(%q) handed off, want it answered", tt.in)
			}
			if req != tt.want {
				t.Errorf("parse(%q)\n got %+v\nwant %+v", tt.in, req, tt.want)
			}
			if closeAfter != tt.wantClose {
				t.Errorf("parse(%q) closeAfter = %v, want %v", tt.in, closeAfter, tt.wantClose)
			}
		})
	}
}

type handoffCase struct {
	name string
	in   string
}

// handoffCases are heads the fast path leaves to net/http; the fuzz test
// seeds its corpus with them too.
func handoffCases() []handoffCase {
	type tc = handoffCase
	tests := []tc{
		{"POST", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 0")},
		{"PUT", crlf("PUT / HTTP/1.1", "Host: a")},
		{"DELETE", crlf("DELETE / HTTP/1.1", "Host: a")},
		{"OPTIONS", crlf("OPTIONS * HTTP/1.1", "Host: a")},
		{"CONNECT", crlf("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443")},
		{"lower-case method", crlf("get / HTTP/1.1", "Host: a")},
		{"longer method", crlf("GETS / HTTP/1.1", "Host: a")},
		{"method alone", crlf("GET", "Host: a")},
		{"HTTP/1.0", crlf("GET / HTTP/1.0", "Host: a")},
		{"HTTP/1.2", crlf("GET / HTTP/1.2", "Host: a")},
		{"HTTP/2.0", crlf("GET / HTTP/2.0", "Host: a")},
		{"lower-case version", crlf("GET / http/1.1", "Host: a")},
		{"HTTP/0.9 style", crlf("GET /", "Host: a")},
		{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
		{"two spaces before the target", crlf("GET  / HTTP/1.1", "Host: a")},
		{"two spaces before the version", crlf("GET /  HTTP/1.1", "Host: a")},
		{"space after the version", crlf("GET / HTTP/1.1 ", "Host: a")},
		{"space in the target", crlf("GET /a b HTTP/1.1", "Host: a")},
		{"tab in the target", crlf("GET /a\tb HTTP/1.1", "Host: a")},
		{"tab as separator", crlf("GET\t/ HTTP/1.1", "Host: a")},
		{"empty target", crlf("GET  HTTP/1.1", "Host: a")},
		{"absolute-form", crlf("GET http://example.com/ HTTP/1.1", "Host: example.com")},
		{"asterisk-form", crlf("GET * HTTP/1.1", "Host: a")},
		{"authority-form", crlf("GET example.com:80 HTTP/1.1", "Host: a")},
		{"percent in the path", crlf("GET /a%20b HTTP/1.1", "Host: a")},
		{"percent in the query", crlf("GET /a?q=%41 HTTP/1.1", "Host: a")},
		{"fragment", crlf("GET /a#frag HTTP/1.1", "Host: a")},
		{"fragment in the query", crlf("GET /a?b#c HTTP/1.1", "Host: a")},
		{"NUL in the target", crlf("GET /a\x00 HTTP/1.1", "Host: a")},
		{"control byte in the target", crlf("GET /a\x01b HTTP/1.1", "Host: a")},
		{"DEL in the target", crlf("GET /a\x7f HTTP/1.1", "Host: a")},
		{"non-ASCII in the target", crlf("GET /caf\xc3\xa9 HTTP/1.1", "Host: a")},
		{"CR in the request line", "GET / HTTP/1.1\rX\r\nHost: a\r\n\r\n"},
		{"no Host", crlf("GET / HTTP/1.1", "Accept: */*")},
		{"no headers at all", "GET / HTTP/1.1\r\n\r\n"},
		{"Host twice, same value", crlf("GET / HTTP/1.1", "Host: a", "Host: a")},
		{"Host twice, different values", crlf("GET / HTTP/1.1", "Host: a", "Host: b")},
		{"empty Host", crlf("GET / HTTP/1.1", "Host:")},
		{"blank Host", crlf("GET / HTTP/1.1", "Host: \t ")},
		{"space inside Host", crlf("GET / HTTP/1.1", "Host: a b")},
		{"slash in Host", crlf("GET / HTTP/1.1", "Host: a/b")},
		{"userinfo in Host", crlf("GET / HTTP/1.1", "Host: u@a")},
		{"comma in Host", crlf("GET / HTTP/1.1", "Host: a,b")},
		{"non-ASCII Host", crlf("GET / HTTP/1.1", "Host: caf\xc3\xa9")},
		{"obs-fold", crlf("GET / HTTP/1.1", "Host: a", "Cookie: a=b", " c=d")},
		{"obs-fold with a tab", crlf("GET / HTTP/1.1", "Host: a", "X-A: b", "\tc")},
		{"obs-fold of Host", crlf("GET / HTTP/1.1", "Host:", " a")},
		{"first header line folded", crlf("GET / HTTP/1.1", " Host: a")},
		{"bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n"},
		{"bare LF after a header", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n"},
		{"bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n"},
		{"leading empty line", "\r\n" + crlf("GET / HTTP/1.1", "Host: a")},
		{"space before the colon", crlf("GET / HTTP/1.1", "Host : a")},
		{"space inside a name", crlf("GET / HTTP/1.1", "Host: a", "X A: b")},
		{"empty name", crlf("GET / HTTP/1.1", "Host: a", ": b")},
		{"no colon", crlf("GET / HTTP/1.1", "Host: a", "NoColon")},
		{"separator in a name", crlf("GET / HTTP/1.1", "Host: a", "X(A): b")},
		{"slash in a name", crlf("GET / HTTP/1.1", "Host: a", "X/A: b")},
		{"non-ASCII in a name", crlf("GET / HTTP/1.1", "Host: a", "X-\xc3\xa9: b")},
		{"lone CR in a line", crlf("GET / HTTP/1.1", "Host: a", "X: a\rb")},
		{"CR at the end of a value", crlf("GET / HTTP/1.1", "Host: a", "X: a\r")},
		{"NUL in a value", crlf("GET / HTTP/1.1", "Host: a", "X: a\x00b")},
		{"control byte in a value", crlf("GET / HTTP/1.1", "Host: a", "Cookie: a\x01")},
		{"DEL in a value", crlf("GET / HTTP/1.1", "Host: a", "X: \x7f")},
		{"escape in a value", crlf("GET / HTTP/1.1", "Host: a", "Accept-Language: \x1b[31m")},
		{"Transfer-Encoding: chunked", crlf("GET / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked")},
		{"Transfer-Encoding: identity", crlf("GET / HTTP/1.1", "Host: a", "transfer-encoding: identity")},
		{"empty Transfer-Encoding", crlf("GET / HTTP/1.1", "Host: a", "Transfer-Encoding:")},
		{"Expect", crlf("GET / HTTP/1.1", "Host: a", "Expect: 100-continue")},
		{"unknown Expect", crlf("GET / HTTP/1.1", "Host: a", "EXPECT: x")},
		{"Upgrade", crlf("GET / HTTP/1.1", "Host: a", "Upgrade: websocket")},
		{"h2c upgrade", crlf("GET / HTTP/1.1", "Host: a", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
			"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA")},
		{"HTTP2-Settings", crlf("GET / HTTP/1.1", "Host: a", "HTTP2-Settings: AAMAAABk")},
		{"Connection: upgrade", crlf("GET / HTTP/1.1", "Host: a", "Connection: upgrade")},
		{"Connection: close, Upgrade", crlf("GET / HTTP/1.1", "Host: a", "Connection: close, Upgrade")},
		{"Connection naming a header", crlf("GET / HTTP/1.1", "Host: a", "Connection: keep-alive, X-Foo")},
		{"Connection with an empty token", crlf("GET / HTTP/1.1", "Host: a", "Connection: close,,keep-alive")},
		{"Connection: closed", crlf("GET / HTTP/1.1", "Host: a", "Connection: closed")},
		{"Content-Length: 1", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 1")},
		{"Content-Length: 00", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 00")},
		{"Content-Length: +0", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: +0")},
		{"Content-Length: -0", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: -0")},
		{"Content-Length: 0, 0", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 0, 0")},
		{"empty Content-Length", crlf("GET / HTTP/1.1", "Host: a", "Content-Length:")},
		{"Content-Length repeated", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 0", "Content-Length: 0")},
	}
	// Any header the answer depends on, sent twice: with the same value,
	// with different ones, and an empty one then a full one (which a
	// check of the value alone would miss).
	for _, name := range []string{"Accept-Encoding", "Accept-Language", "Cookie", "If-None-Match", "If-Modified-Since"} {
		tests = append(tests,
			tc{name + " twice", crlf("GET / HTTP/1.1", "Host: a", name+": x", name+": x")},
			tc{name + " twice, other case", crlf("GET / HTTP/1.1", name+": x", "Host: a", strings.ToLower(name)+": y")},
			tc{name + " empty then full", crlf("GET / HTTP/1.1", "Host: a", name+":", name+": x")},
			tc{name + " full then empty", crlf("GET / HTTP/1.1", "Host: a", name+": x", name+": ")},
		)
	}
	return tests
}

func TestParseHandsOff(t *testing.T) {
	for _, tt := range handoffCases() {
		t.Run(tt.name, func(t *testing.T) {
			if req, closeAfter, ok := read(t, tt.in); ok {
				t.Errorf("parse(%q) = %+v, close %v: answered, want it handed to net/http", tt.in, req, closeAfter)
			}
		})
	}
}

// TestParseResets checks that parse clears what an earlier request on the
// same connection left in req.
func TestParseResets(t *testing.T) {
	var req Request
	first := crlf("HEAD /a?b HTTP/1.1", "Host: a", "Cookie: c", "Accept-Encoding: gzip", "If-None-Match: x")
	if _, ok := parse([]byte(first), &req); !ok {
		t.Fatalf("parse(%q) handed off", first)
	}
	second := crlf("GET /b HTTP/1.1", "Host: a")
	if _, ok := parse([]byte(second), &req); !ok {
		t.Fatalf("parse(%q) handed off", second)
	}
	if want := (Request{Path: "/b"}); req != want {
		t.Errorf("after a second request, req = %+v, want %+v", req, want)
	}
}

// TestParseAllocs holds the fast path to its promise: reading a request
// head allocates nothing.
func TestParseAllocs(t *testing.T) {
	b := []byte(crlf("GET /doc?id=7 HTTP/1.1", "Host: example.com", "Accept-Encoding: gzip, br",
		"Accept-Language: en", "Cookie: a=b", `If-None-Match: "v1"`, "Connection: keep-alive"))
	var req Request
	allocs := testing.AllocsPerRun(100, func() {
		n := headEnd(b)
		if _, ok := parse(b[:n], &req); !ok {
			t.Fatal("handed off")
		}
	})
	if allocs != 0 {
		t.Errorf("headEnd and parse allocate %v times per request, want 0", allocs)
	}
}

func BenchmarkParse(b *testing.B) {
	head := []byte(crlf("GET /notices/42?page=2 HTTP/1.1",
		"Host: status.example.com",
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		"Accept-Language: zh-TW,zh;q=0.8,en-US;q=0.5,en;q=0.3",
		"Accept-Encoding: gzip, deflate, br, zstd",
		"Connection: keep-alive",
		`If-None-Match: "5f2a9c"`,
		"Cookie: lang=zh-TW"))
	b.ReportAllocs()
	b.SetBytes(int64(len(head)))
	var req Request
	for b.Loop() {
		n := headEnd(head)
		if _, ok := parse(head[:n], &req); !ok {
			b.Fatal("handed off")
		}
	}
}
