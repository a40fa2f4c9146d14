package public_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestFastPathCookieLanguageOutlivesNoRequest replays the cache poisoning
// a security review found: the fast path kept the crisisdesk_lang
// cookie's value, a view into the connection's read buffer, as a cache
// key and as the cached Content-Language. The connection's next request
// rewrote those bytes, and once the cache grew (and its map placed keys
// by what they read by then) every visitor asking for the rewritten
// language got the page in the first one.
//
// On one keep-alive connection: a request with the cookie renders a page
// in Traditional Chinese; the next request puts "zh-Hans" where the
// cookie's value was, on a path the fast path leaves to net/http, so the
// buffer is never written again. Other pages then fill the cache. Every
// visitor must still get exactly what a site served by net/http alone
// sends: the right language, and intact headers.
func TestFastPathCookieLanguageOutlivesNoRequest(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fast := serveFast(t, s.mux, s.pub.Respond, nil)
	_, refMux := s.replica(t)
	ref := serveNetHTTP(t, refMux)

	page := path("/notices/%d", s.original.ID)
	other := strings.Replace(page, "/notices/", "/notixes/", 1) // as long, and no page
	c := dialWire(t, fast)
	c.send(wireRequest(http.MethodGet, page, "Cookie: crisisdesk_lang=zh-Hant"))
	if r := c.read(http.MethodGet); r.status != http.StatusOK || r.header.Get("Content-Language") != "zh-Hant" {
		t.Fatalf("first request: %d, Content-Language %q", r.status, r.header.Get("Content-Language"))
	}
	c.send(wireRequest(http.MethodGet, other, "Cookie: crisisdesk_lang=zh-Hans"))
	if r := c.read(http.MethodGet); r.status != http.StatusNotFound {
		t.Fatalf("second request: %d, want 404", r.status)
	}

	// Enough pages for the cache's map to grow past its first eight
	// entries, and so place its keys again by what they read by then.
	for _, p := range []string{"/", "/feed.atom", path("/crises/%d", s.crisis.ID), path("/notices/%d", s.exercise.ID)} {
		for _, lang := range []string{"zh-TW", "zh-CN", "en"} {
			w := dialWire(t, fast)
			w.send(wireRequest(http.MethodGet, p, "Accept-Language: "+lang))
			if r := w.read(http.MethodGet); r.status != http.StatusOK {
				t.Fatalf("GET %s in %s: %d", p, lang, r.status)
			}
		}
	}

	visitors := [][]string{
		{"Accept-Language: zh-CN"},
		{"Cookie: crisisdesk_lang=zh-Hans"},
		{"Accept-Language: zh-TW"},
		{"Cookie: crisisdesk_lang=zh-Hant", "Accept-Language: en"},
		{"Cookie: crisisdesk_lang=en"},
		{"Accept-Language: zh-CN", "Accept-Encoding: gzip"},
	}
	for _, header := range visitors {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req := wireRequest(method, page, header...)
			got, want := dialWire(t, fast), dialWire(t, ref)
			got.send(req)
			want.send(req)
			g, w := got.read(method), want.read(method)
			if !bytes.Equal(withoutDate(g.raw), withoutDate(w.raw)) {
				t.Errorf("%s %s %q: the fast path's answer differs from net/http's %s\n"+
					"Content-Language %q, want %q; ETag %q, want %q; page in %q, want %q",
					method, page, header, firstDifference(withoutDate(g.raw), withoutDate(w.raw)),
					g.header.Get("Content-Language"), w.header.Get("Content-Language"),
					g.header.Get("Etag"), w.header.Get("Etag"), htmlLang(g.body), htmlLang(w.body))
			}
		}
	}
}

// htmlLang returns the language a page says it is in.
func htmlLang(body string) string {
	_, rest, ok := strings.Cut(body, `<html lang="`)
	if !ok {
		return ""
	}
	lang, _, _ := strings.Cut(rest, `"`)
	return lang
}
