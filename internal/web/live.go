package web

import (
	"net/http"

	"crisisdesk/internal/live"
	"crisisdesk/internal/web/kit"
)

// crisisEvents streams a crisis's changes as Server-Sent Events. The
// events say what changed; the page fetches the parts it shows again.
func (h *Handler) crisisEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := h.crises.Get(r.Context(), id); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Stream(w, r, live.CrisisTopic(id))
}

// dashboardEvents streams changes to the list of crises.
func (h *Handler) dashboardEvents(w http.ResponseWriter, r *http.Request) {
	h.kit.Stream(w, r, live.DashboardTopic)
}
