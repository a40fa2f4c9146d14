package message

import (
	"strings"
	"testing"

	"crisisdesk/internal/channel/sms"
)

// Each e-mail and SMS ends with the institution's name in the message's
// language; the SMS keeps it whole when the text must be shortened.
func TestSignOff(t *testing.T) {
	r := newRenderer(t)
	r.SignOff = func(lang string) string {
		return map[string]string{"zh-Hant": "保安局", "en": "Security Bureau"}[lang]
	}
	long := typhoon()
	for i := range long.Contents {
		long.Contents[i].Instruction = strings.Repeat(long.Contents[i].Instruction+" ", 20)
	}
	for _, c := range []struct{ lang, name string }{{"zh-Hant", "保安局"}, {"en", "Security Bureau"}} {
		for _, n := range []struct {
			name string
			p    Parts
		}{{"typhoon", r.Render(typhoon(), c.lang, typhoonLinks())}, {"long", r.Render(long, c.lang, typhoonLinks())}} {
			p := n.p
			if !strings.Contains(p.Text, "\n"+c.name+"\n") || !strings.Contains(p.HTML, ">"+c.name+"</p>") {
				t.Errorf("%s %s: e-mail is not signed:\n%s", c.lang, n.name, p.Text)
			}
			if !strings.Contains(p.SMS, c.name) || sms.Count(p.SMS).Segments > sms.MaxSegments {
				t.Errorf("%s %s: SMS %q", c.lang, n.name, p.SMS)
			}
		}
	}
	r.SignOff = nil
	if p := r.Render(typhoon(), "en", typhoonLinks()); strings.Contains(p.SMS, "Security Bureau") {
		t.Errorf("unsigned renderer signed: %q", p.SMS)
	}
}
