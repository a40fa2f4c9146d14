package notices

import (
	"net/http"
	"net/url"
	"strconv"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// retryDeliveries queues a channel's failed and abandoned deliveries of a
// notice again. With script the delivery section comes back with the
// outcome; without, the notice page does, after a redirect so that a
// reload does not retry again.
func (h *Room) retryDeliveries(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	n, err := h.Notices.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	ch := r.PostFormValue("channel")
	if !validRetryChannel(ch) {
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	queued, err := h.Deliveries.Retry(r.Context(), kit.Actor(r), id, ch)
	if err != nil && !fault.Is(err, fault.Conflict) { // a conflict: nothing is left to retry
		h.Kit.Fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "" {
		q := url.Values{"retried": {ch}, "queued": {strconv.Itoa(queued)}}
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?"+q.Encode()+"#notice-deliveries")
		return
	}
	v, err := h.deliveriesOf(r, n)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v == nil {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	v.Message = h.retryText(r, ch, queued)
	h.Kit.RenderPart(w, r, http.StatusOK, "notice", "notice-deliveries", noticeView{Notice: n, Deliveries: v})
}

// retryMessage is the outcome of a retry that redirected to the notice
// page, read back from the query; "" when the page was opened otherwise.
func (h *Room) retryMessage(r *http.Request) string {
	q := r.URL.Query()
	ch := q.Get("retried")
	queued, err := strconv.Atoi(q.Get("queued"))
	if !validRetryChannel(ch) || err != nil || queued < 0 {
		return ""
	}
	return h.retryText(r, ch, queued)
}

func (h *Room) retryText(r *http.Request, ch string, queued int) string {
	tr := h.Kit.T(r)
	name := tr.T("deliveries.channel." + ch)
	if queued == 0 {
		return tr.T("deliveries.retry_none", "Channel", name)
	}
	return tr.T("deliveries.retried", "Count", queued, "Channel", name)
}
