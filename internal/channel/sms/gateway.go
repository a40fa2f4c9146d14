package sms

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/channel"
)

// The gateway formats.
const (
	Generic = "generic" // any HTTP gateway: a URL, an Authorization header and a body template
	Twilio  = "twilio"  // Twilio's Programmable Messaging API
)

// DefaultTimeout bounds one request to the gateway when Config.Timeout is
// zero.
const DefaultTimeout = 10 * time.Second

// Config is the SMS gateway's settings.
type Config struct {
	// Format is Generic or Twilio.
	Format string
	// URL is where a generic gateway takes messages (required), or
	// Twilio's API base (default https://api.twilio.com).
	URL string
	// Auth is the generic gateway's whole Authorization header value
	// (e.g. "Bearer …"; empty sends none), or Twilio's
	// "ACCOUNTSID:AUTHTOKEN". It is a secret: no error repeats it.
	Auth string
	// From is the sender number or name. Twilio requires it; a Twilio
	// Messaging Service SID (MG…) is sent as MessagingServiceSid.
	From string
	// Body is the generic gateway's request body, a text/template over
	// .To .From .Text .Reference .Encoding .Segments with the functions
	// json (a JSON string) and urlquery (a query-escaped value). Empty
	// sends {"to":…,"from":…,"text":…,"reference":…}.
	Body string
	// ContentType is the generic body's media type. Empty means
	// application/json when the body renders JSON,
	// application/x-www-form-urlencoded when it renders name=value pairs,
	// text/plain otherwise.
	ContentType string
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
}

// Gateway sends SMS through one HTTP gateway. It implements
// channel.Sender and is safe for concurrent use.
type Gateway struct {
	client  *http.Client
	build   func(ctx context.Context, m channel.Message) (*http.Request, error)
	secrets []string // what redact hides, longest first
}

var _ channel.Sender = (*Gateway)(nil)

// New checks the settings and builds the gateway. Its errors name the
// setting at fault ("sms url: …") and never repeat the credentials.
func New(cfg Config) (*Gateway, error) {
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("sms timeout: must not be negative, got %v", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if strings.ContainsAny(cfg.Auth, "\r\n") {
		return nil, errors.New("sms auth: must be a single line")
	}
	g := &Gateway{client: &http.Client{
		Timeout: cfg.Timeout,
		// A gateway that redirects is misconfigured; following it would
		// resend the credentials elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	var err error
	switch cfg.Format {
	case Generic:
		err = g.generic(cfg)
	case Twilio:
		err = g.twilio(cfg)
	case "":
		err = errors.New("sms format: required, generic or twilio")
	default:
		err = fmt.Errorf("sms format: %q is neither generic nor twilio", cfg.Format)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// checkURL accepts an absolute http or https address.
func checkURL(raw string) error {
	if raw == "" {
		return errors.New("sms url: required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The parse error repeats the URL, which may carry a key.
		return errors.New("sms url: not a valid address")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("sms url: must be http or https")
	}
	if u.Host == "" {
		return errors.New("sms url: has no host")
	}
	return nil
}

// Name is channel.SMS.
func (g *Gateway) Name() string { return channel.SMS }

// e164 is a number in E.164 form: a plus, a country code that does not
// start with 0, and at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Send posts m.SMS to the number m.To, with m.Key as the gateway's
// reference. A 2xx answer is success. A number not in E.164 form, an
// empty text and any 4xx answer but 408 and 429 are permanent; 429 and
// 503 are *channel.RetryAfter carrying the gateway's Retry-After (zero
// when it gave none); 408, other 5xx, timeouts and connection errors are
// plain, retryable errors.
func (g *Gateway) Send(ctx context.Context, m channel.Message) error {
	if !e164.MatchString(m.To) {
		return channel.Permanentf("sms to %q: not an E.164 number such as +85291234567", m.To)
	}
	if strings.TrimSpace(m.SMS) == "" {
		return channel.Permanentf("sms to %s: empty text", m.To)
	}
	req, err := g.build(ctx, m)
	if err != nil {
		return channel.Permanent(err)
	}
	host := req.URL.Host
	resp, err := g.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			if ue.Timeout() {
				return fmt.Errorf("sms gateway %s: timed out: %w", host, ue.Err)
			}
			err = ue.Err // the url.Error repeats the whole URL
		}
		return fmt.Errorf("sms gateway %s: %w", host, err)
	}
	defer resp.Body.Close()
	err = g.classify(host, resp)
	// Reading the rest of a short answer lets the connection be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return err
}

// classify turns the gateway's answer into Send's verdict.
func (g *Gateway) classify(host string, resp *http.Response) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	err := fmt.Errorf("sms gateway %s: HTTP %d %s%s", host, code, http.StatusText(code), g.detail(resp.Body))
	switch {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		after, _ := channel.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return &channel.RetryAfter{Err: err, After: after}
	case code == http.StatusRequestTimeout || code >= 500:
		return err
	default:
		return channel.Permanent(err)
	}
}

// detail is the gateway's own word on a refusal, for the delivery log:
// the "message" of a JSON answer (Twilio's, and many others') or the
// first line of a text one, short and with the credentials hidden.
func (g *Gateway) detail(body io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(body, 4<<10))
	var j struct {
		Message string `json:"message"`
	}
	text := string(b)
	if json.Unmarshal(b, &j) == nil && j.Message != "" {
		text = j.Message
	}
	text, _, _ = strings.Cut(strings.TrimSpace(text), "\n")
	text = strings.ToValidUTF8(strings.TrimSpace(text), "")
	if len(text) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	if text == "" {
		return ""
	}
	return ": " + g.redact(text)
}

// redact hides every form of the credentials in a text from the gateway,
// which may echo what it was sent.
func (g *Gateway) redact(s string) string {
	for _, secret := range g.secrets {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}

// addSecrets records the forms of the credentials redact hides: the
// whole value, and the parts after a scheme or a colon and any decoded
// Basic credentials, each long enough to be worth hiding.
func (g *Gateway) addSecrets(auth string) {
	add := func(s string) {
		if len(s) >= 4 {
			g.secrets = append(g.secrets, s)
		}
	}
	add(auth)
	add(base64.StdEncoding.EncodeToString([]byte(auth)))
	if scheme, cred, ok := strings.Cut(auth, " "); ok {
		add(cred)
		if strings.EqualFold(scheme, "Basic") {
			if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred)); err == nil {
				add(string(dec))
				auth = string(dec)
			}
		}
	}
	if _, pass, ok := strings.Cut(auth, ":"); ok {
		add(pass)
	}
	// Longest first, so that a part never leaves the rest of a whole
	// showing.
	slices.SortFunc(g.secrets, func(a, b string) int { return len(b) - len(a) })
}
