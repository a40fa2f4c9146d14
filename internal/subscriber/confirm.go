package subscriber

import "time"

// ConfirmArgs is the job that sends a confirmation link or code. It is
// enqueued in the transaction that records the pending subscription.
type ConfirmArgs struct {
	SubscriberID int64  `json:"subscriber_id"`
	Secret       string `json:"secret"`
}

// Kind names the job.
func (ConfirmArgs) Kind() string { return "subscriber_confirm" }

// How long a confirmation stays valid, and how many wrong SMS codes void
// it.
const (
	LinkValidFor = 7 * 24 * time.Hour
	CodeValidFor = 30 * time.Minute
	MaxCodeTries = 5
	CodeDigits   = 6
	TokenBytes   = 24
	SecretPrefix = "whsec_"
)
