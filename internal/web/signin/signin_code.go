package signin

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
func (h *Room) signinCodePage(w http.ResponseWriter, r *http.Request) {
	next := kit.LocalPath(r.URL.Query().Get("next"))
	if _, err := h.Accounts.ChallengeUser(r.Context(), h.Sessions.Challenge(r)); err != nil {
		if !fault.Is(err, fault.Unauthenticated) {
			h.Kit.Fail(w, r, err)
			return
		}
		h.Sessions.EndChallenge(w)
		target := kit.SignInPath
		if next != "" {
			target += "?next=" + url.QueryEscape(next)
		}
		kit.Redirect(w, r, target)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "signin_code", signinCodeForm{Next: next})
}

func (h *Room) signinCode(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := signinCodeForm{Next: kit.LocalPath(r.PostFormValue("next")), Errors: kit.FieldErrors{}}
	code := r.PostFormValue("code")
	if strings.TrimSpace(code) == "" {
		f.Errors["code"] = tr.T("err.required")
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "signin_code", f)
		return
	}
	out, err := h.Accounts.CompleteSignIn(r.Context(), h.Sessions.Challenge(r), code, h.Sessions.Client(r))
	switch fault.CodeOf(err) {
	case "":
		h.signedIn(w, r, out, f.Next)
		return
	case fault.Invalid:
		f.Errors["code"] = tr.T("signin.code_wrong")
		h.Kit.Render(w, r, http.StatusUnauthorized, "signin_code", f)
	case fault.TooManyRequests:
		f.Errors[""] = tr.T("signin.code_throttled")
		h.Kit.Render(w, r, http.StatusTooManyRequests, "signin_code", f)
	case fault.Unauthenticated:
		// The sign-in ended (too many wrong codes, too slow): back to the
		// password, with a word why.
		h.Sessions.EndChallenge(w)
		h.Kit.Render(w, r, http.StatusUnauthorized, "signin", signinForm{Next: f.Next, SSO: h.IdentityProvider != nil, Error: tr.T("signin.code_ended")})
	default:
		h.Kit.Fail(w, r, err)
	}
}
