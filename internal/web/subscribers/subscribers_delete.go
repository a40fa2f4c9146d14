package subscribers

import (
	"net/http"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// deleteSubscriberView asks before a subscriber and their personal data
// are removed for good.
type deleteSubscriberView struct {
	Subscriber subscriber.Subscriber
	Address    string // masked unless the user may see personal data
}

// deleteSubscriberPage is the confirmation step, which works without
// script.
func (h *Room) deleteSubscriberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	s, err := h.Subscribers.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := deleteSubscriberView{Subscriber: s, Address: s.Address}
	if !authz.Can(kit.Role(r), authz.ViewPersonalData) {
		v.Address = kit.MaskAddress(s.Channel, s.Address)
	}
	h.Kit.Render(w, r, http.StatusOK, "subscriber_delete", v)
}

func (h *Room) deleteSubscriber(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if err := h.Subscribers.Delete(r.Context(), kit.Actor(r), id); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, Path+"?done=subscriber_deleted")
}
