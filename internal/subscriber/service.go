package subscriber

import (
	"context"

	"crisisdesk/internal/authz"
)

// Confirmation is what a new or renewed subscription must be confirmed
// with: a link token (e-mail, webhook) or a six-digit code (SMS). It is
// sent to the address and never stored in the clear.
type Confirmation struct {
	Subscriber Subscriber
	Secret     string
	// Already is true when the address was already active: nothing is
	// sent, and the caller answers exactly as for a new one, so the form
	// does not reveal who subscribes.
	Already bool
}

// ImportReport says what a CSV import did, row by row.
type ImportReport struct {
	Rows     int         `json:"rows"`
	Imported int         `json:"imported"`
	Updated  int         `json:"updated"`
	Skipped  int         `json:"skipped"` // unsubscribed addresses are never revived by an import
	Rejected []RejectRow `json:"rejected"`
	// Secrets are the signing secrets made for webhook rows that came
	// without one and were added: the receivers need them, and they are
	// shown this once. Secrets the file gave are not repeated.
	Secrets []GeneratedSecret `json:"secrets,omitempty" doc:"The signing secrets made for webhook rows added without one; shown in this answer only"`

	// lines holds the file line of each row ParseCSV returned, in order,
	// so that WebhookSecrets can name the line of a row.
	lines []int
}

// GeneratedSecret is a signing secret made for an imported webhook row.
type GeneratedSecret struct {
	Line    int    `json:"line"`
	Address string `json:"address"`
	Secret  string `json:"secret"`
}

// RejectRow is one refused row of an import.
type RejectRow struct {
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// Service stores subscribers. Errors are coded with fault: invalid (a
// field), not_found, conflict.
type Service interface {
	// Subscribe records a pending subscription (or renews the confirmation
	// of a pending or unsubscribed one) and enqueues the confirmation
	// message in the same transaction.
	Subscribe(ctx context.Context, s Subscriber) (Confirmation, error)
	// Confirm activates the subscription whose link token is given.
	Confirm(ctx context.Context, token string) (Subscriber, error)
	// ConfirmCode activates an SMS subscription by its code; a few wrong
	// codes void it.
	ConfirmCode(ctx context.Context, address, code string) (Subscriber, error)
	// Unsubscribe stops the subscription whose unsubscribe token is given.
	Unsubscribe(ctx context.Context, token string) (Subscriber, error)
	// UnsubscribeAddress stops every subscription of an address (the SMS
	// STOP keyword); it reports how many stopped.
	UnsubscribeAddress(ctx context.Context, channel, address string) (int, error)
	// Create adds an active subscriber on staff's word (no opt-in).
	Create(ctx context.Context, a authz.Actor, s Subscriber) (Subscriber, error)
	// Import adds or updates active subscribers from an admin's list. It
	// keeps in the report's Secrets only the rows it added: an existing
	// subscriber keeps its secret, so one made for its row was never stored.
	Import(ctx context.Context, a authz.Actor, rows []Subscriber, report ImportReport) (ImportReport, error)
	// Delete removes a subscriber and its personal data.
	Delete(ctx context.Context, a authz.Actor, id int64) error
	Get(ctx context.Context, id int64) (Subscriber, error)
	List(ctx context.Context, f Filter) ([]Subscriber, int, error)
	// Counts returns the number of subscribers per channel and status.
	Counts(ctx context.Context) (map[string]map[Status]int, error)
}

// Endpoints stores registered webhook endpoints.
type Endpoints interface {
	Register(ctx context.Context, a authz.Actor, e Endpoint) (Endpoint, error)
	Get(ctx context.Context, id int64) (Endpoint, error)
	List(ctx context.Context) ([]Endpoint, error)
	Pause(ctx context.Context, a authz.Actor, id int64, reason string) (Endpoint, error)
	Resume(ctx context.Context, a authz.Actor, id int64) (Endpoint, error)
	// Rotate replaces the secret; the old one keeps signing for
	// RotationGrace.
	Rotate(ctx context.Context, a authz.Actor, id int64, secret string) (Endpoint, error)
	Delete(ctx context.Context, a authz.Actor, id int64) error
}
