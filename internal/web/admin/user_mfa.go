package admin

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/web/kit"
)

// resetMFAView asks an admin before a user's second factor is removed.
type resetMFAView struct {
	User         account.User
	SecondFactor account.SecondFactor
}

// resetMFAPage is the confirmation step, which works without script.
func (h *Room) resetMFAPage(w http.ResponseWriter, r *http.Request) {
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
	sf, err := h.Accounts.SecondFactorOf(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "user_mfa_reset", resetMFAView{User: u, SecondFactor: sf})
}

// resetMFA removes the factor and ends the user's sessions; the audit
// trail records who did it.
func (h *Room) resetMFA(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.Accounts.ResetSecondFactor(r.Context(), kit.Actor(r), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, UsersPath+"/"+strconv.FormatInt(id, 10)+"?done=mfa_reset")
}
