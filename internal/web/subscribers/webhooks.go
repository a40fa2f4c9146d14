package subscribers

import (
	"net/http"
	"slices"
	"strings"

	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// webhookRules explain the register form's refusals; the service's own
// messages are English and never shown.
var webhookRules = kit.FieldKeys{
	"name":      "err.webhook_name",
	"url":       "err.webhook_url",
	"audiences": "err.webhook_audiences",
	"secret":    "err.webhook_secret",
}

// webhookForm is the register form. A typed secret is never written back
// into the page.
type webhookForm struct {
	Name      string
	URL       string
	Audiences []string
	Exercises bool
	Errors    kit.FieldErrors
}

// Has reports whether audience a is ticked.
func (f webhookForm) Has(a string) bool { return slices.Contains(f.Audiences, a) }

type webhooksView struct {
	Endpoints []subscriber.Endpoint
	Form      webhookForm
	Audiences []string
	Error     string // why the last action was refused
}

// webhookSecretView shows a new or rotated signing secret, once.
type webhookSecretView struct {
	Endpoint subscriber.Endpoint
	Secret   string
	Rotated  bool
}

func (h *Room) webhooksPage(w http.ResponseWriter, r *http.Request) {
	h.renderWebhooks(w, r, http.StatusOK, webhookForm{Audiences: []string{"public"}}, "")
}

// renderWebhooks shows the list with the register form f and, when an
// action was refused, why.
func (h *Room) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, f webhookForm, refusal string) {
	list, err := h.Endpoints.List(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "webhooks", webhooksView{Endpoints: list, Form: f, Audiences: subscriber.EndpointAudiences, Error: refusal})
}

// registerWebhook registers an endpoint and shows its signing secret once:
// the one typed, or a new one.
func (h *Room) registerWebhook(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := webhookForm{
		Name: strings.TrimSpace(r.PostFormValue("name")), URL: strings.TrimSpace(r.PostFormValue("url")),
		Audiences: r.PostForm["audiences"], Exercises: r.PostFormValue("exercises") != "",
	}
	secret := strings.TrimSpace(r.PostFormValue("secret"))
	e, err := subscriber.EndpointRequest{Name: f.Name, URL: f.URL, Secret: secret, Audiences: f.Audiences, Exercises: f.Exercises}.Validate()
	f.Errors = kit.FieldErrors{}
	if err != nil {
		fe, ok := kit.InvalidFields(tr, err, webhookRules)
		if !ok {
			h.Kit.Fail(w, r, err)
			return
		}
		f.Errors = fe
	}
	if secret != "" && checkWebhookSecret(secret) != nil {
		f.Errors["secret"] = tr.T("err.webhook_secret")
	}
	if len(f.Errors) > 0 {
		h.renderWebhooks(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if e.Secret == "" {
		if e.Secret, err = webhook.NewSecret(); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	e, err = h.Endpoints.Register(r.Context(), kit.Actor(r), e)
	if err != nil {
		if fe, ok := kit.InvalidFields(tr, err, webhookRules); ok {
			f.Errors = fe
			h.renderWebhooks(w, r, http.StatusUnprocessableEntity, f, "")
			return
		}
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "webhook_secret", webhookSecretView{Endpoint: e, Secret: e.Secret})
}
