package web

import (
	"net/http"

	"crisisdesk/internal/live"
)

// crisisEvents streams a crisis's changes as Server-Sent Events. The
// events say what changed; the page fetches the parts it shows again.
func (h *Handler) crisisEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := h.crises.Get(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.stream(w, r, live.CrisisTopic(id))
}

// dashboardEvents streams changes to the list of crises.
func (h *Handler) dashboardEvents(w http.ResponseWriter, r *http.Request) {
	h.stream(w, r, live.DashboardTopic)
}

func (h *Handler) stream(w http.ResponseWriter, r *http.Request, topic string) {
	h.live.Stream(r.Context(), w, topic)
}
