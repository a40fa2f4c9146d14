package email

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// errClosed is returned by a send after Close.
var errClosed = errors.New("smtp pool: closed")

// pool keeps up to cap(free) SMTP connections open, each reused for many
// messages: dialling, EHLO, STARTTLS and AUTH for every notice could not
// keep up with a large fan-out. free holds one token per slot; a nil
// token is a slot with no open connection, so taking a token both limits
// the connections and hands one out.
type pool struct {
	client *gomail.Client // settings only; each conn has its own smtp.Client
	free   chan *conn
	maxPer int
	idle   time.Duration

	done      chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	reaping bool // a reap is scheduled
}

// conn is one open SMTP connection.
type conn struct {
	smtp *smtp.Client
	sent int       // messages carried
	used time.Time // end of its last message
}

func newPool(client *gomail.Client, maxConns, maxPer int, idle time.Duration) *pool {
	p := &pool{client: client, free: make(chan *conn, maxConns), maxPer: maxPer, idle: idle, done: make(chan struct{})}
	for range maxConns {
		p.free <- nil
	}
	return p
}

// send delivers m over a pooled connection. A connection that fails is
// closed, never reused. When a reused connection turns out to be dead
// before the server accepted anything of m (the server timed it out or
// said 421), m is tried once more on a fresh connection.
func (p *pool) send(ctx context.Context, m *gomail.Msg) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer func() { p.release(c) }()
	for retried := false; ; retried = true {
		if c == nil {
			if c, err = p.dial(ctx); err != nil {
				return err
			}
		}
		reused := c.sent > 0
		err = p.client.SendWithSMTPClient(c.smtp, m)
		c.sent++
		c.used = time.Now()
		if err == nil || m.IsDelivered() { // delivered, even if what followed failed
			if err != nil || c.sent >= p.maxPer {
				c.close()
				c = nil
			}
			return nil
		}
		c.close()
		c = nil
		if !reused || retried || !untouched(err) || ctx.Err() != nil {
			return err
		}
	}
}

// untouched reports whether err came before the server accepted any part
// of the message, from a connection that is gone or going: no reply at
// all, or 421 (closing the channel).
func untouched(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	if se.Reason != gomail.ErrConnCheck && se.Reason != gomail.ErrSMTPMailFrom {
		return false
	}
	code := se.ErrorCode()
	return code == 0 || code == 421
}

func (p *pool) dial(ctx context.Context) (*conn, error) {
	sc, err := p.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	return &conn{smtp: sc, used: time.Now()}, nil
}

// acquire takes a slot, waiting for one while all are busy.
func (p *pool) acquire(ctx context.Context) (*conn, error) {
	select {
	case <-p.done:
		return nil, errClosed
	default:
	}
	select {
	case c := <-p.free:
		select {
		case <-p.done: // closed while waiting: hand the slot to close
			p.release(c)
			return nil, errClosed
		default:
			return c, nil
		}
	case <-p.done:
		return nil, errClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// release gives a slot back.
func (p *pool) release(c *conn) {
	select {
	case <-p.done:
		if c != nil {
			c.close()
		}
		p.free <- nil
		return
	default:
	}
	p.free <- c
	if c != nil {
		p.arm()
	}
}

// arm schedules a reap unless one is scheduled.
func (p *pool) arm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reaping {
		return
	}
	p.reaping = true
	time.AfterFunc(p.idle, p.reap)
}

// reap closes the connections idle for p.idle or longer. Giving back one
// that stays open schedules the next reap.
func (p *pool) reap() {
	p.mu.Lock()
	p.reaping = false // a release from now on arms again
	p.mu.Unlock()
scan:
	for range cap(p.free) {
		var c *conn
		select {
		case c = <-p.free:
		default: // the rest are in use; their release arms a reap
			break scan
		}
		if c != nil && time.Since(c.used) >= p.idle {
			c.close()
			c = nil
		}
		p.release(c)
	}
}

// close closes every connection, waiting for sends in flight to finish.
func (p *pool) close() error {
	first := false
	p.closeOnce.Do(func() { close(p.done); first = true })
	if !first {
		return nil
	}
	for range cap(p.free) {
		if c := <-p.free; c != nil {
			c.close()
		}
	}
	return nil
}

// close says goodbye, or just hangs up on a connection that does not
// answer: a goodbye that fails loses nothing.
func (c *conn) close() {
	_ = c.smtp.UpdateDeadline(2 * time.Second)
	if err := c.smtp.Quit(); err != nil {
		_ = c.smtp.Close()
	}
}
