package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"crisisdesk/internal/channel"
)

// twilioAPI is Twilio's API base, where Config.URL is empty.
const twilioAPI = "https://api.twilio.com"

// twilio sets g up for Twilio's Messages resource: a form POST to
// /2010-04-01/Accounts/{SID}/Messages.json with Basic authentication.
func (g *Gateway) twilio(cfg Config) error {
	base := cfg.URL
	if base == "" {
		base = twilioAPI
	}
	if err := checkURL(base); err != nil {
		return err
	}
	sid, token, ok := strings.Cut(cfg.Auth, ":")
	sid, token = strings.TrimSpace(sid), strings.TrimSpace(token)
	if !ok || sid == "" || token == "" {
		return errors.New("sms auth: twilio needs ACCOUNTSID:AUTHTOKEN")
	}
	if strings.ContainsAny(sid, "/?#") {
		return errors.New("sms auth: the twilio account SID must be letters and digits")
	}
	if cfg.From == "" {
		return errors.New("sms from: twilio needs a sender number, sender ID or messaging service SID")
	}
	if cfg.Body != "" {
		return errors.New("sms body: only the generic format takes a body template")
	}
	g.addSecrets(cfg.Auth)
	g.addSecrets(token)
	endpoint := strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" + url.PathEscape(sid) + "/Messages.json"
	// A messaging service picks the sender itself; anything else is the
	// sender.
	fromField := "From"
	if strings.HasPrefix(cfg.From, "MG") && len(cfg.From) == 34 {
		fromField = "MessagingServiceSid"
	}
	g.build = func(ctx context.Context, m channel.Message) (*http.Request, error) {
		form := url.Values{"To": {m.To}, fromField: {cfg.From}, "Body": {m.SMS}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, fmt.Errorf("sms request: %w", err)
		}
		req.SetBasicAuth(sid, token)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	}
	return nil
}
