// Package fastpathtest holds what the tests of the fast path and of its
// Responders share to compare a server with the fast path against
// net/http alone: a raw client that sends a connection's bytes as given
// and keeps every byte of the answer, and the comparison of two such
// transcripts.
package fastpathtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Converse sends stream on a new connection to addr, in pieces of piece
// bytes (at most 16 of them; all at once for 0) with a short pause
// between them, so that the server reads each alone; then it half-closes
// the connection and returns everything the server sent until it closed
// it. wait bounds the whole conversation.
func Converse(addr string, stream []byte, piece int, wait time.Duration) ([]byte, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(wait))
	type result struct {
		b   []byte
		err error
	}
	got := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(nc)
		got <- result{b, err}
	}()
	if piece <= 0 {
		piece = len(stream)
	}
	piece = max(piece, (len(stream)+15)/16)
	for len(stream) > 0 {
		k := min(piece, len(stream))
		if _, err := nc.Write(stream[:k]); err != nil {
			break // the server closed the connection: what it sent tells
		}
		stream = stream[k:]
		if len(stream) > 0 {
			time.Sleep(100 * time.Microsecond)
		}
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	r := <-got
	return r.b, r.err
}

// Compare describes how the fast path's transcript fast differs from
// net/http's ref, the value of Date headers aside, or returns "". The
// errors are what reading each ended with. A server that closes a
// connection with bytes unread makes it reset, which loses some of what
// it sent last: a side that was reset must hold a prefix of the other's.
func Compare(fast []byte, fastErr error, ref []byte, refErr error) string {
	for _, err := range []error{fastErr, refErr} {
		if err != nil && !errors.Is(err, syscall.ECONNRESET) {
			return fmt.Sprintf("reading: fast path %v, net/http %v", fastErr, refErr)
		}
	}
	a, b := MaskDates(fast), MaskDates(ref)
	switch {
	case fastErr != nil && refErr != nil:
		n := min(len(a), len(b))
		a, b = a[:n], b[:n]
	case fastErr != nil && len(a) <= len(b):
		b = b[:len(a)]
	case refErr != nil && len(b) <= len(a):
		a = a[:len(b)]
	}
	if bytes.Equal(a, b) {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-120)
	return fmt.Sprintf("the answers differ at byte %d (reset: fast path %v, net/http %v):\n fast path: %q\n net/http:  %q",
		i, fastErr != nil, refErr != nil, a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}

// MaskDates returns a copy of b with the value of every Date header
// (always as long as http.TimeFormat) blotted out, even where b ends
// inside one.
func MaskDates(b []byte) []byte {
	b = bytes.Clone(b)
	const name = "\r\nDate: "
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(name))
		if j < 0 {
			return b
		}
		i += j + len(name)
		for k := i; k < min(i+len(http.TimeFormat), len(b)); k++ {
			b[k] = '#'
		}
	}
}
