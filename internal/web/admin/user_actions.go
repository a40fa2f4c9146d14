package admin

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// resetPassword gives a user a generated password, shown once, that must
// be changed at the next sign-in.
func (h *Room) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	password := account.GeneratePassword()
	if err := h.Accounts.SetPassword(r.Context(), kit.Actor(r), id, password, true); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	u, err := h.Accounts.User(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "user_password", oneTimePasswordView{User: u, Password: password})
}

func (h *Room) disableUser(w http.ResponseWriter, r *http.Request) { h.setDisabled(w, r, true) }

func (h *Room) enableUser(w http.ResponseWriter, r *http.Request) { h.setDisabled(w, r, false) }

// setDisabled disables or enables a user. The service refuses to disable
// oneself or the last admin; the user's page then says so.
func (h *Room) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := h.Accounts.SetDisabled(r.Context(), kit.Actor(r), id, disabled)
	if err == nil {
		done := "enabled"
		if disabled {
			done = "disabled"
		}
		kit.Redirect(w, r, UsersPath+"/"+strconv.FormatInt(id, 10)+"?done="+done)
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.Kit.Fail(w, r, err)
		return
	}
	u, uerr := h.Accounts.User(r.Context(), id)
	if uerr != nil {
		h.Kit.Fail(w, r, uerr)
		return
	}
	key := "err.disable_self"
	if fault.As(err).Field == "role" {
		key = "err.last_admin"
	}
	f := userFormOf(u)
	f.Errors = kit.FieldErrors{"": h.Kit.T(r).T(key)}
	h.renderUserForm(w, r, http.StatusUnprocessableEntity, "user_edit", f, u)
}
