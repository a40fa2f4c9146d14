// Package sms is the SMS channel: it sends a message through an HTTP
// gateway (any gateway through a configurable request, or Twilio), counts
// how a text is split into SMS parts, and reads the replies a gateway
// forwards so that a STOP unsubscribes.
//
// Errors follow the channel contract: a refused number or request is
// channel.Permanent, a busy gateway is *channel.RetryAfter, anything else
// is worth retrying. No error ever carries the gateway's credentials.
package sms
