package web

import (
	"net/http"
	"strings"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
)

// signinForm is the sign-in page's form. It never carries the password
// back.
type signinForm struct {
	Name  string
	Next  string
	Error string
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := session.From(r.Context()); ok {
		redirect(w, r, orHome(next))
		return
	}
	h.render(w, r, http.StatusOK, "signin", signinForm{Next: next})
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	tr := h.translator(r)
	f := signinForm{
		Name: strings.TrimSpace(r.PostFormValue("name")),
		Next: localPath(r.PostFormValue("next")),
	}
	secret, u, err := h.accounts.SignIn(r.Context(), f.Name, r.PostFormValue("password"), session.ClientAddr(r), r.UserAgent())
	if err != nil {
		status := http.StatusUnauthorized
		switch fault.CodeOf(err) {
		case fault.TooManyRequests:
			status, f.Error = http.StatusTooManyRequests, tr.T("signin.throttled")
		case fault.Unauthenticated, fault.NotFound, fault.Invalid, fault.Forbidden:
			// One message for every way a sign-in can be wrong, so that
			// the page does not reveal which names exist.
			f.Error = tr.T("signin.failed")
		default:
			h.log.ErrorContext(r.Context(), "web: sign in", "err", err)
			status, f.Error = http.StatusInternalServerError, tr.T("error.generic")
		}
		h.render(w, r, status, "signin", f)
		return
	}
	// Rotate: the new session replaces any the browser still held, which
	// ends on the server too, so a planted or stale cookie is worthless.
	if old, err := r.Cookie(session.CookieName); err == nil && old.Value != "" {
		if err := h.accounts.SignOut(r.Context(), old.Value); err != nil {
			h.log.WarnContext(r.Context(), "web: end previous session", "err", err)
		}
	}
	h.sessions.Start(w, secret)
	if u.MustChangePassword {
		redirect(w, r, "/account/password")
		return
	}
	redirect(w, r, orHome(f.Next))
}

func orHome(next string) string {
	if next == "" {
		return deskPath
	}
	return next
}
