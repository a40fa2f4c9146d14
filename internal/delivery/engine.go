package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// Store is what the engine needs of the delivery log (store.Deliveries).
type Store interface {
	FanoutBatch(ctx context.Context, noticeID int64, limit int) (added int, done bool, err error)
	Claim(ctx context.Context, noticeID int64, ch string, limit int, lease time.Duration) (Claim, error)
	Finish(ctx context.Context, lease string, outcomes []Outcome) ([]subscriber.Endpoint, error)
	Extend(ctx context.Context, noticeID int64, ch, lease string, lo, hi int64, d time.Duration) error
	Pending(ctx context.Context, noticeID int64, ch string) (next time.Time, fanoutDone bool, err error)
	Rest(ctx context.Context, noticeID int64, ch string, at time.Time) error
	RestartStalled(ctx context.Context, staleAfter time.Duration) ([]Run, error)
}

// Notices reads the notice being delivered.
type Notices interface {
	Get(ctx context.Context, id int64) (notice.Notice, error)
}

// Content is a notice rendered for one language.
type Content struct {
	Subject, Text, HTML, SMS string
}

// Renderer renders notices for the channels. UnsubscribeMark stands in for
// the recipient's unsubscribe token in rendered content; the engine
// replaces it per recipient, so each language is rendered once.
type Renderer interface {
	Content(n notice.Notice, lang string, unsubscribeURL string) Content
	// Webhook returns a function that makes the webhook body for one
	// recipient; the notice is encoded once.
	Webhook(n notice.Notice) (event string, body func(recipient string) []byte, err error)
}

// UnsubscribeMark is the placeholder for a recipient's unsubscribe token
// in content rendered once for many recipients.
const UnsubscribeMark = "UNSUBSCRIBE0TOKEN0MARK"

// Options configure the engine.
type Options struct {
	Store    Store
	Notices  Notices
	Renderer Renderer
	Senders  []channel.Sender
	// Rates are the messages per second allowed per channel; 0 or absent
	// means no limit.
	Rates map[string]float64
	// Concurrency is how many sends of a channel run at once per sender
	// job. Defaults: webhook 64, e-mail 8, SMS 8.
	Concurrency map[string]int
	// BaseURL is the public address, for unsubscribe links.
	BaseURL string
	Clock   clock.Clock
	Logger  *slog.Logger
	// Batch is how many records a fan-out step writes and a claim takes.
	FanoutBatch int
	ClaimBatch  int
	// Lease is how long a claim is held before another sender may take it.
	Lease time.Duration
	// Heartbeat is how often a working sender renews its claim's lease and
	// its run's heartbeat; it must be well inside the takeover the sweeper
	// watches, so that live work is never taken over. Default: a quarter
	// of Lease.
	Heartbeat time.Duration
	// InFlight bounds, per channel and process, the sends begun whose
	// outcome is not yet recorded: after a crash, at most this many
	// messages of a channel can go out twice. Default: twice the
	// channel's Concurrency times SendersPerChannel, so that a sender
	// goes on while its last outcomes are being committed.
	InFlight map[string]int
	// CommitEvery is the shortest time between two commits of a sender's
	// outcomes (group commit), unless half the channel's in-flight
	// slots wait for their record; default 20ms.
	CommitEvery time.Duration
	// Slice is how long a sender job works before it yields, so that a
	// higher-priority notice can overtake.
	Slice time.Duration
	// SendTimeout bounds one send.
	SendTimeout time.Duration
	// OnPause is told when an endpoint is paused for failing too long.
	OnPause func(ctx context.Context, e subscriber.Endpoint)
	// Observe is told each outcome (metrics); may be nil.
	Observe func(ch string, s State)
}

// Engine runs fan-outs and sends.
type Engine struct {
	o        Options
	senders  map[string]channel.Sender
	limiters map[string]*rate.Limiter
	// slots holds one token per send of a channel begun and not yet
	// recorded (Options.InFlight).
	slots map[string]chan struct{}
}

// New builds an engine.
func New(o Options) *Engine {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.FanoutBatch <= 0 {
		o.FanoutBatch = 5000
	}
	if o.ClaimBatch <= 0 {
		o.ClaimBatch = 500
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Heartbeat <= 0 || o.Heartbeat > o.Lease/4 {
		o.Heartbeat = o.Lease / 4
	}
	if o.CommitEvery <= 0 {
		o.CommitEvery = 20 * time.Millisecond
	}
	if o.Slice <= 0 {
		o.Slice = 20 * time.Second
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = 30 * time.Second
	}
	e := &Engine{o: o, senders: map[string]channel.Sender{}, limiters: map[string]*rate.Limiter{}, slots: map[string]chan struct{}{}}
	for _, s := range o.Senders {
		if s != nil {
			e.senders[s.Name()] = s
			e.slots[s.Name()] = make(chan struct{}, e.InFlight(s.Name()))
		}
	}
	for ch, r := range o.Rates {
		if r > 0 {
			e.limiters[ch] = rate.NewLimiter(rate.Limit(r), max(1, int(r/10)))
		}
	}
	return e
}

// Has reports whether a channel is configured.
func (e *Engine) Has(ch string) bool { _, ok := e.senders[ch]; return ok }

// InFlight is how many sends of a channel may be under way or awaiting
// their record at once in this process: the most that can be repeated
// after a crash.
func (e *Engine) InFlight(ch string) int {
	if n := e.o.InFlight[ch]; n > 0 {
		return n
	}
	return 2 * e.concurrency(ch) * SendersPerChannel
}

func (e *Engine) concurrency(ch string) int {
	if c := e.o.Concurrency[ch]; c > 0 {
		return c
	}
	if ch == channel.Webhook {
		return 64
	}
	return 8
}

// Sender returns a channel's adapter, for the admin's "send test".
func (e *Engine) Sender(ch string) (channel.Sender, bool) { s, ok := e.senders[ch]; return s, ok }

// Fanout writes all of a notice's delivery records, batch by batch from
// the checkpoint; it resumes where a dead process stopped.
func (e *Engine) Fanout(ctx context.Context, noticeID int64) error {
	total := 0
	for {
		added, done, err := e.o.Store.FanoutBatch(ctx, noticeID, e.o.FanoutBatch)
		if err != nil {
			return fmt.Errorf("fan-out of notice %d: %w", noticeID, err)
		}
		total += added
		if done {
			e.o.Logger.Info("fan-out finished", "notice", noticeID, "added", total)
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Result says what a sender job should do next.
type Result struct {
	// Again: the slice ended with work left; run again at once (behind any
	// higher-priority work).
	Again bool
	// Wait: nothing to send before this long (a retry is due later).
	Wait time.Duration
}

// Send works one channel's deliveries of a notice for up to one slice.
func (e *Engine) Send(ctx context.Context, noticeID int64, ch string) (Result, error) {
	n, err := e.o.Notices.Get(ctx, noticeID)
	if err != nil {
		return Result{}, fmt.Errorf("read notice %d: %w", noticeID, err)
	}
	r := e.newRound(n, ch)
	batch := e.o.ClaimBatch
	if l := e.limiters[ch]; l != nil {
		// A batch takes about five seconds at the rate limit, well inside
		// the heartbeat the sweeper watches.
		batch = min(batch, max(10, int(float64(l.Limit())*5)))
	}
	deadline := time.Now().Add(e.o.Slice)
	for {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		c, err := e.o.Store.Claim(ctx, noticeID, ch, batch, e.o.Lease)
		if err != nil {
			return Result{}, err
		}
		if len(c.Items) == 0 {
			next, fanoutDone, err := e.o.Store.Pending(ctx, noticeID, ch)
			if err != nil {
				return Result{}, err
			}
			now := e.o.Clock.Now()
			switch {
			case !fanoutDone || (!next.IsZero() && !next.After(now)):
				// The fan-out is still writing, or another sender's lease
				// is just running out: look again shortly.
				if time.Now().After(deadline) {
					return Result{Again: true}, nil
				}
				if err := sleep(ctx, 100*time.Millisecond); err != nil {
					return Result{}, err
				}
				continue
			case next.IsZero():
				return Result{}, e.o.Store.Rest(ctx, noticeID, ch, time.Time{})
			default:
				return Result{Wait: next.Sub(now)}, e.o.Store.Rest(ctx, noticeID, ch, next)
			}
		}
		if err := r.sendAll(ctx, c); err != nil {
			return Result{}, err
		}
		if time.Now().After(deadline) {
			return Result{Again: true}, nil
		}
	}
}

// RestartStalled restarts the work of dead processes.
func (e *Engine) RestartStalled(ctx context.Context, staleAfter time.Duration) (int, error) {
	runs, err := e.o.Store.RestartStalled(ctx, staleAfter)
	for _, r := range runs {
		e.o.Logger.Warn("restarting stalled delivery", "notice", r.NoticeID, "channel", r.Channel)
	}
	return len(runs), err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// round is one sender job's view of a notice: the content rendered once
// per language and the webhook body encoder.
type round struct {
	e       *Engine
	n       notice.Notice
	ch      string
	mu      sync.Mutex
	content map[contentKey]Content
	event   string
	body    func(string) []byte
	bodyErr error
}

func (e *Engine) newRound(n notice.Notice, ch string) *round {
	r := &round{e: e, n: n, ch: ch, content: map[contentKey]Content{}}
	if ch == channel.Webhook {
		r.event, r.body, r.bodyErr = e.o.Renderer.Webhook(n)
	}
	return r
}

// contentKey tells apart the renderings of a notice: by language, and
// with or without the subscriber's unsubscribe link and footer.
type contentKey struct {
	lang       string
	subscriber bool
}

// contentFor renders the notice once per language and kind of reader: a
// public subscriber's message carries the unsubscribe link (filled in per
// recipient); staff and registered endpoints get none.
func (r *round) contentFor(lang string, subscriber bool) Content {
	k := contentKey{lang, subscriber}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.content[k]
	if !ok {
		unsubscribe := ""
		if subscriber {
			unsubscribe = strings.TrimRight(r.e.o.BaseURL, "/") + "/unsubscribe/" + UnsubscribeMark
		}
		c = r.e.o.Renderer.Content(r.n, lang, unsubscribe)
		r.content[k] = c
	}
	return c
}

// sendAll sends a claimed batch with the channel's concurrency and rate
// limit, and records each outcome as it comes (recorder): a send holds one
// of the channel's in-flight slots from before it begins until its outcome
// is committed. It returns once every outcome is recorded.
func (r *round) sendAll(ctx context.Context, c Claim) error {
	rec := r.e.newRecorder(ctx, r, c)
	work := make(chan Item)
	slots := r.e.slots[r.ch]
	var wg sync.WaitGroup
	for range min(r.e.concurrency(r.ch), len(c.Items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				if rec.failed() {
					continue // left leased: claimed again when the lease runs out
				}
				held := false
				if slots != nil && it.Skip == "" {
					select {
					case slots <- struct{}{}:
						held = true
					case <-ctx.Done():
					}
				}
				if !rec.fresh() {
					// The lease could not be renewed for a while: another
					// sender may hold these rows by now, so send nothing.
					rec.release(held)
					continue
				}
				rec.add(r.sendOne(ctx, it), held)
			}
		}()
	}
	for _, it := range c.Items {
		work <- it
	}
	close(work)
	wg.Wait()
	return rec.close()
}

func (r *round) sendOne(ctx context.Context, it Item) Outcome {
	o := Outcome{ID: it.ID}
	if it.RecipientKind == ToEndpoint {
		o.Endpoint = it.RecipientID
	}
	defer func() {
		if r.e.o.Observe != nil {
			r.e.o.Observe(r.ch, o.State)
		}
	}()
	if it.Skip != "" {
		o.State, o.Error, o.Endpoint = GaveUp, it.Skip, 0
		return o
	}
	sender, ok := r.e.senders[r.ch]
	if !ok {
		o.State, o.Error, o.Endpoint = GaveUp, "the "+r.ch+" channel is not configured", 0
		return o
	}
	if r.ch == channel.Webhook && r.bodyErr != nil {
		o.State, o.Error = GaveUp, "render webhook body: "+r.bodyErr.Error()
		return o
	}
	if l := r.e.limiters[r.ch]; l != nil {
		if err := l.Wait(ctx); err != nil {
			o.State, o.Error, o.Next = Failed, "stopped before sending: "+err.Error(), r.e.o.Clock.Now()
			return o
		}
	}
	m := r.message(it)
	sctx, cancel := context.WithTimeout(ctx, r.e.o.SendTimeout)
	err := sender.Send(sctx, m)
	cancel()
	now := r.e.o.Clock.Now()
	var ra *channel.RetryAfter
	switch {
	case err == nil:
		o.State = Sent
	case channel.IsPermanent(err):
		o.State, o.Error = GaveUp, err.Error()
	case it.Attempts >= MaxAttempts:
		o.State, o.Error = GaveUp, fmt.Sprintf("gave up after %d attempts: %v", it.Attempts, err)
	case errors.As(err, &ra):
		o.State, o.Error, o.Next = Failed, err.Error(), now.Add(max(ra.After, Backoff(it.Attempts)))
	default:
		o.State, o.Error, o.Next = Failed, err.Error(), now.Add(Backoff(it.Attempts))
	}
	return o
}

func (r *round) message(it Item) channel.Message {
	m := channel.Message{Key: it.Key(), To: it.Address, Language: it.Language, Guard: it.Guard, Timestamp: time.Now()}
	if len(it.Secrets) > 0 {
		m.Secret, m.Secrets = it.Secrets[0], it.Secrets[1:]
	}
	switch r.ch {
	case channel.Webhook:
		m.Event = r.event
		m.JSON = r.body(it.RecipientKind + ":" + strconv.FormatInt(it.RecipientID, 10))
	default:
		tok := it.Token
		c := r.contentFor(it.Language, it.RecipientKind == ToSubscriber && tok != "")
		if tok != "" {
			m.UnsubscribeURL = strings.TrimRight(r.e.o.BaseURL, "/") + "/unsubscribe/" + tok
		}
		fill := func(s string) string {
			if !strings.Contains(s, UnsubscribeMark) {
				return s
			}
			return strings.ReplaceAll(s, UnsubscribeMark, tok)
		}
		m.Subject, m.Text, m.HTML, m.SMS = c.Subject, fill(c.Text), fill(c.HTML), fill(c.SMS)
	}
	return m
}
