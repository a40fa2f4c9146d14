// Package delivery is the engine that takes a published notice to every
// recipient once: a fan-out that walks the recipients in batches from a
// saved checkpoint and writes one delivery record per notice × recipient ×
// channel before anything is sent, and senders that claim batches of
// records under a lease, send them through the channels with per-channel
// rate limits, and record the outcome with retries, backoff and jitter.
//
// A crash loses nothing: a record is written before its send, and a claim
// whose lease runs out is claimed again. Outcomes are recorded as they
// happen (group-committed by one recorder per claim), and a channel has at
// most Engine.InFlight sends begun and not yet recorded, so a crash repeats
// at most that many; a repeat carries the same idempotency key, so the
// receiver can drop it. A working sender renews its lease and heartbeat,
// so live work is never taken over.
package delivery

import (
	"fmt"
	"math/rand/v2"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/notice"
)

// State is where one delivery stands.
type State string

// The states. Failed deliveries wait for their next attempt; gave_up ones
// are finished without success (a permanent refusal or too many attempts)
// and come back only when staff retry them.
const (
	Queued State = "queued"
	Sent   State = "sent"
	Failed State = "failed"
	GaveUp State = "gave_up"
)

// States lists every state in display order.
var States = []State{Queued, Sent, Failed, GaveUp}

// Recipient kinds.
const (
	ToSubscriber = "subscriber" // a public subscription
	ToEndpoint   = "webhook"    // a staff-registered webhook endpoint
	ToUser       = "user"       // a member of staff (internal notices)
	ToExpert     = "expert"     // an outside expert (internal notices addressed to them)
	ToJournalist = "journalist" // a journalist a press release was addressed to
)

// Delivery is one notice to one recipient over one channel.
type Delivery struct {
	ID            int64
	NoticeID      int64
	RecipientKind string
	RecipientID   int64
	Channel       string
	Address       string
	Language      string
	State         State
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	SentAt        time.Time
	ReadAt        time.Time
	CreatedAt     time.Time
}

// Key is the delivery's idempotency key: the same for every attempt, so
// that a receiver can drop a repeat sent after a crash. It is the
// webhook-id of a webhook and the local part of an e-mail's Message-ID.
func (d Delivery) Key() string { return Key(d.NoticeID, d.RecipientKind, d.RecipientID, d.Channel) }

// Key builds the idempotency key of a delivery.
func Key(noticeID int64, kind string, recipientID int64, channel string) string {
	k := "s"
	switch kind {
	case ToEndpoint:
		k = "w"
	case ToUser:
		k = "u"
	case ToExpert:
		k = "x"
	case ToJournalist:
		k = "j"
	}
	return fmt.Sprintf("msg_%d_%s%d_%s", noticeID, k, recipientID, channel)
}

// MaxAttempts is how many times a delivery is tried before it gives up.
const MaxAttempts = 10

// Backoff is the wait before attempt n+1 after n failed attempts:
// exponential from 30 s, capped at one hour, with jitter so that a
// recovering receiver is not hit by every retry at once.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Priority orders the work of notices: 1 overtakes 4. A level I or II
// alert and every cancellation or correction of a level I notice go first;
// routine updates last.
func Priority(n notice.Notice, level catalog.Level) int {
	p := 3
	switch level {
	case catalog.LevelI:
		p = 1
	case catalog.LevelII:
		p = 2
	}
	if n.Kind == notice.Update || n.Kind == notice.AllClear {
		p++
	}
	if n.Audience != notice.Public && p < 4 {
		p++
	}
	return min(max(p, 1), 4)
}

// Progress counts one channel's deliveries of a notice by state.
type Progress struct {
	Channel string `json:"channel"`
	Queued  int    `json:"queued"`
	Sent    int    `json:"sent"`
	Failed  int    `json:"failed"`
	GaveUp  int    `json:"gave_up"`
	Read    int    `json:"read,omitempty"` // in-app deliveries read
}

// Total is the number of deliveries counted.
func (p Progress) Total() int { return p.Queued + p.Sent + p.Failed + p.GaveUp }

// Done is the share finished (sent or gave up), 0..1.
func (p Progress) Done() float64 {
	if p.Total() == 0 {
		return 1
	}
	return float64(p.Sent+p.GaveUp) / float64(p.Total())
}
