// Package subscriber holds the people and systems outside the office who
// asked to be told: public subscriptions by e-mail, SMS or webhook, with
// double opt-in and one-click unsubscribe, and the webhook endpoints staff
// register for partner agencies and media. It decides who a published
// notice reaches; the delivery engine decides how.
package subscriber

import (
	"time"

	"crisisdesk/internal/catalog"
)

// Status is where a subscription stands.
type Status string

// The statuses. Only active subscribers receive notices.
const (
	Pending      Status = "pending"      // waiting for the confirmation link or code
	Active       Status = "active"       // confirmed
	Unsubscribed Status = "unsubscribed" // asked to stop; kept so an import cannot revive it silently
)

// Statuses lists every status.
var Statuses = []Status{Pending, Active, Unsubscribed}

// Source says how a subscription arrived. Public self-service webhooks are
// held to the server-side request forgery guard; imported and staff-made
// ones are not, since partner systems often sit on the internal network.
type Source string

// The sources.
const (
	FromPublic Source = "public" // the /subscribe form or the public API
	FromImport Source = "import" // an admin's CSV import
	FromStaff  Source = "staff"  // created by staff through the API
)

// Subscriber is one address that asked for notices.
type Subscriber struct {
	ID       int64
	Channel  string // medium.Email, medium.SMS or medium.Webhook
	Address  string // normalised: lower-case e-mail domain, E.164 number, URL
	Language string
	// Categories limits the crisis categories told; empty means all.
	Categories []catalog.Category
	Area       Area
	Status     Status
	Source     Source
	// Secret signs webhooks sent to a webhook subscriber ("whsec_…").
	Secret string
	// Token is the capability in unsubscribe and confirmation links.
	Token string

	CreatedAt      time.Time
	ConfirmedAt    time.Time
	UnsubscribedAt time.Time
	UpdatedAt      time.Time
}

// Guarded reports whether a webhook to this subscriber must be refused on
// loopback, private and link-local addresses.
func (s Subscriber) Guarded() bool { return s.Source == FromPublic }

// WantsCategory reports whether s asked for notices of category c.
func (s Subscriber) WantsCategory(c catalog.Category) bool {
	if len(s.Categories) == 0 || c == "" {
		return true
	}
	for _, x := range s.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// Filter narrows a list of subscribers.
type Filter struct {
	Channel string
	Status  Status
	Query   string // part of the address
	AfterID int64  // keyset paging
	Limit   int
}
