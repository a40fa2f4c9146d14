package public

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/i18n"
)

// renderTimeout bounds one render.
const renderTimeout = 10 * time.Second

// renderFunc renders one response in lang.
type renderFunc func(r *http.Request, lang string) (rendered, error)

// cached serves f's output from the cache. byLang keys the cache by the
// reader's language; documents that hold every language (CAP, JSON) are
// kept once, vary by encoding only, and set no cookie.
func (s *Site) cached(byLang bool, f renderFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cc, vary := publicCache, varyEncoding
		k := cacheKey{path: r.URL.Path}
		if byLang {
			vary = varyLanguage
			if s.language(w, r, &k.lang) {
				cc = privateCache
			}
		}
		e, err := s.entry(r.Context(), r, k, f)
		if err != nil {
			lang := k.lang
			if !byLang {
				s.language(nil, r, &lang)
			}
			s.fail(w, r, lang, err)
			return
		}
		s.cache.serve(w, r, e, cc, vary)
	}
}

// entry returns the cached response for k, rendering it with f when it is
// missing. The render gets r (its path and path values) with a context of
// its own: others may wait for it, so the first reader leaving must not
// cancel it.
func (s *Site) entry(ctx context.Context, r *http.Request, k cacheKey, f renderFunc) (*entry, error) {
	return s.cache.get(k, s.clock.Now(), func() (*entry, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		out, err := f(r.WithContext(ctx), k.lang)
		if err != nil {
			return nil, err
		}
		return newEntry(out, s.clock.Now()), nil
	})
}

// language sets *lang to the reader's language: ?lang=, then the cookie
// the staff UI keeps, then Accept-Language. A ?lang= link shows its
// language without changing the reader's stored choice, so that a shared
// link is no setting and its page stays cacheable by anyone. It reports
// whether it set a cookie: never now; w is kept for callers that pass it.
//
// *lang is always one of the constants of i18n.Languages, never bytes of
// the request: it becomes a cache key and a cached Content-Language, and
// on the fast path the request's strings are views of a buffer that the
// connection's next request rewrites (see fastpath.Request).
func (s *Site) language(_ http.ResponseWriter, r *http.Request, lang *string) (setCookie bool) {
	if r.URL.RawQuery != "" {
		if q, ok := i18n.Canonical(r.URL.Query().Get("lang")); ok {
			*lang = q
			return false
		}
	}
	if _, ok := r.Header["Cookie"]; ok {
		if c, err := r.Cookie(LanguageCookie); err == nil {
			if l, ok := i18n.Canonical(c.Value); ok {
				*lang = l
				return false
			}
		}
	}
	*lang = s.langs.negotiate(r.Header["Accept-Language"])
	return false
}

// maxLangMemo bounds the memo of Accept-Language values; browsers send
// few distinct ones, and past the bound each is simply negotiated again.
const maxLangMemo = 1024

// langMemo remembers the language negotiated for each Accept-Language
// value, so that a surge does not parse the same header again and again.
type langMemo struct {
	mu sync.RWMutex
	m  map[string]string
}

func (m *langMemo) negotiate(values []string) string {
	var h string
	if len(values) > 0 {
		h = values[0]
	}
	return m.negotiateOne(h)
}

// negotiateOne negotiates one Accept-Language value into one of the
// constants of i18n.Languages. h may be a view of a buffer that changes
// later: the memo keeps a copy as its key.
func (m *langMemo) negotiateOne(h string) string {
	m.mu.RLock()
	lang, ok := m.m[h]
	m.mu.RUnlock()
	if ok {
		return lang
	}
	lang = i18n.Negotiate("", h)
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]string{}
	}
	if len(m.m) < maxLangMemo {
		m.m[strings.Clone(h)] = lang
	}
	m.mu.Unlock()
	return lang
}

// fail answers an error: the not-found page for unknown or non-public
// things, a generic error page for anything else (logged in full). Neither
// is cached.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	status, title, text := http.StatusInternalServerError, "public.error", "public.error_text"
	if fault.Is(err, fault.NotFound) {
		status, title, text = http.StatusNotFound, "public.not_found", "public.not_found_text"
	} else {
		s.log.ErrorContext(r.Context(), "public: render", "path", r.URL.Path, "err", err)
	}
	tr := s.catalog.For(lang)
	body, rerr := s.html(r, lang, "error", tr.T(title), errorView{Title: title, Text: text})
	if rerr != nil {
		s.log.ErrorContext(r.Context(), "public: render error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	httpsec.SetPage(h)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

type errorView struct{ Title, Text string }

// pathID reads the {id} of the route. Only the canonical decimal form is
// found ("007" and "+7" are not), so that the cache holds one copy of each
// page and junk paths cannot fill it.
func pathID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	if !canonicalID(raw) {
		return 0, fault.New(fault.NotFound, "no such id %q", raw)
	}
	return strconv.ParseInt(raw, 10, 64)
}

// canonicalID reports whether raw is a positive int64 in decimal without
// sign or leading zeros.
func canonicalID(raw string) bool {
	if raw == "" || raw[0] < '1' || raw[0] > '9' {
		return false
	}
	for i := 1; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(raw, 10, 64) // out of range
	return err == nil
}

// static serves the embedded stylesheet; its URL carries a fingerprint,
// so it may be cached for a year.
func (s *Site) static(w http.ResponseWriter, r *http.Request) {
	if "/public/"+r.PathValue("file") != s.cssPath {
		http.NotFound(w, r)
		return
	}
	s.cache.serve(w, r, s.cssEntry, immutableCache, varyEncoding)
}
