package public_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	diffFor = flag.Duration("public.diff", 3*time.Second,
		"how long TestFastPathDifferential drives connections (it stops by itself)")
	diffSeed = flag.Uint64("public.diff.seed", 0,
		"seed of TestFastPathDifferential's first connection; 0 picks one (each failure names its own)")
	diffConns = flag.Int("public.diff.conns", 8, "connections TestFastPathDifferential drives at once on each server")
)

// TestFastPathDifferential drives many keep-alive connections with random
// requests at two servers over the same data: one answers what it can on
// the fast path (as the production server does) and hands the rest to
// net/http, the other is net/http alone. Every connection's whole
// transcript must be the same bytes on both, Date headers aside. The
// requests mix valid and invalid paths, the language cookie with valid and
// invalid values, Accept-Language, Accept-Encoding and validators, and
// heads that the fast path hands to net/http mid-connection (a body, a
// long, doubtful or refused head, ?lang=); they are sent one by one,
// pipelined, and split across writes, and often followed by the same
// request with one value changed (see variant). Each site has its own
// cache, dropped now and then, so that the fast path renders pages itself
// from the requests it reads.
//
// Three nets catch a view of a connection's buffer kept past its request:
// the site's Respond is checked after every call (viewCheck), a
// wrong answer shows in the comparison, and under -race (as CI runs it)
// the race detector may see the buffer rewritten under a reader.
//
// It runs for -public.diff (3s by default) and then stops by itself; a
// failure names the seed of its connection, which -public.diff.seed
// replays first.
func TestFastPathDifferential(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	var fastAnswers, handedAnswers atomic.Int64
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handedAnswers.Add(1)
		s.mux.ServeHTTP(w, r)
	})
	check := &viewCheck{pub: s.pub}
	fast := serveFast(t, counted, check.respond, func(string, string, int, time.Duration) { fastAnswers.Add(1) })
	refPub, refMux := s.replica(t)
	ref := serveNetHTTP(t, refMux)
	g := newRequestGen(t, s, ref)

	seed := *diffSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("first seed %d (-public.diff.seed), %s (-public.diff), %d connections at once", seed, *diffFor, *diffConns)

	ctx, cancel := context.WithTimeout(context.Background(), *diffFor)
	defer cancel()
	// Both caches are dropped now and then, between connections, so that
	// the fast path keeps rendering pages from what it reads, and the
	// caches' maps grow again from empty (re-placing their keys as they
	// read by then).
	var between sync.RWMutex
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			between.Lock()
			s.pub.Invalidate(context.Background())
			refPub.Invalidate(context.Background())
			between.Unlock()
		}
	})
	var next atomic.Uint64
	var conns, requests, failures atomic.Int64
	for range *diffConns {
		wg.Go(func() {
			for ctx.Err() == nil && failures.Load() < 3 {
				connSeed := seed + next.Add(1) - 1
				plan := g.connection(rand.New(rand.NewPCG(connSeed, 0x5eed)))
				a, b := make(chan transcript, 1), make(chan transcript, 1)
				between.RLock()
				go func() { a <- exchange(fast, plan) }()
				go func() { b <- exchange(ref, plan) }()
				ta, tb := <-a, <-b
				between.RUnlock()
				conns.Add(1)
				requests.Add(int64(len(plan.methods)))
				for _, msg := range check.take() {
					failures.Add(1)
					t.Error(msg)
				}
				if msg := compareTranscripts(ta, tb); msg != "" {
					failures.Add(1)
					t.Errorf("connection with seed %d (-public.diff.seed=%d replays it): %s\nsent: %s",
						connSeed, connSeed, msg, clipQuote(plan.bytes(), 3000))
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d connections, %d requests: %d answered on the fast path, %d by net/http behind it",
		conns.Load(), requests.Load(), fastAnswers.Load(), handedAnswers.Load())
	if fastAnswers.Load() == 0 || handedAnswers.Load() == 0 {
		t.Errorf("the fast path answered %d requests and handed %d to net/http: the test must exercise both",
			fastAnswers.Load(), handedAnswers.Load())
	}
}

// write is one write of a connection's plan: after the answers to the
// first after requests came, and a pause.
type write struct {
	after int
	pause time.Duration
	data  []byte
}

// connPlan is what one connection sends.
type connPlan struct {
	writes  []write
	methods []string // of the requests, in order: a HEAD's answer has no body
}

func (p connPlan) bytes() []byte {
	var b []byte
	for _, w := range p.writes {
		b = append(b, w.data...)
	}
	return b
}

// compareTranscripts describes how the fast path's transcript a differs
// from net/http's b, or returns "".
func compareTranscripts(a, b transcript) string {
	if a.err != nil || b.err != nil {
		return fmt.Sprintf("reading: fast path %v, net/http %v", a.err, b.err)
	}
	x, y := withoutDate(a.b), withoutDate(b.b)
	if bytes.Equal(x, y) {
		return ""
	}
	return "the answers differ " + firstDifference(x, y)
}

func clipQuote(b []byte, n int) string {
	if len(b) > n {
		return strconv.Quote(string(b[:n])) + fmt.Sprintf(" … (%d bytes)", len(b))
	}
	return strconv.Quote(string(b))
}

// requestGen makes random requests for the site's data.
type requestGen struct {
	valid   []string // paths of documents
	paths   []string // valid and not
	queries []string
	etags   []string
	dates   []string
}

var cssLink = regexp.MustCompile(`/public/site\.[0-9a-f]+\.css`)

// newRequestGen lists paths, valid and not, and collects the validators
// the reference server ref gives, so that conditional requests match.
func newRequestGen(t *testing.T, s *site, ref string) *requestGen {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)
	home := fetch(t, client, http.MethodGet, "http://"+ref+"/", nil)
	css := cssLink.FindString(home.body)
	if css == "" {
		t.Fatal("no stylesheet link on /")
	}
	valid := []string{"/", "/feed.atom", "/cap.atom", "/api/v1/public/notices", css,
		path("/crises/%d", s.crisis.ID), path("/crises/%d", s.drill.ID),
		path("/crises/%d/feed.atom", s.crisis.ID), path("/crises/%d/feed.atom", s.drill.ID)}
	for _, n := range []int64{s.original.ID, s.correction.ID, s.exercise.ID, s.script.ID} {
		valid = append(valid, path("/notices/%d", n), path("/notices/%d/cap.xml", n))
	}
	g := &requestGen{
		valid: valid,
		paths: append(valid[:len(valid):len(valid)],
			path("/notices/%d", s.draft.ID), path("/notices/%d", s.internal.ID), path("/notices/%d/cap.xml", s.draft.ID),
			path("/notices/0%d", s.original.ID), path("/notices/%d/", s.original.ID), path("/notices/%%3%d", s.original.ID),
			path("/crises/%d/cap.xml", s.crisis.ID), "/notices/99999999", "/notices/99999999999999999999",
			"/notices/abc", "/notices/", "/notices", "/public/site.0.css", "/public/", "/public/a/b", "/nothing-here",
			"//feed.atom", "/./", "/crises/../feed.atom", "/Feed.atom", "/feed.atom/", "/api/v1/other", "/%7e", "/?",
			"/subscribe/../feed.atom"),
		queries: []string{"?utm_source=x", "?lang=en", "?lang=zh-Hans", "?lang=xx", "?a=lang", "?", "?x=%zz", "?page=2&lang="},
		dates:   []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Fri, 01 Jan 2100 00:00:00 GMT", "yesterday", ""},
		etags:   []string{"*", `"x"`, `W/"x"`, "", `"`},
	}
	for _, p := range valid {
		for _, h := range [][]string{{"Accept-Language", "en"}, {"Accept-Language", "zh-CN", "Accept-Encoding", "gzip"}} {
			r := fetch(t, client, http.MethodGet, "http://"+ref+p, h)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s %q: %d", p, h, r.status)
			}
			g.etags = append(g.etags, r.header.Get("Etag"), "W/"+r.header.Get("Etag"), r.header.Get("Etag")+`, "other"`)
			g.dates = append(g.dates, r.header.Get("Last-Modified"))
		}
	}
	return g
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// connection makes one connection's plan: a few requests, each sent once
// the answers before it came, or after a pause, or pipelined with the
// next, or split across writes.
func (g *requestGen) connection(r *rand.Rand) connPlan {
	var p connPlan
	n := 1 + r.IntN(8)
	var pending []byte // pipelined: written with the next
	queued := 0        // requests in pending
	var prev []byte
	for i := 0; i < n; i++ {
		req, kind := g.request(r)
		if prev != nil && r.IntN(4) == 0 {
			req, kind = variant(r, prev), keepsOpen
		}
		prev = nil
		if kind == keepsOpen && bytes.HasSuffix(req, []byte("\r\n\r\n")) {
			prev = req
		}
		// A request the server closes the connection after must have no
		// body: net/http does not read it then, and a body still coming
		// when the server closes makes it reset the connection.
		if i == n-1 && kind == keepsOpen && r.IntN(3) == 0 && bytes.HasSuffix(req, []byte("\r\n\r\n")) {
			req = bytes.Replace(req, []byte("\r\n\r\n"), []byte("\r\nConnection: close\r\n\r\n"), 1)
			kind = closes
		}
		last := kind != keepsOpen || i == n-1
		if kind == refused {
			// Refused once net/http reads its first line, so it must
			// have come whole by then: bytes the server has not read
			// when it closes make it reset the connection, and the
			// client may lose the answer.
			if len(pending) > 0 {
				p.writes = append(p.writes, write{data: pending})
				pending, queued = nil, 0
			}
			p.writes = append(p.writes, write{after: len(p.methods), data: req})
			p.methods = append(p.methods, requestMethod(req))
			break
		}
		p.methods = append(p.methods, requestMethod(req))
		pending = append(pending, req...)
		queued++
		switch {
		case !last && r.IntN(3) == 0: // pipelined with the next
			continue
		case r.IntN(5) == 0 && len(pending) > 2: // split across writes
			for len(pending) > 0 {
				k := min(len(pending), 1+r.IntN(len(pending)))
				p.writes = append(p.writes, write{pause: time.Duration(r.IntN(1000)) * time.Microsecond, data: pending[:k]})
				pending = pending[k:]
			}
		case r.IntN(2) == 0: // once the answers before it came
			p.writes = append(p.writes, write{after: len(p.methods) - queued, data: pending})
		default:
			p.writes = append(p.writes, write{pause: time.Duration(r.IntN(500)) * time.Microsecond, data: pending})
		}
		pending, queued = nil, 0
		if last {
			break
		}
	}
	return p
}

// variant returns req with one value changed for another of the same
// length, as a browser sends the same request again in another language:
// where the connection's buffer held a value of req, it then holds
// another plausible one, so that anything kept of req past its answer
// reads as a wrong but valid value rather than as garbage.
func variant(r *rand.Rand, req []byte) []byte {
	swaps := [][2]string{{"zh-Hant", "zh-Hans"}, {"zh-Hans", "zh-Hant"}, {"=en", "=xx"}, {"=xx", "=en"},
		{"/notices/", "/notixes/"}, {"/crises/", "/crisis/"}, {"gzip", "gzig"}}
	r.Shuffle(len(swaps), func(i, j int) { swaps[i], swaps[j] = swaps[j], swaps[i] })
	for _, sw := range swaps {
		if bytes.Contains(req, []byte(sw[0])) {
			return bytes.ReplaceAll(req, []byte(sw[0]), []byte(sw[1]))
		}
	}
	return bytes.Replace(req, []byte("Host: "), []byte("HOST: "), 1)
}

// requestMethod is the method of the request that starts req.
func requestMethod(req []byte) string {
	m, _, _ := bytes.Cut(req, []byte(" "))
	return string(m)
}

var (
	acceptEncodings = []string{"gzip", "gzip, deflate, br, zstd", "br", "gzip;q=0", "*", "*;q=0", "identity", "", "x-gzip", "GZIP;q=0.5"}
	acceptLanguages = []string{"en", "zh-TW,zh;q=0.9", "zh-CN", "zh", "zh-HK", "fr", "", "en-US,en;q=0.5", "zh-Hant", "zh-hans",
		"*", "xx-YY;q=0.1, en;q=0.01", "en;q=0, zh-SG", "zh_TW", strings.Repeat("de-DE,", 40) + "en"}
	cookies = []string{"crisisdesk_lang=en", "crisisdesk_lang=zh-Hant", "crisisdesk_lang=zh-Hans", "crisisdesk_lang=xx",
		"crisisdesk_lang=", "a=1; crisisdesk_lang=zh-Hans; b=2", "crisisdesk_lang=EN", `crisisdesk_lang="en"`,
		"crisisdesk_lang=en; crisisdesk_lang=zh-Hant", "session=abc", "crisisdesk_lang=zh-Hant-XX", "crisisdesk_lang",
		"xcrisisdesk_lang=en", "", "crisisdesk_lang=zh-Hans;", "crisisdesk_lang=en\tx"}
)

// requestKind is what a request lets the connection do after it.
type requestKind int

const (
	keepsOpen requestKind = iota // more requests may follow
	closes                       // the server closes the connection after answering
	refused                      // net/http refuses it and closes the connection
)

// request makes one random request.
func (g *requestGen) request(r *rand.Rand) ([]byte, requestKind) {
	method := "GET"
	switch k := r.IntN(20); {
	case k < 3:
		method = "HEAD"
	case k == 3:
		method = "POST"
	case k == 4:
		method = pick(r, []string{"PUT", "OPTIONS", "DELETE", "get"})
	}
	target := pick(r, g.valid)
	if r.IntN(5) == 0 {
		target = pick(r, g.paths)
	}
	if r.IntN(8) == 0 {
		target += pick(r, g.queries)
	}
	if r.IntN(40) == 0 {
		target = "http://" + wireHost + target // absolute form
	}
	lines := []string{method + " " + target + " HTTP/1.1", "Host: " + wireHost}
	add := func(p int, line string) {
		if r.IntN(p) == 0 {
			lines = append(lines, line)
		}
	}
	add(2, "Accept-Encoding: "+pick(r, acceptEncodings))
	add(2, "Accept-Language: "+pick(r, acceptLanguages))
	add(2, "Cookie: "+pick(r, cookies))
	add(5, "If-None-Match: "+pick(r, g.etags))
	add(6, "If-Modified-Since: "+pick(r, g.dates))
	add(3, "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	add(8, "Connection: keep-alive")
	// Heads the fast path hands to net/http, which keeps the connection.
	add(30, "Accept-Language: "+pick(r, acceptLanguages)) // perhaps a second one
	add(30, "Cookie: "+pick(r, cookies))

	// Heads net/http refuses, with a 400 and the connection closed.
	kind := keepsOpen
	switch r.IntN(80) {
	case 0:
		lines = slices.Delete(lines, 1, 2) // no Host
		kind = refused
	case 1:
		lines = append(lines, "Host: other.example")
		kind = refused
	case 2:
		lines = append(lines, "Bad Name: x")
		kind = refused
	case 3:
		lines[0] += " x"
		kind = refused
	case 4:
		lines = append(lines, "Content-Length: 1", "Content-Length: 2")
		kind = refused
	case 5:
		lines = append(lines, "X-Control: a\x01b")
		kind = refused
	}
	body := ""
	if kind == keepsOpen {
		add(40, "X-Pad: "+strings.Repeat("p", 3000+r.IntN(3000))) // past the fast path's buffer
		if method == "POST" || r.IntN(40) == 0 {
			body = "a=1"
			lines = append(lines, "Content-Length: 3")
		} else if r.IntN(50) == 0 {
			body = "0\r\n\r\n"
			lines = append(lines, "Transfer-Encoding: chunked")
		}
	}
	r.Shuffle(len(lines)-1, func(i, j int) { lines[i+1], lines[j+1] = lines[j+1], lines[i+1] })
	head := strings.Join(lines, "\r\n") + "\r\n\r\n"
	if kind == keepsOpen {
		switch r.IntN(60) {
		case 0:
			head = strings.ReplaceAll(head, "\r\n", "\n") // bare LF, which net/http reads
		case 1:
			head = strings.Replace(head, "\r\n\r\n", "\r\nX-Folded: a\r\n b\r\n\r\n", 1) // obsolete line folding
		case 2:
			if body == "" { // see connection
				head = strings.Replace(head, " HTTP/1.1\r\n", " HTTP/1.0\r\n", 1)
				kind = closes
			}
		}
	}
	if kind == keepsOpen && strings.Contains(head, "Connection: close") {
		kind = closes
	}
	return []byte(head + body), kind
}

// TestRequestGenKinds checks the generator against net/http: what it
// says net/http refuses gets a 400, and nothing else does.
func TestRequestGenKinds(t *testing.T) {
	t.Parallel()
	addr := serveNetHTTP(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	g := &requestGen{valid: []string{"/"}, paths: []string{"/", "/a"}, queries: []string{"?a"}, etags: []string{`"e"`}, dates: []string{"d"}}
	r := rand.New(rand.NewPCG(1, 2))
	count := map[requestKind]int{}
	for range 250 {
		req, kind := g.request(r)
		count[kind]++
		tr := exchange(addr, connPlan{writes: []write{{data: req}}, methods: []string{requestMethod(req)}})
		if tr.err != nil {
			t.Fatalf("%q: %v", req, tr.err)
		}
		if got := bytes.HasPrefix(tr.b, []byte("HTTP/1.1 400 ")); got != (kind == refused) {
			t.Errorf("%q (kind %d): net/http answered %q", req, kind, clip(tr.b, 0, 40))
		}
	}
	if count[refused] == 0 || count[keepsOpen] == 0 || count[closes] == 0 {
		t.Errorf("requests of each kind: %v", count)
	}
}
