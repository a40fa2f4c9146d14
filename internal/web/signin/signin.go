package signin

import (
	"net/http"
	"net/url"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// signinForm is the sign-in page's form. It never carries the password
// back.
type signinForm struct {
	Name  string
	Next  string
	Error string
	// SSO shows the button for the office's identity provider.
	SSO bool
}

func (h *Room) signinPage(w http.ResponseWriter, r *http.Request) {
	next := kit.LocalPath(r.URL.Query().Get("next"))
	if _, ok := session.From(r.Context()); ok {
		kit.Redirect(w, r, orHome(next))
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "signin", signinForm{Next: next, SSO: h.IdentityProvider != nil})
}

func (h *Room) signin(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := signinForm{
		Name: strings.TrimSpace(r.PostFormValue("name")),
		Next: kit.LocalPath(r.PostFormValue("next")),
		SSO:  h.IdentityProvider != nil,
	}
	out, err := h.Accounts.SignIn(r.Context(), f.Name, r.PostFormValue("password"), h.Sessions.Client(r))
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
			h.Kit.Logger().ErrorContext(r.Context(), "web: sign in", "err", err)
			status, f.Error = http.StatusInternalServerError, tr.T("error.generic")
		}
		h.Kit.Render(w, r, status, "signin", f)
		return
	}
	h.signedIn(w, r, out, f.Next)
}

// signedIn finishes a step of signing in that succeeded: a pending
// sign-in goes on to the code page, a session lands where it was going
// (or where it must go first).
func (h *Room) signedIn(w http.ResponseWriter, r *http.Request, out account.SignedIn, next string) {
	if out.Challenge != "" {
		h.Sessions.StartChallenge(w, out.Challenge)
		target := signinCodePath
		if next != "" {
			target += "?next=" + url.QueryEscape(next)
		}
		kit.Redirect(w, r, target)
		return
	}
	// Rotate: the new session replaces any the browser still held, which
	// ends on the server too, so a planted or stale cookie is worthless.
	if old, err := r.Cookie(session.CookieName); err == nil && old.Value != "" {
		if err := h.Accounts.SignOut(r.Context(), old.Value); err != nil {
			h.Kit.Logger().WarnContext(r.Context(), "web: end previous session", "err", err)
		}
	}
	h.Sessions.EndChallenge(w)
	h.Sessions.Start(w, out.Session)
	h.Sessions.Remember(w, out.Device)
	switch {
	case out.User.MustChangePassword:
		kit.Redirect(w, r, kit.PasswordPath)
	case account.MustEnrol(out.User, out.Method):
		kit.Redirect(w, r, kit.MFAPath)
	case out.UsedRecovery:
		kit.Redirect(w, r, kit.MFAPath+"?done=recovery_used")
	default:
		kit.Redirect(w, r, orHome(next))
	}
}

func orHome(next string) string {
	if next == "" {
		return kit.DeskPath
	}
	return next
}
