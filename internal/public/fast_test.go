package public_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/fastpath"
)

// fastServer serves the site's mux behind a fastpath.Front with the
// site's Respond, and counts what the fast path answered by route.
type fastServer struct {
	url    string
	mu     sync.Mutex
	routes []string
}

func (s *site) fastServer(t *testing.T) *fastServer {
	t.Helper()
	fs := &fastServer{}
	front := fastpath.New(&http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}, fastpath.Options{
		Respond: s.pub.Respond,
		Observe: func(route, method string, status int, took time.Duration) {
			fs.mu.Lock()
			fs.routes = append(fs.routes, route)
			fs.mu.Unlock()
		},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
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
	fs.url = "http://" + ln.Addr().String()
	return fs
}

// answered returns the routes the fast path answered since the last call.
func (fs *fastServer) answered() []string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	r := fs.routes
	fs.routes = nil
	return r
}

func fetch(t *testing.T, client *http.Client, method, url string, header []string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

// TestFastPathAnswersAsNetHTTPDoes sends the same requests to the site
// through net/http alone and through the fast path, and requires the same
// status, headers (but Date) and bytes; and that the fast path answered
// exactly the requests it should, leaving the rest to net/http.
func TestFastPathAnswersAsNetHTTPDoes(t *testing.T) {
	s := newSite(t)
	fs := s.fastServer(t)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	home := s.get("/", "Accept-Language", "en")
	css := regexp.MustCompile(`/public/site\.[0-9a-f]+\.css`).FindString(home.body)
	if css == "" {
		t.Fatal("no stylesheet link on /")
	}
	etag := home.header.Get("Etag")
	lastModified := home.header.Get("Last-Modified")

	type target struct {
		path string
		fast bool // answered on the fast path
	}
	targets := []target{
		{"/", true},
		{"/feed.atom", true},
		{"/cap.atom", true},
		{"/api/v1/public/notices", true},
		{path("/notices/%d", s.original.ID), true},
		{path("/notices/%d", s.correction.ID), true},
		{path("/notices/%d", s.script.ID), true},
		{path("/notices/%d", s.exercise.ID), true},
		{path("/notices/%d/cap.xml", s.correction.ID), true},
		{path("/crises/%d", s.crisis.ID), true},
		{path("/crises/%d/feed.atom", s.crisis.ID), true},
		{css, true},
		{"/?utm_source=x", true},
		// Left to net/http: not found, not canonical, a language choice.
		{path("/notices/%d", s.draft.ID), false},
		{path("/notices/%d", s.internal.ID), false},
		{path("/notices/0%d", s.original.ID), false},
		{path("/notices/%d/", s.original.ID), false},
		{"/notices/99999999", false},
		{"/public/site.0.css", false},
		{"/?lang=en", false},
		{"/feed.atom?lang=zh-Hans", false},
		{"/nothing-here", false},
	}
	headers := [][]string{
		nil,
		{"Accept-Encoding", "gzip"},
		{"Accept-Encoding", "br, gzip;q=0"},
		{"Accept-Encoding", "*"},
		{"Accept-Language", "en"},
		{"Accept-Language", "zh-TW,zh;q=0.9"},
		{"Accept-Language", "zh-CN"},
		{"Cookie", "crisisdesk_lang=en"},
		{"Cookie", "a=1; crisisdesk_lang=zh-Hans; b=2", "Accept-Language", "en"},
		{"Cookie", "crisisdesk_lang=xx", "Accept-Language", "zh-CN"},
		{"Cookie", "other=1", "Accept-Language", "en"},
		{"If-None-Match", etag, "Accept-Language", "en"},
		{"If-None-Match", `W/` + etag + `, "x"`, "Accept-Language", "en"},
		{"If-None-Match", "*"},
		{"If-None-Match", ""},
		{"If-Modified-Since", lastModified, "Accept-Language", "en"},
		{"If-Modified-Since", "not a date"},
	}
	for _, tg := range targets {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, h := range headers {
				want := fetch(t, client, method, s.srv.URL+tg.path, h)
				got := fetch(t, client, method, fs.url+tg.path, h)
				name := method + " " + tg.path + " " + strings.Join(h, ": ")
				if got.status != want.status || got.body != want.body {
					t.Errorf("%s: fast path answered %d with %d bytes, net/http %d with %d bytes",
						name, got.status, len(got.body), want.status, len(want.body))
				}
				for _, hdr := range []http.Header{got.header, want.header} {
					hdr.Del("Date")
				}
				for k, v := range want.header {
					if !slices.Equal(got.header[k], v) {
						t.Errorf("%s: header %s: fast path %q, net/http %q", name, k, got.header[k], v)
					}
				}
				for k := range got.header {
					if _, ok := want.header[k]; !ok {
						t.Errorf("%s: fast path sent header %s that net/http does not", name, k)
					}
				}
				answered := fs.answered()
				if fast := len(answered) == 1; fast != tg.fast {
					t.Errorf("%s: answered on the fast path: %v, want %v", name, fast, tg.fast)
				}
				if want.status == http.StatusOK && tg.fast && len(answered) == 1 && !strings.HasPrefix(answered[0], "GET /") {
					t.Errorf("%s: route label %q, want the mux pattern", name, answered[0])
				}
			}
		}
	}
}

// TestFastPathRendersWhatIsNotCached: after a change drops the cache, a
// page that is not rendered at once (not hot) is rendered by the first
// request on the fast path, and the change shows there.
func TestFastPathRendersWhatIsNotCached(t *testing.T) {
	s := newSite(t)
	fs := s.fastServer(t)
	client := &http.Client{}
	page := path("/crises/%d", s.crisis.ID)
	before := fetch(t, client, http.MethodGet, fs.url+page, []string{"Accept-Language", "en"})
	if before.status != http.StatusOK || len(fs.answered()) != 1 {
		t.Fatalf("crisis page on the fast path: %d", before.status)
	}
	n := s.publish(s.newNotice(s.crisis.ID, "Bridge closed tonight", "Use the tunnel."))
	s.pub.Invalidate(context.Background())
	after := fetch(t, client, http.MethodGet, fs.url+page, []string{"Accept-Language", "en"})
	if len(fs.answered()) != 1 {
		t.Fatal("the render after the change was not on the fast path")
	}
	if !strings.Contains(after.body, "Bridge closed tonight") || strings.Contains(before.body, "Bridge closed tonight") {
		t.Errorf("the crisis page did not change with notice %d", n.ID)
	}
	if after.header.Get("Etag") == before.header.Get("Etag") {
		t.Error("the ETag did not change with the page")
	}
}

// A cached document on the fast path allocates nothing, whichever
// encoding, language or validator the request carries.
func TestRespondAllocatesNothing(t *testing.T) {
	s := newSite(t)
	home := s.get("/", "Accept-Language", "zh-TW")
	s.get(path("/notices/%d", s.original.ID), "Accept-Language", "en")
	for _, req := range []fastpath.Request{
		{Path: "/", AcceptLanguage: "zh-TW", AcceptEncoding: "gzip"},
		{Path: "/", AcceptLanguage: "zh-TW", IfNoneMatch: home.header.Get("Etag"), HasIfNoneMatch: true},
		{Path: "/", AcceptLanguage: "zh-TW", IfModifiedSince: home.header.Get("Last-Modified"), HasIfModifiedSince: true},
		{Path: "/", AcceptLanguage: "zh-TW", Cookie: "session=abc", HasCookie: true},
		{Path: path("/notices/%d", s.original.ID), AcceptLanguage: "en", Query: "utm_source=x"},
		{Path: "/cap.atom", AcceptEncoding: "gzip"},
	} {
		resp := fastpath.Response{Header: make([]byte, 0, 1024)}
		n := testing.AllocsPerRun(100, func() {
			resp = fastpath.Response{Header: resp.Header[:0]}
			if !s.pub.Respond(&req, &resp) {
				t.Fatalf("%+v: not answered", req)
			}
		})
		if n != 0 {
			t.Errorf("%+v: %v allocations per request", req, n)
		}
	}
}
