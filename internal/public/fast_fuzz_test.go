package public_test

import (
	"testing"

	"crisisdesk/internal/fastpath/fastpathtest"
)

// FuzzFastPathSite holds the site's Respond, behind the fast path, to
// answering a whole connection exactly as the site answers it through
// net/http alone: the input is the bytes a client sends on one
// connection, and the size of the pieces it sends them in (0: at once).
// The requests of a connection share the fast path's read buffer, which
// each rewrites; every call of Respond is checked for a view of it kept
// past the call (viewCheck), and the transcript, Date aside, must be the
// bytes a second site over the same data sends through net/http. The
// caches of both sites live across inputs, as they do across visitors.
//
// Its seeds, among them the cache poisoning sequence, are in
// testdata/fuzz/FuzzFastPathSite, and run with go test.
func FuzzFastPathSite(f *testing.F) {
	s := newSite(f)
	check := &viewCheck{pub: s.pub}
	fast := serveFast(f, s.mux, check.respond, nil)
	_, refMux := s.replica(f)
	ref := serveNetHTTP(f, refMux)
	f.Fuzz(func(t *testing.T, stream []byte, piece uint8) {
		if len(stream) > 64<<10 {
			return // past net/http's MaxHeaderBytes, which these tests do not vary
		}
		type result struct {
			b   []byte
			err error
		}
		a, b := make(chan result, 1), make(chan result, 1)
		go func() { got, err := fastpathtest.Converse(fast, stream, int(piece), wireSafety); a <- result{got, err} }()
		go func() { got, err := fastpathtest.Converse(ref, stream, int(piece), wireSafety); b <- result{got, err} }()
		ra, rb := <-a, <-b
		for _, msg := range check.take() {
			t.Errorf("%q: %s", stream, msg)
		}
		if msg := fastpathtest.Compare(ra.b, ra.err, rb.b, rb.err); msg != "" {
			t.Errorf("%q in pieces of %d: %s", stream, piece, msg)
		}
	})
}
