package subscribers

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

func (h *Room) pauseWebhook(w http.ResponseWriter, r *http.Request) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if utf8.RuneCountInString(reason) > maxPauseReason {
		h.renderWebhooks(w, r, http.StatusUnprocessableEntity, webhookForm{Audiences: []string{"public"}},
			h.Kit.T(r).T("err.webhook_reason", "Max", maxPauseReason))
		return
	}
	h.webhookAction(w, r, "webhook_paused", func(id int64) error {
		_, err := h.Endpoints.Pause(r.Context(), kit.Actor(r), id, reason)
		return err
	})
}

func (h *Room) resumeWebhook(w http.ResponseWriter, r *http.Request) {
	h.webhookAction(w, r, "webhook_resumed", func(id int64) error {
		_, err := h.Endpoints.Resume(r.Context(), kit.Actor(r), id)
		return err
	})
}

func (h *Room) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	h.webhookAction(w, r, "webhook_deleted", func(id int64) error {
		return h.Endpoints.Delete(r.Context(), kit.Actor(r), id)
	})
}

// webhookAction runs one change on the endpoint of the route and returns
// to the list. A change the endpoint's state refuses (pausing a paused
// one) shows the list with the reason at the top.
func (h *Room) webhookAction(w http.ResponseWriter, r *http.Request, done string, run func(id int64) error) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := run(id)
	switch {
	case err == nil:
		kit.Redirect(w, r, WebhooksPath+"?done="+done)
	case fault.Is(err, fault.Conflict):
		h.renderWebhooks(w, r, http.StatusConflict, webhookForm{Audiences: []string{"public"}}, h.Kit.T(r).T("err.webhook_state"))
	default:
		h.Kit.Fail(w, r, err)
	}
}

// rotateWebhook gives an endpoint a new signing secret, shown once; the
// old one keeps signing for a day so that the receiver can switch.
func (h *Room) rotateWebhook(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	e, err := h.Endpoints.Rotate(r.Context(), kit.Actor(r), id, secret)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "webhook_secret", webhookSecretView{Endpoint: e, Secret: e.Secret, Rotated: true})
}
