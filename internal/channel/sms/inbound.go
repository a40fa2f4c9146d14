package sms

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode"
)

// maxInbound bounds the body of a forwarded reply; an SMS is far smaller.
const maxInbound = 64 << 10

// ParseInbound reads a reply the gateway forwards: for Twilio the form
// fields From and Body; for the generic format a JSON object
// {"from":…,"text":…} or the form fields from and text (an empty format
// is taken as generic). The sender is
// returned as given, trimmed; a request without one is an error.
func ParseInbound(r *http.Request, format string) (from, text string, err error) {
	if r.Body == nil {
		return "", "", errors.New("inbound sms: no body")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxInbound)
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case format == Twilio:
		from, text, err = formFields(r, "From", "Body")
	case format != Generic && format != "":
		return "", "", fmt.Errorf("inbound sms: format %q is neither generic nor twilio", format)
	case media == "application/x-www-form-urlencoded" || media == "multipart/form-data":
		from, text, err = formFields(r, "from", "text")
	default:
		// JSON, whatever the gateway calls it.
		var in struct {
			From string `json:"from"`
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			return "", "", fmt.Errorf("inbound sms: neither form fields nor a JSON object: %w", err)
		}
		from, text = in.From, in.Text
	}
	if err != nil {
		return "", "", err
	}
	from = strings.TrimSpace(from)
	if from == "" {
		return "", "", errors.New("inbound sms: no sender number")
	}
	return from, text, nil
}

// formFields reads two fields of a posted form.
func formFields(r *http.Request, fromField, textField string) (from, text string, err error) {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media == "multipart/form-data" {
		err = r.ParseMultipartForm(maxInbound)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return "", "", fmt.Errorf("inbound sms: form: %w", err)
	}
	return r.PostFormValue(fromField), r.PostFormValue(textField), nil
}

// stopWords are the replies that stop every message to a number: the
// carriers' usual English keywords and Chinese "unsubscribe" in both
// scripts.
var stopWords = map[string]bool{
	"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true, "END": true, "QUIT": true,
	"退訂": true, "退订": true, "取消訂閱": true, "取消订阅": true,
}

// IsStop reports whether a reply asks to stop all messages: one of the
// stop words alone, in any case, in half- or full-width letters, with
// spaces, punctuation and symbols around it ignored. "stop please" is not
// a stop.
func IsStop(text string) bool {
	t := strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r)
	})
	t = strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' { // full-width ASCII, as Chinese keyboards type it
			r -= '！' - '!'
		}
		return unicode.ToUpper(r)
	}, t)
	return stopWords[t]
}
