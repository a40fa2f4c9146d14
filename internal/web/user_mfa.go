package web

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
func (h *Handler) resetMFAPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	u, err := h.accounts.User(r.Context(), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sf, err := h.accounts.SecondFactorOf(r.Context(), id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, http.StatusOK, "user_mfa_reset", resetMFAView{User: u, SecondFactor: sf})
}

// resetMFA removes the factor and ends the user's sessions; the audit
// trail records who did it.
func (h *Handler) resetMFA(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.accounts.ResetSecondFactor(r.Context(), kit.Actor(r), id); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=mfa_reset")
}
