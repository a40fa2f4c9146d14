package web

import (
	"net/http"

	"crisisdesk/internal/live"
)

// dashboardEvents streams changes to the list of crises.
func (h *Handler) dashboardEvents(w http.ResponseWriter, r *http.Request) {
	h.kit.Stream(w, r, live.DashboardTopic)
}
