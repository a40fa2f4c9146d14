package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// endpointService returns the registered endpoints, or an error when the
// API was built without them.
func (a *API) endpointService() (subscriber.Endpoints, error) {
	if a.endpoints == nil {
		return nil, fault.New(fault.Unavailable, "webhooks are not available on this server")
	}
	return a.endpoints, nil
}

// Webhook is a registered webhook endpoint. Its secret is masked but in
// the answers to register and rotate.
type Webhook struct {
	ID                  int64          `json:"id"`
	Name                string         `json:"name"`
	URL                 string         `json:"url"`
	Secret              string         `json:"secret" doc:"The signing secret: in full only in the answer to register or rotate, masked (whsec_…abcd) elsewhere"`
	PreviousSecretUntil *time.Time     `json:"previous_secret_until" doc:"After a rotation: the old secret also signs until then"`
	Audiences           []audienceName `json:"audiences" nullable:"false"`
	Exercises           bool           `json:"exercises" doc:"Also receives exercise notices, marked as such"`
	OwnerID             int64          `json:"owner_id" doc:"Who registered it; 0 when unknown"`
	Status              endpointStatus `json:"status"`
	PausedReason        string         `json:"paused_reason,omitempty"`
	FailingSince        *time.Time     `json:"failing_since" doc:"Failing without a success since; paused after 24 hours"`
	LastSuccess         *time.Time     `json:"last_success"`
	LastFailure         *time.Time     `json:"last_failure"`
	LastError           string         `json:"last_error,omitempty"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
}

func (a *API) toWebhook(e subscriber.Endpoint, showSecret bool) Webhook {
	out := Webhook{ID: e.ID, Name: e.Name, URL: e.URL, Secret: maskSecret(e.Secret),
		Audiences: convert(e.Audiences, func(s string) audienceName { return audienceName(s) }),
		Exercises: e.Exercises, OwnerID: e.OwnerID, Status: endpointStatus(e.Status), PausedReason: e.PausedReason,
		FailingSince: timePtr(e.FailingSince), LastSuccess: timePtr(e.LastSuccess), LastFailure: timePtr(e.LastFailure),
		LastError: e.LastError, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if showSecret {
		out.Secret = e.Secret
	}
	if e.PreviousSecret != "" && a.clock.Now().Before(e.PreviousUntil) {
		out.PreviousSecretUntil = timePtr(e.PreviousUntil)
	}
	return out
}

// audienceName is a notice audience an endpoint takes.
type audienceName string

// Schema lists the audiences.
func (audienceName) Schema(huma.Registry) *huma.Schema {
	return enum("A notice audience sent to the endpoint", subscriber.EndpointAudiences...)
}

// endpointStatus is a subscriber.EndpointStatus.
type endpointStatus string

// Schema lists the statuses.
func (endpointStatus) Schema(huma.Registry) *huma.Schema {
	return enum("active, or paused by staff or after 24 hours of failures",
		subscriber.EndpointActive, subscriber.EndpointPaused)
}

type webhookOutput struct {
	Body Webhook
}

type webhookIDInput struct {
	ID int64 `path:"id"`
}

// WebhookList is every registered endpoint, in the order registered.
type WebhookList struct {
	Items []Webhook `json:"items" nullable:"false"`
}

type webhookListOutput struct {
	Body WebhookList
}

func (a *API) listWebhooks(ctx context.Context, _ *struct{}) (*webhookListOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	eps, err := es.List(ctx)
	if err != nil {
		return nil, err
	}
	return &webhookListOutput{Body: WebhookList{
		Items: convert(eps, func(e subscriber.Endpoint) Webhook { return a.toWebhook(e, false) })}}, nil
}

func (a *API) getWebhook(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	e, err := es.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: a.toWebhook(e, false)}, nil
}

// WebhookRequest registers an endpoint.
type WebhookRequest struct {
	URL       string         `json:"url" maxLength:"2000" doc:"http or https; it may be on the internal network"`
	Secret    string         `json:"secret,omitempty" doc:"A whsec_… secret of your own; one is made when none is given"`
	Name      string         `json:"name,omitempty" maxLength:"200" doc:"Who receives it, e.g. Radio Harbour; the URL when empty"`
	Audiences []audienceName `json:"audiences,omitempty" doc:"The notice audiences sent; public when none is given"`
	Exercises bool           `json:"exercises,omitempty" doc:"Also send exercise notices, marked as such"`
}

type registerWebhookInput struct {
	Body WebhookRequest
}

type createdWebhookOutput struct {
	Location string `header:"Location"`
	Body     Webhook
}

func (a *API) registerWebhook(ctx context.Context, in *registerWebhookInput) (*createdWebhookOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	b := in.Body
	e, err := subscriber.EndpointRequest{Name: b.Name, URL: b.URL, Secret: b.Secret, Exercises: b.Exercises,
		Audiences: convert(b.Audiences, func(a audienceName) string { return string(a) })}.Validate()
	if err != nil {
		return nil, noticeFields(err, nil, nil)
	}
	if e.Secret, err = a.secret(e.Secret); err != nil {
		return nil, err
	}
	if err := a.checkURL(ctx, e.URL, "body.url"); err != nil {
		return nil, err
	}
	if e, err = es.Register(ctx, actor(ctx), e); err != nil {
		return nil, err
	}
	return &createdWebhookOutput{Location: Prefix + "/webhooks/" + strconv.FormatInt(e.ID, 10), Body: a.toWebhook(e, true)}, nil
}

// secret checks a secret given by the caller, or makes one when none is.
func (a *API) secret(given string) (string, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return a.newSecret()
	}
	if a.parseSecret == nil {
		if !strings.HasPrefix(given, subscriber.SecretPrefix) || len(given) == len(subscriber.SecretPrefix) {
			return "", fault.Field("body.secret", "want %s followed by the base64 of the key", subscriber.SecretPrefix)
		}
		return given, nil
	}
	if _, err := a.parseSecret(given); err != nil {
		return "", fault.Field("body.secret", "%v", err)
	}
	if !strings.HasPrefix(given, subscriber.SecretPrefix) {
		given = subscriber.SecretPrefix + given // kept as the receiver's libraries expect it
	}
	return given, nil
}

// PauseRequest says why an endpoint is paused.
type PauseRequest struct {
	Reason string `json:"reason,omitempty" maxLength:"500" doc:"Why; shown beside the endpoint"`
}

type pauseWebhookInput struct {
	ID   int64 `path:"id"`
	Body *PauseRequest
}

func (a *API) pauseWebhook(ctx context.Context, in *pauseWebhookInput) (*webhookOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	reason := ""
	if in.Body != nil {
		reason = strings.TrimSpace(in.Body.Reason)
	}
	e, err := es.Pause(ctx, actor(ctx), in.ID, reason)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: a.toWebhook(e, false)}, nil
}

func (a *API) resumeWebhook(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	e, err := es.Resume(ctx, actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: a.toWebhook(e, false)}, nil
}

// RotateRequest gives an endpoint's new secret.
type RotateRequest struct {
	Secret string `json:"secret,omitempty" doc:"A whsec_… secret of your own; one is made when none is given"`
}

type rotateWebhookInput struct {
	ID   int64 `path:"id"`
	Body *RotateRequest
}

func (a *API) rotateWebhook(ctx context.Context, in *rotateWebhookInput) (*webhookOutput, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	if _, err := es.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	given := ""
	if in.Body != nil {
		given = in.Body.Secret
	}
	secret, err := a.secret(given)
	if err != nil {
		return nil, err
	}
	e, err := es.Rotate(ctx, actor(ctx), in.ID, secret)
	if err != nil {
		return nil, noticeFields(err, nil, nil)
	}
	return &webhookOutput{Body: a.toWebhook(e, true)}, nil
}

func (a *API) deleteWebhook(ctx context.Context, in *webhookIDInput) (*struct{}, error) {
	es, err := a.endpointService()
	if err != nil {
		return nil, err
	}
	if err := es.Delete(ctx, actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
