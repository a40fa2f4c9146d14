package web

import (
	"net/http"
)

// dashboard is the home page. It is an empty state until crises exist.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "dashboard", nil)
}
