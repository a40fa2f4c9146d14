// Package fastpath answers the public site's cached documents straight off
// the connection, and hands every other connection to net/http.
//
// A surge on the public site is a flood of identical keep-alive GETs for a
// few documents already rendered in memory. net/http spends most of its time
// on such a request building a Request, its header map and a response
// writer; a static-file server such as nginx does none of that. The fast
// path reads a request head into a per-connection buffer, parses the little
// it needs without allocating, asks a Responder for a ready response, and
// writes head and body with one writev.
//
// It is deliberately narrow. It serves only requests it fully understands:
// GET or HEAD, HTTP/1.1, an origin-form target, CRLF line endings, exactly
// one valid Host, no body, no Expect, no Upgrade, and at most one of each
// header the answer depends on. Anything else — another method, a request
// with a body, an unusual or malformed head, a head longer than the buffer,
// a path the Responder does not answer from memory — hands the connection,
// with every byte read and not yet answered, to net/http, which serves it
// from then on exactly as if it had accepted it. So the fast path is never
// the one to judge doubtful input: it either answers a request net/http
// would parse the same way (the fuzz test holds it to that) or does not
// answer at all.
package fastpath

import (
	"log/slog"
	"time"
)

// Request is what the fast path read of one request head. Its strings are
// views into the connection's read buffer: valid only while Respond runs,
// so a Responder that keeps one must copy it.
type Request struct {
	Head  bool   // HEAD rather than GET
	Path  string // the target before '?', as sent (not unescaped)
	Query string // the target after '?', as sent; "" for none
	// The headers a cached answer depends on, "" when absent. Each was
	// sent at most once (a repeated one hands the request to net/http).
	AcceptEncoding  string
	AcceptLanguage  string
	Cookie          string
	IfNoneMatch     string
	IfModifiedSince string
	// HasCookie, HasIfNoneMatch and HasIfModifiedSince tell an empty
	// header from an absent one.
	HasCookie, HasIfNoneMatch, HasIfModifiedSince bool
}

// Response is the answer a Responder fills in.
type Response struct {
	Status int // 200 or 304
	// Header holds the header lines, each "Name: value\r\n". Date (and
	// Connection when the connection closes) are added after them, where
	// net/http adds them; so a Responder that writes its lines sorted by
	// name, as net/http writes a header map, sends the very bytes
	// net/http would.
	Header []byte
	Body   []byte // written unless the request is HEAD or Status is 304
	Route  string // the route pattern, for metrics
}

// Responder answers req from memory by filling in resp (whose Header is
// empty with room to append), or reports false to leave the request, and
// the connection, to net/http. It is called from many goroutines at once.
type Responder func(req *Request, resp *Response) bool

// Observer is told of every request the fast path answered.
type Observer func(route, method string, status int, took time.Duration)

// Timeouts bound how long a connection may keep the server waiting, as
// http.Server's fields of the same names do.
type Timeouts struct {
	// ReadHeader bounds the wait for a whole head: from its first byte,
	// or for a connection's first request from the accept. A head handed
	// to net/http part way keeps the deadline it had, however net/http
	// would time it.
	ReadHeader time.Duration
	Write      time.Duration // to write one response
	Idle       time.Duration // between requests
}

// Options configure a Front.
type Options struct {
	Respond  Responder
	Observe  Observer // may be nil
	Timeouts Timeouts
	Logger   *slog.Logger
}
