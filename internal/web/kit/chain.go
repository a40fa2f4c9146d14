package kit

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

// maxBodyBytes is the largest request body a page accepts, unless its row
// says otherwise (WithBody).
const maxBodyBytes = 1 << 20

// LanguageCookie keeps an anonymous visitor's language choice.
const LanguageCookie = "crisisdesk_lang"

type middleware func(http.Handler) http.Handler

// Wrap puts a row behind the chain. The order matters and is all here:
// limit and parse the body, find out who is asking and in which language,
// refuse forged posts, send strangers to sign in, hold users who must
// change their password or set up a second factor, and check the route's
// permission.
func (k *Kit) Wrap(rt Route) http.Handler {
	if rt.bare {
		return rt.Handle
	}
	chain := []middleware{
		k.recoverPanic,
		k.limitBody(rt),
		k.identify,
		k.locale,
		k.checkCSRF,
		k.requireSignIn(rt),
		k.holdForSetup,
		k.requirePermission(rt),
	}
	var next http.Handler = rt.Handle
	for i := len(chain) - 1; i >= 0; i-- {
		next = chain[i](next)
	}
	return next
}

func (k *Kit) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				k.log.ErrorContext(r.Context(), "web: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				k.ErrorPage(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps the body and parses forms up front, so that an oversized
// post gets a clear 413 instead of a form that seems empty. Routes that take
// uploads declare a larger limit and get their multipart form parsed here
// (parts beyond a mebibyte wait in temporary files, which net/http removes).
func (k *Kit) limitBody(rt Route) middleware {
	limit := int64(maxBodyBytes)
	if rt.maxBody > limit {
		limit = rt.maxBody
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			err := r.ParseForm()
			if err == nil && rt.maxBody > 0 && r.Method == http.MethodPost && isMultipart(r) {
				err = r.ParseMultipartForm(maxBodyBytes)
			}
			if err != nil {
				switch _, ok := errors.AsType[*http.MaxBytesError](err); {
				case ok && rt.maxBody > 0:
					k.ErrorPageKey(w, r, http.StatusRequestEntityTooLarge, "error.413.upload")
				case ok:
					k.ErrorPage(w, r, http.StatusRequestEntityTooLarge)
				default:
					k.ErrorPage(w, r, http.StatusBadRequest)
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
func (k *Kit) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := k.sessions.Identify(r)
		switch {
		case err == nil:
			r = r.WithContext(session.With(r.Context(), id))
		case fault.Is(err, fault.Unauthenticated):
			if c, cerr := r.Cookie(session.CookieName); cerr == nil && c.Value != "" {
				k.sessions.End(w)
			}
		default:
			k.log.ErrorContext(r.Context(), "web: identify", "err", err)
			k.ErrorPage(w, r, http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type translatorKey struct{}

// locale chooses the language: the user's stored choice, then the cookie,
// then Accept-Language.
func (k *Kit) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tr := k.catalog.For(k.negotiate(r))
		w.Header().Set("Content-Language", tr.Lang())
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), translatorKey{}, tr)))
	})
}

func (k *Kit) negotiate(r *http.Request) string {
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

func (k *Kit) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := k.sessions.CheckCSRF(r); err != nil {
			k.log.InfoContext(r.Context(), "web: csrf refused", "path", r.URL.Path, "addr", session.ClientAddr(r))
			k.ErrorPageKey(w, r, http.StatusForbidden, "error.csrf")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireSignIn sends anonymous visitors of non-public routes to the
// sign-in page, remembering where they were going.
func (k *Kit) requireSignIn(rt Route) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := session.From(r.Context()); ok || rt.Public {
				next.ServeHTTP(w, r)
				return
			}
			k.toSignIn(w, r)
		})
	}
}

func (k *Kit) toSignIn(w http.ResponseWriter, r *http.Request) {
	target := SignInPath
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
var passwordChangePaths = map[string]bool{PasswordPath: true, LanguagePath: true, SignOutPath: true}

// enrolPaths are what a user who must set up a second factor may reach.
var enrolPaths = map[string]bool{MFAPath: true, LanguagePath: true, SignOutPath: true}

// holdForSetup keeps a browser on the page that must come first: a
// forced password change, then setting up a second factor for a role that
// requires one. API tokens are never held.
func (k *Kit) holdForSetup(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := session.From(r.Context())
		target := ""
		switch {
		case !ok || id.ByToken:
		case id.User.MustChangePassword && !passwordChangePaths[r.URL.Path]:
			target = PasswordPath
		case !id.User.MustChangePassword && id.MustEnrol() && !enrolPaths[r.URL.Path]:
			target = MFAPath
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

func (k *Kit) requirePermission(rt Route) middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rt.Action != "" {
				id, _ := session.From(r.Context())
				if !authz.Can(id.User.Role, rt.Action) {
					k.ErrorPage(w, r, http.StatusForbidden)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
