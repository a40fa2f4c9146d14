package delivery

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// recorder records the outcomes of one claim as they happen: a single
// goroutine commits whatever has come in since its last commit in one
// transaction (group commit, at most every CommitEvery unless half the
// channel's in-flight slots wait for their record), gives back the
// in-flight slots of the sends it recorded, and renews the claim's lease
// and the run's heartbeat every Heartbeat while the claim is worked. So a
// crash repeats at most the channel's in-flight sends, and a live claim is
// never taken over however long its batch takes (a slow rate limit, a slow
// receiver).
type recorder struct {
	e     *Engine
	ctx   context.Context // never cancelled: what was sent must be recorded
	ch    string
	note  int64
	lease string
	lo    int64 // the lowest and highest ids of the claim
	hi    int64
	slots chan struct{}

	mu      sync.Mutex
	pending []Outcome
	held    int // slots held by the pending outcomes
	err     error
	renewed time.Time // when the lease was last known to be held

	wake   chan struct{}
	urgent chan struct{} // enough outcomes wait to commit at once
	stop   chan struct{}
	done   chan struct{}
}

func (e *Engine) newRecorder(ctx context.Context, r *round, c Claim) *recorder {
	rec := &recorder{e: e, ctx: context.WithoutCancel(ctx), ch: r.ch, note: r.n.ID, lease: c.Lease,
		slots: e.slots[r.ch], renewed: time.Now(),
		wake: make(chan struct{}, 1), urgent: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	for i, it := range c.Items {
		if i == 0 || it.ID < rec.lo {
			rec.lo = it.ID
		}
		rec.hi = max(rec.hi, it.ID)
	}
	go rec.run()
	return rec
}

// add queues an outcome for the next commit; held says whether its send
// holds an in-flight slot, given back once the outcome is committed.
func (rec *recorder) add(o Outcome, held bool) {
	rec.mu.Lock()
	rec.pending = append(rec.pending, o)
	if held {
		rec.held++
	}
	// Half the channel's slots waiting for their record: commit now
	// rather than let the senders stall on the rest.
	urgent := rec.slots != nil && rec.held >= max(1, cap(rec.slots)/2)
	rec.mu.Unlock()
	select {
	case rec.wake <- struct{}{}:
	default:
	}
	if urgent {
		select {
		case rec.urgent <- struct{}{}:
		default:
		}
	}
}

// release gives back a slot taken for a send that did not happen.
func (rec *recorder) release(held bool) {
	if held {
		<-rec.slots
	}
}

// failed reports whether a commit failed: the rest of the claim is left
// alone, to be claimed again when its lease runs out.
func (rec *recorder) failed() bool {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err != nil
}

// fresh reports whether the claim's lease is surely still held: renewed
// within half the lease.
func (rec *recorder) fresh() bool {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err == nil && time.Since(rec.renewed) < rec.e.o.Lease/2
}

// close commits what is left and stops the recorder.
func (rec *recorder) close() error {
	close(rec.stop)
	<-rec.done
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err
}

func (rec *recorder) run() {
	defer close(rec.done)
	beat := time.NewTicker(rec.e.o.Heartbeat)
	defer beat.Stop()
	last := time.Time{}
	for {
		select {
		case <-rec.wake:
			if wait := rec.e.o.CommitEvery - time.Since(last); wait > 0 {
				// Let a few more outcomes come in, unless the senders are
				// all waiting for their slots.
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-rec.urgent:
				case <-rec.stop:
				}
				t.Stop()
			}
			last = time.Now()
			rec.commit()
		case <-beat.C:
			rec.renew()
		case <-rec.stop:
			rec.commit()
			return
		}
	}
}

// commit records the pending outcomes in one transaction.
func (rec *recorder) commit() {
	rec.mu.Lock()
	outs, held := rec.pending, rec.held
	rec.pending, rec.held = nil, 0
	failed := rec.err != nil
	rec.mu.Unlock()
	defer func() {
		for range held {
			<-rec.slots
		}
	}()
	if len(outs) == 0 || failed {
		return
	}
	paused, err := rec.e.o.Store.Finish(rec.ctx, rec.lease, outs)
	if err != nil {
		rec.mu.Lock()
		rec.err = fmt.Errorf("record %d %s outcomes of notice %d: %w", len(outs), rec.ch, rec.note, err)
		rec.mu.Unlock()
		return
	}
	for _, p := range paused {
		rec.e.o.Logger.Warn("webhook endpoint paused", "webhook", p.ID, "url", p.URL, "reason", p.PausedReason)
		if rec.e.o.OnPause != nil {
			rec.e.o.OnPause(rec.ctx, p)
		}
	}
}

// renew extends the lease of the claim's rows not yet recorded and the
// run's heartbeat.
func (rec *recorder) renew() {
	start := time.Now()
	err := rec.e.o.Store.Extend(rec.ctx, rec.note, rec.ch, rec.lease, rec.lo, rec.hi, rec.e.o.Lease)
	if err != nil {
		rec.e.o.Logger.Warn("could not renew a delivery lease", "notice", rec.note, "channel", rec.ch, "err", err)
		return
	}
	rec.mu.Lock()
	rec.renewed = start
	rec.mu.Unlock()
}
