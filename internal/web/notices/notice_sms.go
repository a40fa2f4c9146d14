package notices

import (
	"strconv"
	"strings"

	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/message"
	"crisisdesk/internal/notice"
)

// draftID stands in for the number of a notice not saved yet, in the
// link its SMS carries: seven digits, more than any office will reach.
const draftID = 1000000

// smsMessage is the SMS a subscriber reading lang gets of notice n, made
// by the renderer the sender uses (message.Renderer.SMS, sms.Compose):
// the exercise mark, the kind, the headline, the instruction, the link
// and the STOP line, shortened as the sender shortens it.
func (h *Room) smsMessage(n notice.Notice, lang string) (string, sms.Segments) {
	id := n.ID
	if id == 0 {
		id = draftID
	}
	base := strings.TrimRight(h.BaseURL, "/")
	page := base + "/notices/" + strconv.FormatInt(id, 10)
	text := h.Messages.SMS(n, lang, message.Links{Notice: page, CAP: page + "/cap.xml",
		Unsubscribe: base + "/unsubscribe/" + delivery.UnsubscribeMark})
	return text, sms.Count(text)
}
