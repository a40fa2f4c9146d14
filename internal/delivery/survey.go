package delivery

import (
	"context"
	"fmt"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/subscriber"
)

// SendSurveyInvitation invites a subscriber to answer a survey, by e-mail
// or SMS in their language: the survey's link and the link that stops
// further surveys. key keeps a retried send from being sent twice by a
// channel that deduplicates.
func (e *Engine) SendSurveyInvitation(ctx context.Context, cat *i18n.Catalog, s subscriber.Subscriber, key, title, link, optOut string) error {
	sender, ok := e.senders[s.Channel]
	if !ok {
		return channel.Permanentf("the %s channel is not configured", s.Channel)
	}
	tr := cat.For(s.Language)
	m := channel.Message{Key: key, To: s.Address, Language: s.Language, Secret: s.Secret, Guard: s.Guarded(), Timestamp: time.Now()}
	switch s.Channel {
	case channel.SMS:
		m.SMS = tr.T("survey.invite_sms", "Title", title, "Link", link)
	case channel.Email:
		m.Subject = tr.T("survey.invite_subject", "Title", title)
		m.Text = tr.T("survey.invite_text", "Title", title, "Link", link, "OptOut", optOut)
		m.HTML = "<p>" + htmlEscape(tr.T("survey.invite_intro", "Title", title)) + "</p><p><a href=\"" + htmlEscape(link) + "\">" +
			htmlEscape(tr.T("survey.invite_button")) + "</a></p><p>" + htmlEscape(tr.T("survey.invite_anonymous")) +
			"</p><p><a href=\"" + htmlEscape(optOut) + "\">" + htmlEscape(tr.T("survey.invite_optout")) + "</a></p>"
	default:
		return channel.Permanentf("surveys are not sent by %s", s.Channel)
	}
	if err := sender.Send(ctx, m); err != nil {
		return fmt.Errorf("survey invitation: %w", err)
	}
	return nil
}
