// Package channel is the one small interface every way of reaching a
// recipient implements — e-mail, SMS, webhooks — and the message they all
// carry. The adapters live in the sub-packages; the delivery engine only
// sees this interface.
package channel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crisisdesk/internal/medium"
)

// The channel names, as stored on subscribers and delivery records; the
// domain reads them from package medium.
const (
	Email   = medium.Email
	SMS     = medium.SMS
	Webhook = medium.Webhook
	App     = medium.App
)

// Names lists the channels a subscriber can choose.
var Names = medium.Subscribable()

// Message is one rendered message to one recipient. The delivery engine
// fills the parts the channel needs; an adapter ignores the rest.
type Message struct {
	// Key is the delivery's idempotency key: the webhook-id of a webhook,
	// the Message-ID of an e-mail, the reference of an SMS. A repeat after
	// a crash carries the same key, so a receiver can drop it.
	Key string
	// To is the address: an e-mail address, an E.164 number or a URL.
	To string
	// Language is the recipient's language (zh-Hant, zh-Hans, en …).
	Language string

	// Subject and the bodies, for e-mail.
	Subject string
	Text    string
	HTML    string
	// SMS is the short text for SMS.
	SMS string
	// JSON is the webhook body, already encoded.
	JSON []byte
	// Secret signs a webhook ("whsec_…"); Secrets holds extra secrets still
	// valid during a rotation, each signed too.
	Secret  string
	Secrets []string
	// Event is the webhook event type, e.g. "notice.published".
	Event string
	// Guard refuses a webhook target on a loopback, private or link-local
	// address: set for public self-service subscriptions (against
	// server-side request forgery), never for staff-registered endpoints.
	Guard bool

	// UnsubscribeURL is the recipient's one-click unsubscribe link (RFC
	// 8058 for e-mail); empty for staff.
	UnsubscribeURL string
	// Timestamp is when the message was made (the webhook-timestamp).
	Timestamp time.Time
}

// Sender is one channel's adapter.
type Sender interface {
	// Name is the channel name (Email, SMS, Webhook).
	Name() string
	// Send delivers one message. An error wrapped by Permanent means no
	// later attempt can succeed (the address is refused, the request is
	// malformed); any other error is worth retrying.
	Send(ctx context.Context, m Message) error
}

// permanent marks an error no retry can cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// Permanentf is Permanent(fmt.Errorf(format, args...)).
func Permanentf(format string, args ...any) error {
	return permanent{fmt.Errorf(format, args...)}
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// RetryAfter is an error carrying the receiver's own wish for a delay
// (HTTP 429 or 503 with Retry-After).
type RetryAfter struct {
	Err   error
	After time.Duration
}

func (r *RetryAfter) Error() string { return r.Err.Error() }
func (r *RetryAfter) Unwrap() error { return r.Err }
