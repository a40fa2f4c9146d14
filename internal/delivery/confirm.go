package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/subscriber"
)

// SendConfirmation sends a pending subscriber the link (e-mail, webhook)
// or code (SMS) that confirms the subscription, in their language.
func (e *Engine) SendConfirmation(ctx context.Context, cat *i18n.Catalog, s subscriber.Subscriber, secret string) error {
	sender, ok := e.senders[s.Channel]
	if !ok {
		return channel.Permanentf("the %s channel is not configured", s.Channel)
	}
	tr := cat.For(s.Language)
	base := strings.TrimRight(e.o.BaseURL, "/")
	link := base + "/subscribe/confirm?token=" + url.QueryEscape(secret)
	m := channel.Message{
		Key: fmt.Sprintf("confirm_%d_%d", s.ID, time.Now().Unix()), To: s.Address, Language: s.Language,
		Secret: s.Secret, Guard: s.Guarded(), Timestamp: time.Now(),
	}
	switch s.Channel {
	case channel.SMS:
		m.SMS = tr.T("delivery.confirm_sms", "Code", secret)
	case channel.Webhook:
		m.Event = "subscription.confirm"
		body, err := json.Marshal(map[string]any{
			"type": "subscription.confirm", "timestamp": time.Now().UTC().Format(time.RFC3339),
			"data": map[string]string{"confirm_url": link, "subscription_id": fmt.Sprint(s.ID)},
		})
		if err != nil {
			return err
		}
		m.JSON = body
	default:
		m.Subject = tr.T("delivery.confirm_subject")
		m.Text = tr.T("delivery.confirm_text", "Link", link)
		m.HTML = "<p>" + htmlEscape(tr.T("delivery.confirm_intro")) + "</p><p><a href=\"" + htmlEscape(link) + "\">" +
			htmlEscape(tr.T("delivery.confirm_button")) + "</a></p><p>" + htmlEscape(tr.T("delivery.confirm_ignore")) + "</p>"
	}
	return sender.Send(ctx, m)
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
