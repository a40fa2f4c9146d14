package signin

import (
	"net/http"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

func (h *Room) signout(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	if id.Secret != "" {
		if err := h.Accounts.SignOut(r.Context(), id.Secret); err != nil && !fault.Is(err, fault.NotFound) && !fault.Is(err, fault.Unauthenticated) {
			// The cookie goes anyway; the session row expires on its own.
			h.Kit.Logger().ErrorContext(r.Context(), "web: sign out", "err", err)
		}
	}
	h.Sessions.End(w)
	kit.Redirect(w, r, kit.SignInPath)
}
