package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// maxPauseReason is the longest reason a pause keeps.
const maxPauseReason = 500

func (h *Handler) pauseWebhook(w http.ResponseWriter, r *http.Request) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) > maxPauseReason {
		h.renderWebhooks(w, r, http.StatusUnprocessableEntity, webhookForm{Audiences: []string{"public"}},
			h.kit.T(r).T("err.webhook_reason", "Max", maxPauseReason))
		return
	}
	h.webhookAction(w, r, "webhook_paused", func(id int64) error {
		_, err := h.endpoints.Pause(r.Context(), kit.Actor(r), id, reason)
		return err
	})
}

func (h *Handler) resumeWebhook(w http.ResponseWriter, r *http.Request) {
	h.webhookAction(w, r, "webhook_resumed", func(id int64) error {
		_, err := h.endpoints.Resume(r.Context(), kit.Actor(r), id)
		return err
	})
}

func (h *Handler) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	h.webhookAction(w, r, "webhook_deleted", func(id int64) error {
		return h.endpoints.Delete(r.Context(), kit.Actor(r), id)
	})
}

// webhookAction runs one change on the endpoint of the route and returns
// to the list. A change the endpoint's state refuses (pausing a paused
// one) shows the list with the reason at the top.
func (h *Handler) webhookAction(w http.ResponseWriter, r *http.Request, done string, run func(id int64) error) {
	id, ok := kit.PathID(r)
	if !ok {
		h.kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := run(id)
	switch {
	case err == nil:
		kit.Redirect(w, r, webhooksPath+"?done="+done)
	case fault.Is(err, fault.Conflict):
		h.renderWebhooks(w, r, http.StatusConflict, webhookForm{Audiences: []string{"public"}}, h.kit.T(r).T("err.webhook_state"))
	default:
		h.kit.Fail(w, r, err)
	}
}

// rotateWebhook gives an endpoint a new signing secret, shown once; the
// old one keeps signing for a day so that the receiver can switch.
func (h *Handler) rotateWebhook(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	e, err := h.endpoints.Rotate(r.Context(), kit.Actor(r), id, secret)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, http.StatusOK, "webhook_secret", webhookSecretView{Endpoint: e, Secret: e.Secret, Rotated: true})
}
