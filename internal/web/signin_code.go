package web

import (
	"net/http"
	"net/url"
	"strings"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// signinCodePath is the second step of signing in with a password, for
// users with a second factor.
const signinCodePath = "/signin/code"

// signinCodeForm asks for a code from the authenticator app or a recovery
// code. It never carries the code back.
type signinCodeForm struct {
	Next   string
	Errors kit.FieldErrors
}

// signinCodePage shows the code form while a sign-in waits for one; any
// other visitor starts at the password.
func (h *Handler) signinCodePage(w http.ResponseWriter, r *http.Request) {
	next := kit.LocalPath(r.URL.Query().Get("next"))
	if _, err := h.accounts.ChallengeUser(r.Context(), h.sessions.Challenge(r)); err != nil {
		if !fault.Is(err, fault.Unauthenticated) {
			h.kit.Fail(w, r, err)
			return
		}
		h.sessions.EndChallenge(w)
		target := "/signin"
		if next != "" {
			target += "?next=" + url.QueryEscape(next)
		}
		kit.Redirect(w, r, target)
		return
	}
	h.kit.Render(w, r, http.StatusOK, "signin_code", signinCodeForm{Next: next})
}

func (h *Handler) signinCode(w http.ResponseWriter, r *http.Request) {
	tr := h.kit.T(r)
	f := signinCodeForm{Next: kit.LocalPath(r.PostFormValue("next")), Errors: kit.FieldErrors{}}
	code := r.PostFormValue("code")
	if strings.TrimSpace(code) == "" {
		f.Errors["code"] = tr.T("err.required")
		h.kit.Render(w, r, http.StatusUnprocessableEntity, "signin_code", f)
		return
	}
	out, err := h.accounts.CompleteSignIn(r.Context(), h.sessions.Challenge(r), code, h.sessions.Client(r))
	switch fault.CodeOf(err) {
	case "":
		h.signedIn(w, r, out, f.Next)
		return
	case fault.Invalid:
		f.Errors["code"] = tr.T("signin.code_wrong")
		h.kit.Render(w, r, http.StatusUnauthorized, "signin_code", f)
	case fault.TooManyRequests:
		f.Errors[""] = tr.T("signin.code_throttled")
		h.kit.Render(w, r, http.StatusTooManyRequests, "signin_code", f)
	case fault.Unauthenticated:
		// The sign-in ended (too many wrong codes, too slow): back to the
		// password, with a word why.
		h.sessions.EndChallenge(w)
		h.kit.Render(w, r, http.StatusUnauthorized, "signin", signinForm{Next: f.Next, SSO: h.idp != nil, Error: tr.T("signin.code_ended")})
	default:
		h.kit.Fail(w, r, err)
	}
}
