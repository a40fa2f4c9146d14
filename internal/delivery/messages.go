package delivery

import (
	"strconv"
	"strings"

	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
)

// Messages renders with the message package: the notice's public page and
// CAP document under Base.
type Messages struct {
	Renderer *message.Renderer
	Base     string
}

var _ Renderer = Messages{}

func (m Messages) links(n notice.Notice, unsubscribe string) message.Links {
	page := strings.TrimRight(m.Base, "/") + "/notices/" + strconv.FormatInt(n.ID, 10)
	return message.Links{Notice: page, CAP: page + "/cap.xml", Unsubscribe: unsubscribe}
}

// Content renders n in lang.
func (m Messages) Content(n notice.Notice, lang, unsubscribeURL string) Content {
	p := m.Renderer.Render(n, lang, m.links(n, unsubscribeURL))
	return Content{Subject: p.Subject, Text: p.Text, HTML: p.HTML, SMS: p.SMS}
}

// Webhook encodes n once for many recipients.
func (m Messages) Webhook(n notice.Notice) (string, func(string) []byte, error) {
	p, err := m.Renderer.Prepare(n, m.links(n, ""))
	if err != nil {
		return "", nil, err
	}
	return p.Type, p.Body, nil
}
