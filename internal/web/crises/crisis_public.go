package crises

import (
	"net/http"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// showPublic puts the crisis on the public site before its first public
// notice: a commander's deliberate act, confirmed on the form (the box
// must be ticked) and audited by the store.
func (h *Room) showPublic(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "public", "shown_public", func(id int64) error {
		if r.PostFormValue("confirm") == "" {
			return fault.Field("confirm", "tick the box to confirm")
		}
		_, err := h.Crises.ShowPublicly(r.Context(), kit.Actor(r), id)
		return err
	})
}
