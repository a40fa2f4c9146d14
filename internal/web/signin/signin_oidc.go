package signin

import (
	"crypto/subtle"
	"net/http"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// The office's identity provider: /signin/oidc sends the browser there,
// the provider sends it back to the callback.
const (
	oidcStartPath    = "/signin/oidc"
	oidcCallbackPath = "/signin/oidc/callback"
)

// oidcStart begins an authorisation request: its state, nonce and PKCE
// verifier are kept in the database for any replica to finish, and the
// state is bound to this browser by a cookie.
func (h *Room) oidcStart(w http.ResponseWriter, r *http.Request) {
	if h.IdentityProvider == nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound) // no provider is configured
		return
	}
	login, authURL := h.IdentityProvider.Start(kit.LocalPath(r.URL.Query().Get("next")))
	if err := h.Accounts.SaveExternalLogin(r.Context(), login); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Sessions.StartState(w, login.State)
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}

// refusedView explains a sign-in through the provider that gave no
// account.
type refusedView struct {
	Reason string // a message key
}

// oidcCallback finishes the request: the state must be this browser's,
// the code is exchanged for an ID token whose nonce must be the request's,
// and the person's claims decide their role. A person with no role gets a
// page that says so and no account.
func (h *Room) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if h.IdentityProvider == nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	tr := h.Kit.T(r)
	q := r.URL.Query()
	state, cookie := q.Get("state"), h.Sessions.State(r)
	h.Sessions.EndState(w)
	if state == "" || cookie == "" || subtle.ConstantTimeCompare([]byte(state), []byte(cookie)) != 1 {
		// Not this browser's request: a forged or replayed callback, or
		// one from a tab that waited too long.
		h.Kit.Render(w, r, http.StatusBadRequest, "signin", signinForm{SSO: true, Error: tr.T("signin.oidc_expired")})
		return
	}
	login, err := h.Accounts.TakeExternalLogin(r.Context(), state)
	if err != nil {
		if !fault.Is(err, fault.Unauthenticated) {
			h.Kit.Fail(w, r, err)
			return
		}
		h.Kit.Render(w, r, http.StatusBadRequest, "signin", signinForm{SSO: true, Error: tr.T("signin.oidc_expired")})
		return
	}
	if q.Get("error") != "" {
		h.Kit.Logger().InfoContext(r.Context(), "web: the identity provider did not sign in", "error", clipText(q.Get("error"), 100))
		h.Kit.Render(w, r, http.StatusUnauthorized, "signin", signinForm{SSO: true, Next: login.Next, Error: tr.T("signin.oidc_cancelled")})
		return
	}
	id, err := h.IdentityProvider.Finish(r.Context(), q.Get("code"), login)
	if err != nil {
		h.Kit.Logger().WarnContext(r.Context(), "web: identity provider sign-in failed", "err", err)
		h.Kit.Render(w, r, http.StatusBadGateway, "signin", signinForm{SSO: true, Next: login.Next, Error: tr.T("signin.oidc_failed")})
		return
	}
	out, err := h.Accounts.SignInExternal(r.Context(), id, h.Sessions.Client(r))
	switch {
	case err == nil:
		h.signedIn(w, r, out, kit.LocalPath(login.Next))
	case fault.Is(err, fault.Forbidden) && id.Role == "":
		h.Kit.Render(w, r, http.StatusForbidden, "signin_refused", refusedView{Reason: "signin.refused_no_role"})
	case fault.Is(err, fault.Forbidden):
		h.Kit.Render(w, r, http.StatusForbidden, "signin_refused", refusedView{Reason: "signin.refused_other"})
	default:
		h.Kit.Fail(w, r, err)
	}
}

// clipText cuts s to n bytes at most, for logging what strangers send.
func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
