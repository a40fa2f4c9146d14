package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
)

// MaxBodyBytes is the largest request body a page accepts.
const MaxBodyBytes = 1 << 20

// LanguageCookie keeps an anonymous visitor's language choice.
const LanguageCookie = "crisisdesk_lang"

type middleware func(http.Handler) http.Handler

// wrap puts a route behind the chain. The order matters and is all here:
// limit and parse the body, find out who is asking and in which language,
// refuse forged posts, send strangers to sign in, hold users who must
// change their password or set up a second factor, and check the route's
// permission.
func (h *Handler) wrap(rt route) http.Handler {
	if rt.bare {
		return rt.handle
	}
	chain := []middleware{
		h.recoverPanic,
		h.limitBody(rt),
		h.identify,
		h.locale,
		h.checkCSRF,
		h.requireSignIn(rt),
		h.holdForSetup,
		h.requirePermission(rt),
	}
	var next http.Handler = rt.handle
	for i := len(chain) - 1; i >= 0; i-- {
		next = chain[i](next)
	}
	return next
}

func (h *Handler) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.log.ErrorContext(r.Context(), "web: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				h.errorPage(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps the body and parses forms up front, so that an oversized
// post gets a clear 413 instead of a form that seems empty. Routes that take
// uploads declare a larger limit and get their multipart form parsed here
// (parts beyond a mebibyte wait in temporary files, which net/http removes).
func (h *Handler) limitBody(rt route) middleware {
	limit := int64(MaxBodyBytes)
	if rt.maxBody > limit {
		limit = rt.maxBody
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			err := r.ParseForm()
			if err == nil && rt.maxBody > 0 && r.Method == http.MethodPost && isMultipart(r) {
				err = r.ParseMultipartForm(MaxBodyBytes)
			}
			if err != nil {
				switch _, ok := errors.AsType[*http.MaxBytesError](err); {
				case ok && rt.maxBody > 0:
					h.errorPageKey(w, r, http.StatusRequestEntityTooLarge, "error.413.upload")
				case ok:
					h.errorPage(w, r, http.StatusRequestEntityTooLarge)
				default:
					h.errorPage(w, r, http.StatusBadRequest)
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// identify attaches the signed-in identity, if any. A stale cookie is
// cleared; a database failure is a 500, not a silent sign-out.
func (h *Handler) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := h.sessions.Identify(r)
		switch {
		case err == nil:
			r = r.WithContext(session.With(r.Context(), id))
		case fault.Is(err, fault.Unauthenticated):
			if c, cerr := r.Cookie(session.CookieName); cerr == nil && c.Value != "" {
				h.sessions.End(w)
			}
		default:
			h.log.ErrorContext(r.Context(), "web: identify", "err", err)
			h.errorPage(w, r, http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type translatorKey struct{}

// locale chooses the language: the user's stored choice, then the cookie,
// then Accept-Language.
func (h *Handler) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tr := h.catalog.For(h.negotiate(r))
		w.Header().Set("Content-Language", tr.Lang())
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), translatorKey{}, tr)))
	})
}

func (h *Handler) negotiate(r *http.Request) string {
	var preferred string
	if id, ok := session.From(r.Context()); ok {
		preferred = id.User.Language
	}
	if preferred == "" {
		if c, err := r.Cookie(LanguageCookie); err == nil {
			preferred = c.Value
		}
	}
	return i18n.Negotiate(preferred, r.Header.Get("Accept-Language"))
}

func (h *Handler) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h.sessions.CheckCSRF(r); err != nil {
			h.log.InfoContext(r.Context(), "web: csrf refused", "path", r.URL.Path, "addr", session.ClientAddr(r))
			h.errorPageKey(w, r, http.StatusForbidden, "error.csrf")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireSignIn sends anonymous visitors of non-public routes to the
// sign-in page, remembering where they were going.
func (h *Handler) requireSignIn(rt route) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := session.From(r.Context()); ok || rt.Public {
				next.ServeHTTP(w, r)
				return
			}
			h.toSignIn(w, r)
		})
	}
}

func (h *Handler) toSignIn(w http.ResponseWriter, r *http.Request) {
	target := "/signin"
	if r.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// passwordChangePaths are what a user who must change the password may
// reach. The language form is among them so that the password page can be
// read in the user's language.
var passwordChangePaths = map[string]bool{
	"/account/password": true,
	"/account/language": true,
	"/signout":          true,
}

// enrolPaths are what a user who must set up a second factor may reach.
var enrolPaths = map[string]bool{
	mfaPath:             true,
	"/account/language": true,
	"/signout":          true,
}

// holdForSetup keeps a browser on the page that must come first: a
// forced password change, then setting up a second factor for a role that
// requires one. API tokens are never held.
func (h *Handler) holdForSetup(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := session.From(r.Context())
		target := ""
		switch {
		case !ok || id.ByToken:
		case id.User.MustChangePassword && !passwordChangePaths[r.URL.Path]:
			target = "/account/password"
		case !id.User.MustChangePassword && id.MustEnrol() && !enrolPaths[r.URL.Path]:
			target = mfaPath
		}
		if target == "" {
			next.ServeHTTP(w, r)
			return
		}
		if r.Header.Get("HX-Request") != "" {
			w.Header().Set("HX-Redirect", target)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

func (h *Handler) requirePermission(rt route) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rt.Action != "" {
				id, _ := session.From(r.Context())
				if !authz.Can(id.User.Role, rt.Action) {
					h.errorPage(w, r, http.StatusForbidden)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
