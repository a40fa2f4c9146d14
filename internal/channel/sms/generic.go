package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"text/template"

	"crisisdesk/internal/channel"
)

// defaultBody is the generic request body when none is configured.
const defaultBody = `{"to":{{json .To}},"from":{{json .From}},"text":{{json .Text}},"reference":{{json .Reference}}}`

// BodyData is what a generic body template sees.
type BodyData struct {
	To        string // the E.164 number
	From      string // Config.From
	Text      string // the message
	Reference string // the delivery's idempotency key, the same on a retry
	Encoding  string // GSM7 or UCS2, as Count decides
	Segments  int    // the number of SMS parts, as Count decides
}

// bodyFuncs are the functions a body template may call.
var bodyFuncs = template.FuncMap{
	// json quotes a value as JSON: {{json .Text}} gives "…" with every
	// quote, newline and control character escaped.
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// urlquery escapes a value for a form or a query string.
	"urlquery": func(args ...any) string { return url.QueryEscape(fmt.Sprint(args...)) },
}

// generic sets g up for any HTTP gateway. The body template is tried on
// a sample at once, so that a mistake fails at start-up and not on the
// first message of a crisis.
func (g *Gateway) generic(cfg Config) error {
	if err := checkURL(cfg.URL); err != nil {
		return err
	}
	src := cfg.Body
	if strings.TrimSpace(src) == "" {
		src = defaultBody
	}
	tmpl, err := template.New("sms body").Funcs(bodyFuncs).Parse(src)
	if err != nil {
		return fmt.Errorf("sms body: %w", err)
	}
	// The sample text holds what breaks an unquoted field.
	sample := BodyData{To: "+85291234567", From: cfg.From, Text: "Signal \"8\" & rain = stay in\n請留在室內 😀",
		Reference: "sample-reference", Encoding: UCS2, Segments: 1}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, sample); err != nil {
		return fmt.Errorf("sms body: %w", err)
	}
	ctype := cfg.ContentType
	if ctype == "" {
		ctype = sniffType(out.Bytes())
	}
	media, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("sms content type: %q is not a media type", ctype)
	}
	if isJSON(media) && !json.Valid(out.Bytes()) {
		return fmt.Errorf("sms body: does not render valid JSON for %s; quote each field with json, e.g. {{json .Text}}", media)
	}
	g.addSecrets(cfg.Auth)
	g.build = func(ctx context.Context, m channel.Message) (*http.Request, error) {
		seg := Count(m.SMS)
		var body bytes.Buffer
		err := tmpl.Execute(&body, BodyData{To: m.To, From: cfg.From, Text: m.SMS, Reference: m.Key,
			Encoding: seg.Encoding, Segments: seg.Segments})
		if err != nil {
			return nil, fmt.Errorf("sms body: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, &body)
		if err != nil {
			return nil, fmt.Errorf("sms request: %w", err)
		}
		req.Header.Set("Content-Type", ctype)
		if cfg.Auth != "" {
			req.Header.Set("Authorization", cfg.Auth)
		}
		if m.Key != "" {
			// Gateways that know the header drop a repeat after a crash.
			req.Header.Set("Idempotency-Key", m.Key)
		}
		return req, nil
	}
	return nil
}

// sniffType guesses the media type of a rendered body.
func sniffType(body []byte) string {
	b := bytes.TrimSpace(body)
	switch {
	case bytes.HasPrefix(b, []byte("{")) || bytes.HasPrefix(b, []byte("[")):
		return "application/json"
	case bytes.HasPrefix(b, []byte("<")):
		return "application/xml"
	case bytes.Contains(b, []byte("=")) && !bytes.ContainsAny(b, " \n"):
		return "application/x-www-form-urlencoded"
	default:
		return "text/plain; charset=utf-8"
	}
}

// isJSON reports whether a media type is JSON (application/json or a
// +json type).
func isJSON(media string) bool {
	return media == "application/json" || strings.HasSuffix(media, "+json")
}
