package message

import (
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/notice"
)

// MaxSMSSegments is how many segments a notice SMS may take (sms.MaxSegments).
const MaxSMSSegments = sms.MaxSegments

// SMS is the text of the SMS of n for a recipient who reads lang: what
// Render's SMS part holds, for a count of what will be sent (the editor,
// the publish confirmation). l.Unsubscribe set means a subscriber, who
// is told how to stop.
func (r *Renderer) SMS(n notice.Notice, lang string, l Links) string {
	return r.sms(r.view(n, Pick(n, lang), lang, l))
}

// sms is the SMS text of v (sms.Compose): the exercise mark, the kind, the
// headline, the instruction, the link to the public page and, for a
// subscriber, how to stop (reply STOP).
func (r *Renderer) sms(v view) string {
	lead := v.Mark
	if v.Kind != "" {
		lead += v.Kind + v.L.Colon
	}
	stop := "" // a subscriber's way out, like an e-mail's unsubscribe link
	if v.Unsubscribe != "" {
		stop = v.L.Stop
	}
	return sms.Compose(sms.Text{Lead: lead, Headline: v.Headline, Instruction: oneLine(v.Instruction), Link: v.Notice, From: v.From, Stop: stop})
}

// oneLine joins the lines of ps with spaces, or with nothing after a
// full-width stop or comma, as Chinese text runs on.
func oneLine(ps []paragraph) string {
	var b strings.Builder
	for _, p := range ps {
		for _, line := range p {
			if b.Len() > 0 {
				if last, _ := utf8.DecodeLastRuneInString(b.String()); !strings.ContainsRune(fullWidthStops, last) {
					b.WriteByte(' ')
				}
			}
			b.WriteString(strings.TrimSpace(line))
		}
	}
	return b.String()
}

// fullWidthStops end a clause in Chinese text; no space follows them.
const fullWidthStops = "。！？；：，、）」』"
