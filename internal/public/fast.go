package public

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"crisisdesk/internal/fastpath"
)

// fastRoute is a route of the table as the fast path finds it.
type fastRoute struct {
	route
	label string // the mux pattern, which metrics are labelled with
}

func (s *Site) fastRoutes() map[string]*fastRoute {
	m := map[string]*fastRoute{}
	for _, rt := range s.table() {
		m[rt.pattern] = &fastRoute{route: rt, label: http.MethodGet + " " + rt.pattern}
	}
	return m
}

// Respond answers a request on the fast path (package fastpath) the way
// the route table answers it through net/http: the same cached document,
// the same status, the same header values in the same order (both come
// from cache.decide). It reports false, leaving the request to net/http,
// for anything else: a path that is not a document of the table, a
// ?lang= choice (which sets a cookie), and a document that fails to
// render (an error page).
//
// The strings of req are views of the connection's read buffer, which
// the connection's next request rewrites: nothing derived from req
// outlives Respond. The language is one of the constants of
// i18n.Languages (see language), the cache copies the keys it keeps
// (cacheKey.owned), the memo of Accept-Language values copies its keys,
// and fastRender renders from copies. The fuzz and differential tests
// (fast_diff_test.go) and the race detector hold it to that.
func (s *Site) Respond(req *fastpath.Request, resp *fastpath.Response) bool {
	pattern, id := matchFast(req.Path)
	rt := s.fast[pattern]
	if rt == nil || strings.Contains(req.Query, "lang") {
		return false
	}
	var e *entry
	cc, vary := publicCache, varyEncoding
	switch {
	case rt.handler != nil: // the stylesheet
		if req.Path != s.cssPath {
			return false
		}
		e, cc = s.cssEntry, immutableCache
	default:
		k := cacheKey{path: req.Path}
		if rt.byLang {
			vary = varyLanguage
			k.lang = s.fastLanguage(req)
		}
		var ok bool
		if e, ok = s.cache.peek(k, s.clock.Now()); !ok {
			if e = s.fastRender(rt, k, id); e == nil {
				return false
			}
		}
	}

	var a answer
	var ae, inm, ims [1]string
	s.cache.decide(&a, e, opt(ae[:], req.AcceptEncoding, req.AcceptEncoding != ""),
		opt(inm[:], req.IfNoneMatch, req.HasIfNoneMatch), opt(ims[:], req.IfModifiedSince, req.HasIfModifiedSince), cc, vary)
	h := resp.Header
	for _, f := range a.fields[:a.n] {
		h = append(h, f.name...)
		h = append(h, ": "...)
		h = append(h, f.value[0]...)
		h = append(h, "\r\n"...)
	}
	resp.Header, resp.Status, resp.Route = h, a.status, rt.label
	if a.status == http.StatusOK {
		resp.Body = a.v.body
	}
	return true
}

// opt returns buf holding v when the header was sent, else nil, as a
// header map would give it.
func opt(buf []string, v string, sent bool) []string {
	if !sent {
		return nil
	}
	buf[0] = v
	return buf
}

// fastRender renders a document missing from the cache, as a request
// through net/http would, and returns nil when that fails.
func (s *Site) fastRender(rt *fastRoute, k cacheKey, id string) *entry {
	k.path = strings.Clone(k.path) // the cache keeps the key
	r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, k.path, nil)
	if err != nil {
		return nil
	}
	if id != "" {
		r.SetPathValue("id", strings.Clone(id))
	}
	e, err := s.entry(r.Context(), r, k, rt.render)
	if err != nil {
		return nil
	}
	return e
}

// fastLanguage is language for the fast path, where ?lang= never comes:
// the cookie, then Accept-Language. Like language, it returns one of the
// constants of i18n.Languages, never a view of req.
func (s *Site) fastLanguage(req *fastpath.Request) string {
	// Only a header naming the cookie needs net/http's cookie parser.
	if req.HasCookie && strings.Contains(req.Cookie, LanguageCookie) {
		h := http.Header{"Cookie": {req.Cookie}}
		if req.AcceptLanguage != "" {
			h["Accept-Language"] = []string{req.AcceptLanguage}
		}
		r := http.Request{URL: &url.URL{}, Header: h}
		var lang string
		s.language(nil, &r, &lang)
		return lang
	}
	return s.langs.negotiateOne(req.AcceptLanguage)
}

// matchFast finds the pattern of the route table a path matches, with the
// {id} in it; "" when it matches none the way the mux would match it
// without redirecting or unescaping.
func matchFast(path string) (pattern, id string) {
	switch path {
	case "/":
		return "/{$}", ""
	case "/feed.atom", "/cap.atom", "/api/v1/public/notices", exercisesPath, exercisesPath + "/feed.atom", logoPath:
		return path, ""
	}
	if file, ok := strings.CutPrefix(path, "/public/"); ok {
		if file != "" && !strings.Contains(file, "/") {
			return "/public/{file}", ""
		}
		return "", ""
	}
	for _, p := range [...]struct{ prefix, plain, sub, subPattern string }{
		{"/notices/", "/notices/{id}", "cap.xml", "/notices/{id}/cap.xml"},
		{"/crises/", "/crises/{id}", "feed.atom", "/crises/{id}/feed.atom"},
	} {
		rest, ok := strings.CutPrefix(path, p.prefix)
		if !ok {
			continue
		}
		id, tail, slash := strings.Cut(rest, "/")
		switch {
		case !canonicalID(id):
		case !slash:
			return p.plain, id
		case tail == p.sub:
			return p.subPattern, id
		}
		return "", ""
	}
	return "", ""
}
