// Package webhook delivers messages as Standard Webhooks
// (https://www.standardwebhooks.com/): an HTTP POST of the JSON body with
// webhook-id, webhook-timestamp and webhook-signature headers, signed with
// HMAC-SHA256 under every secret of the endpoint so a rotation needs no
// downtime. It classifies each failure as worth retrying or not, and
// guards self-service endpoints against server-side request forgery.
package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/channel"
)

// Defaults of Options.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultUserAgent       = "crisisdesk-webhooks/1"
	DefaultMaxConnsPerHost = 128
	DefaultIdleConnTimeout = 90 * time.Second
)

// drainLimit is how much of a response body is read so that the
// connection can be reused; a longer body closes the connection instead.
const drainLimit = 64 << 10

// Options configure a Sender. The zero value is ready to use.
type Options struct {
	// Timeout bounds one delivery: connecting, sending and reading the
	// whole response. Default 10s.
	Timeout time.Duration
	// UserAgent is sent with every request. Default "crisisdesk-webhooks/1".
	UserAgent string
	// MaxConnsPerHost caps the connections to one receiver, and as many
	// idle ones are kept for reuse, so a burst to one endpoint runs over
	// warm connections instead of opening and closing them. Default 128.
	MaxConnsPerHost int
	// IdleConnTimeout closes a kept connection unused this long. Default
	// 90s.
	IdleConnTimeout time.Duration
	// Resolver resolves receiver names; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// Sender posts webhooks. It holds two HTTP clients over separate
// connection pools: an open one for staff-registered endpoints and a
// guarded one, whose dialer refuses loopback, private and link-local
// addresses, for messages with Guard set. It is safe for concurrent use.
type Sender struct {
	ua      string
	open    *http.Client
	guarded *http.Client
}

var _ channel.Sender = (*Sender)(nil)

// New returns a Sender with the options' defaults filled in.
func New(opts Options) *Sender {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.MaxConnsPerHost <= 0 {
		opts.MaxConnsPerHost = DefaultMaxConnsPerHost
	}
	if opts.IdleConnTimeout <= 0 {
		opts.IdleConnTimeout = DefaultIdleConnTimeout
	}
	return &Sender{
		ua:      opts.UserAgent,
		open:    newClient(opts, false),
		guarded: newClient(opts, true),
	}
}

// newClient builds one client and its connection pool. Redirects are
// never followed: the 3xx response comes back to Send, which refuses it.
func newClient(o Options, guard bool) *http.Client {
	d := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second, Resolver: o.Resolver}
	t := &http.Transport{
		DialContext:         d.DialContext,
		ForceAttemptHTTP2:   true,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: o.Timeout,
		MaxIdleConns:        0, // no overall cap; the per-host caps bound it
		MaxIdleConnsPerHost: o.MaxConnsPerHost,
		MaxConnsPerHost:     o.MaxConnsPerHost,
		IdleConnTimeout:     o.IdleConnTimeout,
		DisableCompression:  true, // the response body is discarded
	}
	if guard {
		// Through a proxy the dialer would see the proxy's address, not
		// the receiver's, so a guarded client never uses one.
		d.Control = guardControl
	} else {
		t.Proxy = http.ProxyFromEnvironment
	}
	return &http.Client{
		Transport:     t,
		Timeout:       o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Name is channel.Webhook.
func (s *Sender) Name() string { return channel.Webhook }

// CloseIdleConnections closes the kept connections of both pools.
func (s *Sender) CloseIdleConnections() {
	s.open.CloseIdleConnections()
	s.guarded.CloseIdleConnections()
}

// Send posts m.JSON to the URL m.To, signed with m.Secret and every one of
// m.Secrets. A 2xx answer is success. 410 Gone, any other 4xx, a 3xx
// (redirects are refused), a malformed URL or secret and a guarded address
// are permanent (channel.Permanent); 408, 429 and 503 are retryable and
// carry the receiver's Retry-After as *channel.RetryAfter when given;
// other 5xx, timeouts and connection errors are retryable. Errors name the
// status and the receiver's host, never a secret, path or query.
func (s *Sender) Send(ctx context.Context, m channel.Message) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.To, bytes.NewReader(m.JSON))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error repeats the whole URL
		}
		return channel.Permanentf("webhook: bad url: %v", err)
	}
	host := req.URL.Host
	if sch := req.URL.Scheme; sch != "http" && sch != "https" {
		return channel.Permanentf("webhook to %s: scheme must be http or https, not %q", host, sch)
	}
	if req.URL.Hostname() == "" {
		return channel.Permanentf("webhook: url has no host")
	}
	ts := m.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	sigs, err := signAll(m, ts)
	if err != nil {
		return channel.Permanentf("webhook to %s: %w", host, err)
	}
	req.Header = http.Header{
		"Content-Type":      {"application/json"},
		"User-Agent":        {s.ua},
		"Webhook-Id":        {m.Key},
		"Webhook-Timestamp": {strconv.FormatInt(ts.Unix(), 10)},
		"Webhook-Signature": {sigs},
	}
	c := s.open
	if m.Guard {
		c = s.guarded
	}
	resp, err := c.Do(req)
	if err != nil {
		return transportError(host, err)
	}
	err = classify(host, resp)
	// Reading the rest of a short body lets the connection be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	resp.Body.Close()
	return err
}

// signAll signs with the current secret and every secret still valid
// during a rotation, space-separated as the webhook-signature header
// carries them. Empty slots are skipped; no secret at all is an error, as
// an unsigned webhook cannot be trusted by its receiver.
func signAll(m channel.Message, ts time.Time) (string, error) {
	var b strings.Builder
	for i, secret := range append([]string{m.Secret}, m.Secrets...) {
		if secret == "" {
			continue
		}
		sig, err := Sign(secret, m.Key, ts, m.JSON)
		if err != nil {
			return "", fmt.Errorf("signing with secret %d: %w", i+1, err)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sig)
	}
	if b.Len() == 0 {
		return "", errors.New("no signing secret")
	}
	return b.String(), nil
}

// transportError classifies a failure to get an answer. A guarded refusal
// is permanent; anything else (refused or reset connections, timeouts,
// TLS failures, the caller giving up) may pass.
func transportError(host string, err error) error {
	var r *refusal
	if errors.As(err, &r) {
		return channel.Permanentf("webhook to %s: refused, %w", host, r)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the url.Error repeats the whole URL
		if ue.Timeout() {
			return fmt.Errorf("webhook to %s: timed out: %w", host, err)
		}
	}
	return fmt.Errorf("webhook to %s: %w", host, err)
}

// classify turns the receiver's status into Send's verdict.
func classify(host string, resp *http.Response) error {
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code >= 300 && code < 400:
		return channel.Permanentf("webhook to %s: HTTP %d, redirect refused", host, code)
	case code == http.StatusGone:
		return channel.Permanentf("webhook to %s: HTTP 410 Gone, endpoint gone", host)
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable:
		err := fmt.Errorf("webhook to %s: HTTP %d %s", host, code, http.StatusText(code))
		if after, ok := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return &channel.RetryAfter{Err: err, After: after}
		}
		return err
	case code >= 500 && code < 600:
		return fmt.Errorf("webhook to %s: HTTP %d %s", host, code, http.StatusText(code))
	default:
		return channel.Permanentf("webhook to %s: HTTP %d %s", host, code, http.StatusText(code))
	}
}
