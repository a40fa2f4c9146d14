// Package live tells viewers what changed while they watch: a small
// publish/subscribe broker fed by after-commit hooks, and a Server-Sent
// Events writer. Events carry what changed, not the new state; a viewer
// re-reads what it shows, so a missed event never leaves a stale page once
// the next arrives.
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Event is one change.
type Event struct {
	Type string `json:"type"` // e.g. task, timeline, clock, level, status
	ID   int64  `json:"id,omitempty"`
	Data any    `json:"data,omitempty"`
}

// Broker fans events out to the subscribers of a topic. A slow subscriber
// loses events rather than slowing the publisher.
type Broker struct {
	mu     sync.Mutex
	subs   map[string]map[chan Event]struct{}
	closed chan struct{}
	once   sync.Once
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{subs: map[string]map[chan Event]struct{}{}, closed: make(chan struct{})}
}

// Close ends every stream, so that a shutting-down server is not held open
// by viewers who would otherwise stay connected for ever. Browsers
// reconnect to another replica or to the restarted server.
func (b *Broker) Close() { b.once.Do(func() { close(b.closed) }) }

// CrisisTopic names the topic of one crisis.
func CrisisTopic(id int64) string { return fmt.Sprintf("crisis:%d", id) }

// DrillTopic carries changes to one drill.
func DrillTopic(id int64) string { return fmt.Sprintf("drill:%d", id) }

// DashboardTopic carries changes to the list of crises.
const DashboardTopic = "dashboard"

// PublicTopic carries changes to what the public sees.
const PublicTopic = "public"

// Subscribe returns a channel of the topic's events and a function that
// ends the subscription.
func (b *Broker) Subscribe(topic string) (<-chan Event, func()) {
	ch := make(chan Event, 64)
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[chan Event]struct{}{}
	}
	b.subs[topic][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs[topic], ch)
		if len(b.subs[topic]) == 0 {
			delete(b.subs, topic)
		}
		b.mu.Unlock()
	}
}

// Publish sends e to every subscriber of topic without blocking.
func (b *Broker) Publish(topic string, e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[topic] {
		select {
		case ch <- e:
		default: // the viewer is behind; it re-reads on the next event
		}
	}
}

// Subscribers returns how many subscribe to topic, for tests and metrics.
func (b *Broker) Subscribers(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs[topic])
}

// Heartbeat is how often an idle stream sends a comment line, so that
// proxies keep it open.
const Heartbeat = 25 * time.Second

// Stream serves topic as text/event-stream until the client leaves or ctx
// ends. Each event is written as `event: TYPE` with JSON data.
func (b *Broker) Stream(ctx context.Context, w http.ResponseWriter, topic string) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	events, cancel := b.Subscribe(topic)
	defer cancel()
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.closed:
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case e := <-events:
			data, err := json.Marshal(e)
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
