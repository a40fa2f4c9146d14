// Package medium names the ways a recipient is reached — e-mail, SMS,
// webhook, in-app — as subscribers and delivery records store them. It is
// a leaf: the domain (subscribers, notices) speaks of channels by these
// names without importing the channel adapters and their HTTP clients.
package medium

// The channel names, as stored on subscribers and delivery records.
const (
	Email   = "email"
	SMS     = "sms"
	Webhook = "webhook"
	App     = "app" // in-app, for staff; delivered when recorded
)

// Subscribable lists the channels a public subscriber can choose.
func Subscribable() []string { return []string{Email, SMS, Webhook} }
