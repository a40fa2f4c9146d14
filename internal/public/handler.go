package public

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
)

// renderTimeout bounds one render.
const renderTimeout = 10 * time.Second

// renderFunc renders one response in lang.
type renderFunc func(r *http.Request, lang string) (rendered, error)

// cached serves f's output from the cache. byLang keys the cache by the
// reader's language; documents that hold every language (CAP, JSON) are
// kept once.
func (s *Site) cached(byLang bool, f renderFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := s.language(w, r)
		k := cacheKey{path: r.URL.Path}
		if byLang {
			k.lang = lang
		}
		now := s.clock.Now()
		e, err := s.cache.get(k, now, func() (*entry, error) {
			// Others may wait for this render: the first reader leaving
			// must not cancel it.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), renderTimeout)
			defer cancel()
			out, err := f(r.WithContext(ctx), lang)
			if err != nil {
				return nil, err
			}
			return newEntry(out, s.clock.Now()), nil
		})
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		serve(w, r, e, cacheControl)
	}
}

// language picks the reader's language: ?lang= (remembered in the cookie
// the staff UI also reads), then the cookie, then Accept-Language.
func (s *Site) language(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); i18n.Supported(q) {
		if c, err := r.Cookie(LanguageCookie); err != nil || c.Value != q {
			http.SetCookie(w, &http.Cookie{Name: LanguageCookie, Value: q, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, MaxAge: int((365 * 24 * time.Hour).Seconds())})
		}
		return q
	}
	var preferred string
	if c, err := r.Cookie(LanguageCookie); err == nil {
		preferred = c.Value
	}
	return i18n.Negotiate(preferred, r.Header.Get("Accept-Language"))
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
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

type errorView struct{ Title, Text string }

// pathID reads the {id} of the route; a malformed one is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.New(fault.NotFound, "no such id %q", r.PathValue("id"))
	}
	return id, nil
}

// static serves the embedded stylesheet; its URL carries a fingerprint,
// so it may be cached for a year.
func (s *Site) static(w http.ResponseWriter, r *http.Request) {
	if "/public/"+r.PathValue("file") != s.cssPath {
		http.NotFound(w, r)
		return
	}
	serve(w, r, s.cssEntry, "public, max-age=31536000, immutable")
}
