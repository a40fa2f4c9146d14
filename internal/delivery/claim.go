package delivery

import "time"

// Item is a claimed delivery with what its send needs from the recipient's
// record.
type Item struct {
	Delivery
	// Token is a subscriber's unsubscribe token; empty for staff and
	// registered endpoints.
	Token string
	// Secrets sign a webhook (the current secret first).
	Secrets []string
	// Guard refuses private addresses (public self-service webhooks).
	Guard bool
	// Skip, when set, is why the delivery is not sent at all (the
	// subscriber left or the endpoint was paused after the fan-out).
	Skip string
}

// Outcome is the result of one send.
type Outcome struct {
	ID    int64
	State State // Sent, Failed (retry at Next) or GaveUp
	Error string
	Next  time.Time
	// Endpoint is the registered endpoint's id for webhook outcomes, so
	// its failure streak is kept.
	Endpoint int64
}

// Claim is a batch of deliveries leased to one sender.
type Claim struct {
	Lease string
	Items []Item
}
