package admin

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

func (h *Room) userPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	u, err := h.Accounts.User(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderUserForm(w, r, http.StatusOK, "user_edit", userFormOf(u), u)
}

// updateUser saves an edit. The form carries the version it was made
// from; if someone saved in between, the edit is refused, not merged.
func (h *Room) updateUser(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	stored, err := h.Accounts.User(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f := userFormFrom(r)
	f.ID, f.Name = id, stored.Name
	in := account.UserUpdate{
		DisplayName: f.DisplayName, Email: f.Email, Role: f.Role, DepartmentID: f.DepartmentID,
		Language: f.Language, Version: f.Version,
	}
	status := http.StatusUnprocessableEntity
	fe, invalid := kit.InvalidFields(tr, in.Validate(), userRules)
	if !invalid {
		_, err = h.Accounts.UpdateUser(r.Context(), kit.Actor(r), id, in)
		switch {
		case err == nil:
			kit.Redirect(w, r, UsersPath+"/"+strconv.FormatInt(id, 10)+"?done=saved")
			return
		case fault.Is(err, fault.Conflict):
			status, fe = http.StatusConflict, kit.FieldErrors{"": tr.T("err.stale")}
		default:
			if fe, invalid = kit.InvalidFields(tr, err, userRefusals); !invalid {
				h.Kit.Fail(w, r, err)
				return
			}
		}
	}
	f.Errors = fe
	h.renderUserForm(w, r, status, "user_edit", f, stored)
}
