package signin

import (
	"net/http"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// passwordRules explain the rules a new password must keep;
// passwordRefusals what the account service refuses once they pass.
var (
	passwordRules = kit.FieldKeys{
		"password": "err.password",
	}
	passwordRefusals = kit.FieldKeys{
		"current_password": "err.current_password",
		"password":         "err.password_same",
	}
)

// passwordForm is the own-password change. Passwords are never
// re-rendered.
type passwordForm struct {
	Forced bool // the user must change it before anything else
	Errors kit.FieldErrors
}

func (h *Room) passwordPage(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	h.Kit.Render(w, r, http.StatusOK, "password", passwordForm{Forced: id.User.MustChangePassword})
}

func (h *Room) changePassword(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
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
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "password", f)
		return
	}
	err := h.Accounts.ChangeOwnPassword(r.Context(), id.Actor(), current, next)
	if fe, ok := kit.InvalidFields(tr, err, passwordRefusals); ok {
		f.Errors = fe
		h.Kit.Render(w, r, http.StatusUnprocessableEntity, "password", f)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renewSession(w, r, id, next)
}

// renewSession signs the user in again after a password change, which ends
// every session of the user, this one included.
func (h *Room) renewSession(w http.ResponseWriter, r *http.Request, id session.Identity, password string) {
	if id.ByToken {
		kit.Redirect(w, r, kit.DeskPath+"?done=password_changed")
		return
	}
	out, err := h.Accounts.SignIn(r.Context(), id.User.Name, password, h.Sessions.Client(r))
	if err != nil {
		if !fault.Is(err, fault.TooManyRequests) {
			h.Kit.Logger().ErrorContext(r.Context(), "web: sign in after password change", "err", err)
		}
		h.Sessions.End(w)
		kit.Redirect(w, r, kit.SignInPath)
		return
	}
	// With a second factor, the new password is followed by a code, as
	// at any sign-in.
	h.signedIn(w, r, out, kit.DeskPath+"?done=password_changed")
}
