package sms

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"crisisdesk/internal/channel"
)

const (
	hkNumber     = "+85291234567"
	genericAuth  = "Bearer s3cret-generic-token"
	twilioSID    = "AC0123456789abcdef0123456789abcdef"
	twilioToken  = "s3cret-twilio-token"
	twilioAuth   = twilioSID + ":" + twilioToken
	secretMarker = "s3cret"
)

func TestNewRefusesBadSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no format", Config{URL: "https://gw.example"}, "sms format: required"},
		{"unknown format", Config{Format: "pigeon", URL: "https://gw.example"}, `sms format: "pigeon"`},
		{"generic without url", Config{Format: Generic}, "sms url: required"},
		{"ftp url", Config{Format: Generic, URL: "ftp://gw.example/send"}, "sms url: must be http or https"},
		{"url without host", Config{Format: Generic, URL: "https:///send"}, "sms url: has no host"},
		{"unparsable url", Config{Format: Generic, URL: "https://gw.example/%zz?key=" + secretMarker}, "sms url: not a valid address"},
		{"negative timeout", Config{Format: Generic, URL: "https://gw.example", Timeout: -time.Second}, "sms timeout"},
		{"auth on two lines", Config{Format: Generic, URL: "https://gw.example", Auth: genericAuth + "\r\nX-Evil: 1"}, "sms auth: must be a single line"},
		{"body does not parse", Config{Format: Generic, URL: "https://gw.example", Body: `{"to":{{json .To}`}, "sms body"},
		{"body names an unknown field", Config{Format: Generic, URL: "https://gw.example", Body: `{"to":{{json .Phone}}}`}, "sms body"},
		{"body is not JSON", Config{Format: Generic, URL: "https://gw.example", Body: `{"text":"{{.Text}}"}`}, "sms body: does not render valid JSON"},
		{"explicit JSON type, form body", Config{Format: Generic, URL: "https://gw.example", Body: `text={{urlquery .Text}}`, ContentType: "application/json"}, "sms body: does not render valid JSON"},
		{"bad content type", Config{Format: Generic, URL: "https://gw.example", ContentType: "json please"}, "sms content type"},
		{"twilio auth without colon", Config{Format: Twilio, Auth: secretMarker, From: "+85200000000"}, "sms auth: twilio needs ACCOUNTSID:AUTHTOKEN"},
		{"twilio auth without token", Config{Format: Twilio, Auth: twilioSID + ":", From: "+85200000000"}, "sms auth"},
		{"twilio sid with a slash", Config{Format: Twilio, Auth: "AC1/../x:" + twilioToken, From: "+85200000000"}, "sms auth"},
		{"twilio without sender", Config{Format: Twilio, Auth: twilioAuth}, "sms from"},
		{"twilio with a body", Config{Format: Twilio, Auth: twilioAuth, From: "+85200000000", Body: "{}"}, "sms body: only the generic format"},
		{"twilio with a bad base", Config{Format: Twilio, Auth: twilioAuth, From: "+85200000000", URL: "api.twilio.com"}, "sms url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := New(tt.cfg)
			if err == nil {
				t.Fatalf("New accepted %+v", tt.cfg)
			}
			if g != nil {
				t.Errorf("New returned a gateway with its error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secretMarker) {
				t.Errorf("error %q repeats a secret", err)
			}
		})
	}
}

func TestNewAcceptsGoodSettings(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"generic, all defaults": {Format: Generic, URL: "https://gw.example/send"},
		"generic form body":     {Format: Generic, URL: "http://gw.example/send", Body: `to={{urlquery .To}}&text={{urlquery .Text}}`},
		"generic XML body":      {Format: Generic, URL: "http://gw.example/send", Body: `<sms><to>{{.To}}</to></sms>`, ContentType: "application/xml"},
		"twilio, default base":  {Format: Twilio, Auth: twilioAuth, From: "+85200000000"},
		"twilio, sender ID":     {Format: Twilio, Auth: twilioAuth, From: "CityHall", URL: "https://api.twilio.com/"},
	} {
		g, err := New(cfg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if g.Name() != channel.SMS {
			t.Errorf("%s: Name = %q", name, g.Name())
		}
	}
}

// refusing is a gateway stand-in that answers every request with one
// status, echoing the credentials it got the way a careless gateway
// might, and counts the requests.
func refusing(t *testing.T, code int, retryAfter, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		if body == "" {
			body = "denied for " + r.Header.Get("Authorization")
			if _, pass, ok := r.BasicAuth(); ok {
				body += " with password " + pass
			}
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// hanging is a gateway stand-in that never answers until the client
// gives up.
func hanging(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

func TestSendClassifiesErrors(t *testing.T) {
	t.Parallel()
	type want struct {
		permanent bool
		retry     bool          // a *channel.RetryAfter
		after     time.Duration // its delay
		detail    string        // in the error text
	}
	tests := []struct {
		name       string
		code       int
		retryAfter string
		body       string
		to, text   string
		want       want
	}{
		{name: "500 is retried", code: 500, want: want{detail: "HTTP 500"}},
		{name: "502 is retried", code: 502, want: want{detail: "HTTP 502"}},
		{name: "408 is retried", code: 408, want: want{detail: "HTTP 408"}},
		{name: "400 is permanent", code: 400, want: want{permanent: true, detail: "HTTP 400"}},
		{name: "401 is permanent", code: 401, want: want{permanent: true, detail: "HTTP 401"}},
		{name: "404 is permanent", code: 404, want: want{permanent: true, detail: "HTTP 404"}},
		{name: "a redirect is not followed", code: 302, want: want{permanent: true, detail: "HTTP 302"}},
		{name: "429 with Retry-After", code: 429, retryAfter: "120", want: want{retry: true, after: 2 * time.Minute}},
		{name: "503 with Retry-After", code: 503, retryAfter: "7", want: want{retry: true, after: 7 * time.Second}},
		{name: "429 without Retry-After", code: 429, want: want{retry: true}},
		{name: "a wild Retry-After is capped", code: 429, retryAfter: "99999999999", want: want{retry: true, after: 24 * time.Hour}},
		{name: "a JSON refusal's message", code: 400, body: `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`,
			want: want{permanent: true, detail: "HTTP 400 Bad Request: The 'To' number is not a valid phone number."}},
		{name: "a text refusal's first line", code: 422, body: "number barred\nstack trace …",
			want: want{permanent: true, detail: "HTTP 422 Unprocessable Entity: number barred"}},
	}
	for _, format := range []string{Generic, Twilio} {
		for _, tt := range tests {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv, hits := refusing(t, tt.code, tt.retryAfter, tt.body)
				g := newFor(t, format, srv.URL, 0)
				err := g.Send(context.Background(), channel.Message{Key: "k1", To: hkNumber, SMS: "Signal 8"})
				if err == nil {
					t.Fatal("Send succeeded")
				}
				if hits.Load() != 1 {
					t.Errorf("gateway got %d requests, want 1", hits.Load())
				}
				if got := channel.IsPermanent(err); got != tt.want.permanent {
					t.Errorf("permanent = %v, want %v: %v", got, tt.want.permanent, err)
				}
				var ra *channel.RetryAfter
				if got := errors.As(err, &ra); got != tt.want.retry {
					t.Errorf("RetryAfter = %v, want %v: %v", got, tt.want.retry, err)
				} else if got && ra.After != tt.want.after {
					t.Errorf("RetryAfter.After = %v, want %v", ra.After, tt.want.after)
				}
				if !strings.Contains(err.Error(), tt.want.detail) {
					t.Errorf("error %q, want it to contain %q", err, tt.want.detail)
				}
				assertNoSecret(t, err)
			})
		}
	}
}

func TestSendRefusesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv, hits := refusing(t, 200, "", "ok")
	g := newFor(t, Generic, srv.URL, 0)
	for _, m := range []channel.Message{
		{To: "91234567", SMS: "local number"},
		{To: "+0091234567", SMS: "country code 0"},
		{To: "+852 9123 4567", SMS: "spaces"},
		{To: "+8529123456789012", SMS: "16 digits"},
		{To: "", SMS: "no number"},
		{To: hkNumber, SMS: "  "},
	} {
		err := g.Send(context.Background(), m)
		if !channel.IsPermanent(err) {
			t.Errorf("Send(%q, %q) = %v, want a permanent error", m.To, m.SMS, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("gateway got %d requests, want none", hits.Load())
	}
}

func TestSendTransportErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, format := range []string{Generic, Twilio} {
		t.Run(format+"/hanging gateway", func(t *testing.T) {
			t.Parallel()
			g := newFor(t, format, hanging(t).URL, 100*time.Millisecond)
			err := g.Send(context.Background(), channel.Message{To: hkNumber, SMS: "hello"})
			if err == nil || channel.IsPermanent(err) {
				t.Fatalf("Send = %v, want a retryable error", err)
			}
			if !strings.Contains(err.Error(), "timed out") {
				t.Errorf("error %q does not say it timed out", err)
			}
			assertNoSecret(t, err)
		})
		t.Run(format+"/caller gives up", func(t *testing.T) {
			t.Parallel()
			g := newFor(t, format, hanging(t).URL, time.Minute)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := g.Send(ctx, channel.Message{To: hkNumber, SMS: "hello"})
			if err == nil || channel.IsPermanent(err) {
				t.Fatalf("Send = %v, want a retryable error", err)
			}
		})
		t.Run(format+"/connection refused", func(t *testing.T) {
			t.Parallel()
			g := newFor(t, format, closed.URL+"/send?key="+secretMarker, 0)
			err := g.Send(context.Background(), channel.Message{To: hkNumber, SMS: "hello"})
			if err == nil || channel.IsPermanent(err) {
				t.Fatalf("Send = %v, want a retryable error", err)
			}
			assertNoSecret(t, err)
		})
	}
}

func TestRedactHidesEveryForm(t *testing.T) {
	t.Parallel()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+secretMarker+"-pw"))
	for _, cfg := range []Config{
		{Format: Generic, URL: "https://gw.example", Auth: genericAuth},
		{Format: Generic, URL: "https://gw.example", Auth: basic},
		{Format: Twilio, Auth: twilioAuth, From: "+85200000000"},
	} {
		g, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range g.secrets {
			if got := g.redact("gateway said: " + leak + "!"); strings.Contains(got, secretMarker) ||
				strings.Contains(got, base64.StdEncoding.EncodeToString([]byte(cfg.Auth))) {
				t.Errorf("redact left %q", got)
			}
		}
		if len(g.secrets) == 0 {
			t.Errorf("%s: no secrets recorded", cfg.Format)
		}
	}
}

// newFor builds a gateway of format at base with test credentials.
func newFor(t *testing.T, format, base string, timeout time.Duration) *Gateway {
	t.Helper()
	cfg := Config{Format: format, URL: base, Auth: genericAuth, From: "CITY", Timeout: timeout}
	if format == Twilio {
		cfg.Auth, cfg.From = twilioAuth, "+85200000000"
	}
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	text := err.Error()
	for _, leak := range []string{secretMarker, base64.StdEncoding.EncodeToString([]byte(twilioAuth))} {
		if strings.Contains(text, leak) {
			t.Errorf("error %q repeats a secret", text)
		}
	}
}

// newServer starts a gateway stand-in closed when the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
