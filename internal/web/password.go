package web

import (
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// passwordForm is the own-password change. Passwords are never
// re-rendered.
type passwordForm struct {
	Forced bool // the user must change it before anything else
	Errors kit.FieldErrors
}

func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	h.kit.Render(w, r, http.StatusOK, "password", passwordForm{Forced: id.User.MustChangePassword})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	tr := h.kit.T(r)
	id, _ := session.From(r.Context())
	f := passwordForm{Forced: id.User.MustChangePassword, Errors: kit.FieldErrors{}}
	current, next := r.PostFormValue("current_password"), r.PostFormValue("password")
	if fe, ok := kit.InvalidFields(tr, account.CheckPassword(next), passwordRules); ok {
		f.Errors = fe
	}
	if current == "" {
		f.Errors["current_password"] = tr.T("err.required")
	}
	if next != r.PostFormValue("confirm") {
		f.Errors["confirm"] = tr.T("err.confirm_mismatch")
	}
	if len(f.Errors) > 0 {
		h.kit.Render(w, r, http.StatusUnprocessableEntity, "password", f)
		return
	}
	err := h.accounts.ChangeOwnPassword(r.Context(), id.Actor(), current, next)
	if fe, ok := kit.InvalidFields(tr, err, passwordRefusals); ok {
		f.Errors = fe
		h.kit.Render(w, r, http.StatusUnprocessableEntity, "password", f)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renewSession(w, r, id, next)
}

// renewSession signs the user in again after a password change, which ends
// every session of the user, this one included.
func (h *Handler) renewSession(w http.ResponseWriter, r *http.Request, id session.Identity, password string) {
	if id.ByToken {
		kit.Redirect(w, r, kit.DeskPath+"?done=password_changed")
		return
	}
	out, err := h.accounts.SignIn(r.Context(), id.User.Name, password, h.sessions.Client(r))
	if err != nil {
		if !fault.Is(err, fault.TooManyRequests) {
			h.log.ErrorContext(r.Context(), "web: sign in after password change", "err", err)
		}
		h.sessions.End(w)
		kit.Redirect(w, r, "/signin")
		return
	}
	// With a second factor, the new password is followed by a code, as
	// at any sign-in.
	h.signedIn(w, r, out, kit.DeskPath+"?done=password_changed")
}
