package delivery_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// countingPeer is a webhook receiver that counts what it got per path and
// calls onArrival, when set, as each request arrives.
type countingPeer struct {
	mu        sync.Mutex
	got       map[string]int
	arrivals  atomic.Int64
	onArrival func(n int64)
	delay     time.Duration
}

func (p *countingPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.arrivals.Add(1)
	if p.onArrival != nil {
		p.onArrival(n)
	}
	if p.delay > 0 {
		time.Sleep(p.delay)
	}
	p.mu.Lock()
	p.got[r.URL.Path]++
	p.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (p *countingPeer) start(t *testing.T) string {
	t.Helper()
	p.got = map[string]int{}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestEngineRecordsOutcomesAsTheyHappen checks the bound a crash relies
// on: whenever a message reaches the receiver, the messages it has had
// exceed those recorded sent by at most the channel's in-flight sends, not
// by a claimed batch.
func TestEngineRecordsOutcomesAsTheyHappen(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		const subscribers, inFlight, batch = 40, 3, 40
		var noticeID atomic.Int64
		var worst atomic.Int64
		var r *rig
		peer := &countingPeer{}
		peer.onArrival = func(n int64) {
			ps, err := r.st.Deliveries().Progress(context.Background(), noticeID.Load())
			if err != nil {
				t.Error(err)
				return
			}
			var sent int64
			for _, p := range ps {
				sent += int64(p.Sent)
			}
			for {
				w := worst.Load()
				if n-sent <= w || worst.CompareAndSwap(w, n-sent) {
					break
				}
			}
		}
		url := peer.start(t)
		r = newRig(t, engine, func(o *delivery.Options) {
			o.ClaimBatch = batch
			o.Concurrency = map[string]int{channel.Webhook: 2}
			o.InFlight = map[string]int{channel.Webhook: inFlight}
		})
		if got := r.engine.InFlight(channel.Webhook); got != inFlight {
			t.Fatalf("InFlight = %d, want %d", got, inFlight)
		}
		for i := range subscribers {
			r.subscribe(t, subscriber.Subscriber{Channel: channel.Webhook, Address: fmt.Sprintf("%s/r/%d", url, i), Language: "en"})
		}
		n := r.publish(t)
		noticeID.Store(n.ID)
		r.drain(t, n.ID)
		if p := progress(t, r.st, n.ID)[channel.Webhook]; p.Sent != subscribers {
			t.Fatalf("progress %+v, want %d sent", p, subscribers)
		}
		if got := peer.arrivals.Load(); got != subscribers {
			t.Fatalf("the receiver got %d messages, want %d", got, subscribers)
		}
		if w := worst.Load(); w > inFlight {
			t.Fatalf("up to %d messages had arrived unrecorded, want at most %d (the in-flight sends)", w, inFlight)
		}
	})
}

// TestEngineKeepsALiveClaim runs two senders of one channel side by side
// while a slow receiver makes the first one's batch last several leases:
// the working sender renews its lease, so the other never takes its rows
// and nobody gets a message twice.
func TestEngineKeepsALiveClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		const subscribers = 16
		const lease = 2 * time.Second // long beside a renewal on a loaded machine
		peer := &countingPeer{delay: 280 * time.Millisecond}
		url := peer.start(t)
		r := newRig(t, engine, func(o *delivery.Options) {
			o.Clock = clock.Real{}
			o.Lease, o.Heartbeat = lease, 100*time.Millisecond
			o.ClaimBatch = subscribers
			o.Concurrency = map[string]int{channel.Webhook: 1}
		})
		for i := range subscribers {
			r.subscribe(t, subscriber.Subscriber{Channel: channel.Webhook, Address: fmt.Sprintf("%s/r/%d", url, i), Language: "en"})
		}
		n := r.publish(t)
		ctx := context.Background()
		if err := r.engine.Fanout(ctx, n.ID); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for {
					res, err := r.engine.Send(ctx, n.ID, channel.Webhook)
					if err != nil {
						t.Error(err)
						return
					}
					if !res.Again && res.Wait <= 0 {
						return
					}
					time.Sleep(min(res.Wait, 20*time.Millisecond))
				}
			})
		}
		wg.Wait()
		if el := time.Since(start); el < 2*lease {
			t.Fatalf("the batch took %s, less than two leases of %s: the test proves nothing", el, lease)
		}
		if p := progress(t, r.st, n.ID)[channel.Webhook]; p.Sent != subscribers {
			t.Fatalf("progress %+v, want %d sent", p, subscribers)
		}
		// One claim each: no row's lease ran out under the working sender.
		var attempts int
		if err := r.st.Writer().QueryRowContext(ctx, `SELECT MAX(attempts) FROM deliveries WHERE notice_id = $1`, n.ID).Scan(&attempts); err != nil {
			t.Fatal(err)
		}
		if attempts != 1 {
			t.Errorf("a delivery was claimed %d times, want once", attempts)
		}
		peer.mu.Lock()
		defer peer.mu.Unlock()
		if len(peer.got) != subscribers {
			t.Fatalf("%d recipients reached, want %d", len(peer.got), subscribers)
		}
		for path, k := range peer.got {
			if k != 1 {
				t.Errorf("%s got %d messages, want 1", path, k)
			}
		}
	})
}
