package delivery

import (
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
)

// Messages renders with the message package: the notice's public page and
// CAP document under Base.
type Messages struct {
	Renderer *message.Renderer
	Base     string
	// Chinese, when set, gives a recipient who reads zh-Hans (zh-Hant) a
	// notice written only in the other script converted at send time.
	Chinese *hanzi.Converter
}

var _ Renderer = Messages{}

// links are the pages a message of n may point to, which must exist for
// its readers: a public notice's public page and CAP document; an internal
// notice's staff page (under /desk), for staff only and never with an
// unsubscribe link; none for a media notice, which has no public page and
// whose readers are not staff.
func (m Messages) links(n notice.Notice, unsubscribe string) message.Links {
	base, id := strings.TrimRight(m.Base, "/"), strconv.FormatInt(n.ID, 10)
	switch n.Audience {
	case notice.Public:
		page := base + "/notices/" + id
		return message.Links{Notice: page, CAP: page + "/cap.xml", Unsubscribe: unsubscribe}
	case notice.Internal:
		return message.Links{Notice: base + "/desk/notices/" + id}
	}
	return message.Links{}
}

// Content renders n in lang.
func (m Messages) Content(n notice.Notice, lang, unsubscribeURL string) Content {
	n = m.inScript(n, lang)
	p := m.Renderer.Render(n, lang, m.links(n, unsubscribeURL))
	return Content{Subject: p.Subject, Text: p.Text, HTML: p.HTML, SMS: p.SMS}
}

// Webhook encodes n once for many recipients. Its links are the public
// ones (message.WebLinks): none for a notice that is not public.
func (m Messages) Webhook(n notice.Notice) (string, func(string) []byte, error) {
	l := message.Links{}
	if n.Audience == notice.Public {
		l = m.links(n, "")
	}
	p, err := m.Renderer.Prepare(n, l)
	if err != nil {
		return "", nil, err
	}
	return p.Type, p.Body, nil
}

// otherScript pairs the two written forms of Chinese.
var otherScript = map[string]string{"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}

// inScript returns n with a version in lang converted from the other
// Chinese script when n lacks lang and has the other; otherwise n as it
// is. A failed conversion leaves n as written: the recipient still gets
// the notice, in its first language.
func (m Messages) inScript(n notice.Notice, lang string) notice.Notice {
	other, ok := otherScript[lang]
	if m.Chinese == nil || !ok || n.Content(lang) != nil {
		return n
	}
	src := n.Content(other)
	if src == nil {
		return n
	}
	c, err := m.Chinese.Content(*src, lang)
	if err != nil {
		return n
	}
	n.Contents = append(slices.Clone(n.Contents), c)
	return n
}
