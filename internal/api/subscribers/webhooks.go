package subscribers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

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

func (r *Room) toWebhook(e subscriber.Endpoint, showSecret bool) Webhook {
	out := Webhook{ID: e.ID, Name: e.Name, URL: e.URL, Secret: kit.MaskSecret(e.Secret),
		Audiences: kit.Convert(e.Audiences, func(s string) audienceName { return audienceName(s) }),
		Exercises: e.Exercises, OwnerID: e.OwnerID, Status: endpointStatus(e.Status), PausedReason: e.PausedReason,
		FailingSince: kit.TimePtr(e.FailingSince), LastSuccess: kit.TimePtr(e.LastSuccess), LastFailure: kit.TimePtr(e.LastFailure),
		LastError: e.LastError, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if showSecret {
		out.Secret = e.Secret
	}
	if e.PreviousSecret != "" && r.Clock.Now().Before(e.PreviousUntil) {
		out.PreviousSecretUntil = kit.TimePtr(e.PreviousUntil)
	}
	return out
}

// audienceName is a notice audience an endpoint takes.
type audienceName string

// Schema lists the audiences.
func (audienceName) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("A notice audience sent to the endpoint", subscriber.EndpointAudiences...)
}

// endpointStatus is a subscriber.EndpointStatus.
type endpointStatus string

// Schema lists the statuses.
func (endpointStatus) Schema(huma.Registry) *huma.Schema {
	return kit.Enum("active, or paused by staff or after 24 hours of failures",
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

func (r *Room) listWebhooks(ctx context.Context, _ *struct{}) (*webhookListOutput, error) {
	eps, err := r.Endpoints.List(ctx)
	if err != nil {
		return nil, err
	}
	return &webhookListOutput{Body: WebhookList{
		Items: kit.Convert(eps, func(e subscriber.Endpoint) Webhook { return r.toWebhook(e, false) })}}, nil
}

func (r *Room) getWebhook(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
	e, err := r.Endpoints.Get(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: r.toWebhook(e, false)}, nil
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

func (r *Room) registerWebhook(ctx context.Context, in *registerWebhookInput) (*createdWebhookOutput, error) {
	b := in.Body
	e, err := subscriber.EndpointRequest{Name: b.Name, URL: b.URL, Secret: b.Secret, Exercises: b.Exercises,
		Audiences: kit.Convert(b.Audiences, func(a audienceName) string { return string(a) })}.Validate()
	if err != nil {
		return nil, kit.BodyFields(err, nil)
	}
	if e.Secret, err = r.secret(e.Secret); err != nil {
		return nil, err
	}
	if err := r.checkURL(ctx, e.URL, "body.url"); err != nil {
		return nil, err
	}
	if e, err = r.Endpoints.Register(ctx, kit.Actor(ctx), e); err != nil {
		return nil, err
	}
	return &createdWebhookOutput{Location: kit.Prefix + "/webhooks/" + strconv.FormatInt(e.ID, 10), Body: r.toWebhook(e, true)}, nil
}

// secret checks a secret given by the caller, or makes one when none is.
func (r *Room) secret(given string) (string, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return r.newSecret()
	}
	if _, err := r.ParseSecret(given); err != nil {
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

func (r *Room) pauseWebhook(ctx context.Context, in *pauseWebhookInput) (*webhookOutput, error) {
	reason := ""
	if in.Body != nil {
		reason = strings.TrimSpace(in.Body.Reason)
	}
	e, err := r.Endpoints.Pause(ctx, kit.Actor(ctx), in.ID, reason)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: r.toWebhook(e, false)}, nil
}

func (r *Room) resumeWebhook(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
	e, err := r.Endpoints.Resume(ctx, kit.Actor(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Body: r.toWebhook(e, false)}, nil
}

// RotateRequest gives an endpoint's new secret.
type RotateRequest struct {
	Secret string `json:"secret,omitempty" doc:"A whsec_… secret of your own; one is made when none is given"`
}

type rotateWebhookInput struct {
	ID   int64 `path:"id"`
	Body *RotateRequest
}

func (r *Room) rotateWebhook(ctx context.Context, in *rotateWebhookInput) (*webhookOutput, error) {
	if _, err := r.Endpoints.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	given := ""
	if in.Body != nil {
		given = in.Body.Secret
	}
	secret, err := r.secret(given)
	if err != nil {
		return nil, err
	}
	e, err := r.Endpoints.Rotate(ctx, kit.Actor(ctx), in.ID, secret)
	if err != nil {
		return nil, kit.BodyFields(err, nil)
	}
	return &webhookOutput{Body: r.toWebhook(e, true)}, nil
}

func (r *Room) deleteWebhook(ctx context.Context, in *webhookIDInput) (*struct{}, error) {
	if err := r.Endpoints.Delete(ctx, kit.Actor(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
