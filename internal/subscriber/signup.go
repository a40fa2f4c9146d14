package subscriber

import (
	"context"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/medium"
)

// Signup is the one way in for a subscription, from the public form and
// the API alike: validate, check a webhook address where it leads, give a
// webhook subscriber its signing secret, record it pending and send the
// confirmation. Every field is required; the surfaces refuse to start
// without one.
type Signup struct {
	Service Service
	// CheckURL checks a webhook URL; public is true for self-service
	// subscriptions, which may not point inside the network.
	CheckURL func(ctx context.Context, raw string, public bool) error
	// NewSecret makes a webhook signing secret ("whsec_…").
	NewSecret func() (string, error)
}

// Subscribe records a pending subscription. The returned Confirmation
// carries the webhook secret for a webhook subscriber (shown once).
func (s Signup) Subscribe(ctx context.Context, r Request, src Source) (Confirmation, error) {
	sub, err := r.Validate(src)
	if err != nil {
		return Confirmation{}, err
	}
	if sub.Channel == medium.Webhook {
		if err := s.CheckURL(ctx, sub.Address, src == FromPublic); err != nil {
			return Confirmation{}, fault.Field("address", "%v", err)
		}
		if sub.Secret, err = s.NewSecret(); err != nil {
			return Confirmation{}, err
		}
	}
	c, err := s.Service.Subscribe(ctx, sub)
	if err != nil {
		return c, err
	}
	if c.Already {
		// An active subscription stays as it is; the caller answers as
		// for a new one and no secret is shown again.
		c.Subscriber.Secret = ""
	}
	return c, nil
}
