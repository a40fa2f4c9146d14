package web

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/subscriber"
)

// deleteSubscriberView asks before a subscriber and their personal data
// are removed for good.
type deleteSubscriberView struct {
	Subscriber subscriber.Subscriber
	Address    string // masked unless the user may see personal data
}

// deleteSubscriberPage is the confirmation step, which works without
// script.
func (h *Handler) deleteSubscriberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	s, err := h.subscribers.Get(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := deleteSubscriberView{Subscriber: s, Address: s.Address}
	if !authz.Can(role(r), authz.ViewPersonalData) {
		v.Address = maskAddress(s.Channel, s.Address)
	}
	h.render(w, r, http.StatusOK, "subscriber_delete", v)
}

func (h *Handler) deleteSubscriber(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.subscribers.Delete(r.Context(), actor(r), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, subscribersPath+"?done=subscriber_deleted")
}
