package message

import (
	"strings"
	"testing"

	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/notice"
)

func TestRenderFallsBackToTheFirstLanguage(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	n := typhoon()
	n.Contents = n.Contents[2:] // English only
	n.Contents = append(n.Contents, notice.Content{Language: "zh-Hant", Headline: "颱風", Body: "內文"})
	for _, tt := range []struct{ name, lang, wantLang, wantHeadline string }{
		{"has it", "zh-Hant", "zh-Hant", "颱風"},
		{"has not: the first", "zh-Hans", "en", "Gale signal No. 8: all schools closed"},
		{"unknown language", "fr", "en", "Gale signal No. 8: all schools closed"},
		{"no language", "", "en", "Gale signal No. 8: all schools closed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := r.Render(n, tt.lang, typhoonLinks())
			if p.Lang != tt.wantLang || p.Subject != tt.wantHeadline {
				t.Errorf("Lang %q Subject %q, want %q %q", p.Lang, p.Subject, tt.wantLang, tt.wantHeadline)
			}
			if !strings.Contains(p.HTML, `<html lang="`+tt.wantLang+`">`) {
				t.Errorf("HTML not marked %s", tt.wantLang)
			}
			// The fixed words follow the text, not the reader.
			more := map[string]string{"en": "Full notice: ", "zh-Hant": "通告全文："}[tt.wantLang]
			if !strings.Contains(p.Text, more+"https://alerts.example.gov/notices/7\n") {
				t.Errorf("text lacks %q:\n%s", more, p.Text)
			}
		})
	}
}

func TestRenderContainsEverything(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	n := typhoon()
	p := r.Render(n, "en", typhoonLinks())
	c := n.Contents[2]
	for _, want := range []string{c.Headline, "The Observatory has issued the No. 8 Gale or Storm Signal.",
		"All schools are closed today", "Stay indoors and away from windows.", c.Contact,
		"https://alerts.example.gov/notices/7", "https://alerts.example.gov/unsubscribe?t=Zx9Qp2"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q", want)
		}
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if !strings.Contains(p.HTML, `<a href="https://alerts.example.gov/unsubscribe?t=Zx9Qp2"`) {
		t.Error("HTML lacks the unsubscribe link")
	}
	if !strings.Contains(p.SMS, c.Headline) || !strings.HasSuffix(p.SMS, " https://alerts.example.gov/notices/7 Reply STOP to unsubscribe") {
		t.Errorf("SMS %q", p.SMS)
	}
}

func TestRenderWithoutUnsubscribe(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	l := typhoonLinks()
	l.Unsubscribe = "" // staff
	for _, lang := range []string{"zh-Hant", "zh-Hans", "en"} {
		p := r.Render(typhoon(), lang, l)
		why := r.cat.For(lang).T("message.why")
		if strings.Contains(p.Text, why) || strings.Contains(p.HTML, why) || strings.Contains(p.Text, "\n-- \n") {
			t.Errorf("%s: unsubscribe line without a link", lang)
		}
	}
}

func TestExerciseIsMarkedEverywhere(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	n := typhoon()
	n.Exercise = true
	for _, tt := range []struct{ lang, mark, note string }{
		{"zh-Hant", "【演練】", "這是演練"},
		{"zh-Hans", "【演练】", "这是演练"},
		{"en", "[EXERCISE] ", "This is an exercise"},
	} {
		p := r.Render(n, tt.lang, typhoonLinks())
		if !strings.HasPrefix(p.Subject, tt.mark) {
			t.Errorf("%s subject %q", tt.lang, p.Subject)
		}
		if !strings.HasPrefix(p.Text, tt.mark) || !strings.Contains(p.Text, tt.mark+tt.note) {
			t.Errorf("%s text:\n%s", tt.lang, p.Text)
		}
		if !strings.Contains(p.HTML, "<title>"+tt.mark) || !strings.Contains(p.HTML, tt.mark+tt.note) {
			t.Errorf("%s HTML lacks the mark:\n%s", tt.lang, p.HTML)
		}
		if !strings.HasPrefix(p.SMS, tt.mark) {
			t.Errorf("%s SMS %q", tt.lang, p.SMS)
		}
	}
	n.Exercise = false
	for _, lang := range []string{"zh-Hant", "zh-Hans", "en"} {
		p := r.Render(n, lang, typhoonLinks())
		for _, part := range []string{p.Subject, p.Text, p.HTML, p.SMS} {
			if strings.Contains(part, "演練") || strings.Contains(part, "演练") || strings.Contains(part, "EXERCISE") {
				t.Errorf("%s: a real notice marked as an exercise: %q", lang, part)
			}
		}
	}
}

func TestFollowUpsSaySoAndLinkTheOriginal(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	for _, tt := range []struct {
		kind          notice.Kind
		lang, subject string
		follows       string
		event         string
	}{
		{notice.Correction, "zh-Hant", "更正：八號烈風信號：全區學校停課", "本通告更正先前的通告", EventCorrected},
		{notice.Correction, "zh-Hans", "更正：八号烈风信号：全区学校停课", "本通告更正先前的通告", EventCorrected},
		{notice.Correction, "en", "Correction: Gale signal No. 8: all schools closed", "This notice corrects an earlier notice", EventCorrected},
		{notice.Cancellation, "zh-Hant", "取消：八號烈風信號：全區學校停課", "本通告取消先前的通告", EventCancelled},
		{notice.Cancellation, "en", "Cancelled: Gale signal No. 8: all schools closed", "This notice cancels an earlier notice", EventCancelled},
		{notice.AllClear, "zh-Hans", "解除：八号烈风信号：全区学校停课", "先前通告所述的危险已经解除", EventAllClear},
		{notice.AllClear, "en", "All clear: Gale signal No. 8: all schools closed", "The danger announced in an earlier notice is over", EventAllClear},
	} {
		t.Run(string(tt.kind)+"/"+tt.lang, func(t *testing.T) {
			n := typhoon()
			n.ID, n.Kind, n.References = 9, tt.kind, 7
			if tt.kind == notice.Correction {
				n.CorrectionReason = notice.Factual
			}
			l := Links{Notice: "https://alerts.example.gov/notices/9"}
			p := r.Render(n, tt.lang, l)
			if p.Subject != tt.subject {
				t.Errorf("subject %q, want %q", p.Subject, tt.subject)
			}
			colon := r.cat.For(tt.lang).T("message.colon")
			if !strings.Contains(p.Text, tt.follows+colon+"https://alerts.example.gov/notices/7\n") {
				t.Errorf("text does not link the original:\n%s", p.Text)
			}
			if !strings.Contains(p.HTML, tt.follows) || !strings.Contains(p.HTML, `<a href="https://alerts.example.gov/notices/7"`) {
				t.Errorf("HTML does not link the original:\n%s", p.HTML)
			}
			if !strings.HasPrefix(p.SMS, tt.subject[:strings.Index(tt.subject, colon)]) {
				t.Errorf("SMS %q does not say %s", p.SMS, tt.kind)
			}
			reason := r.cat.For(tt.lang).T("message.reason.factual")
			if got := strings.Contains(p.Text, reason); got != (tt.kind == notice.Correction) {
				t.Errorf("reason shown: %v", got)
			}
			if EventType(n.Kind) != tt.event {
				t.Errorf("event %q", EventType(n.Kind))
			}
		})
	}
	// An explicit link wins over the derived one.
	n := typhoon()
	n.ID, n.Kind, n.References = 9, notice.Cancellation, 7
	p := r.Render(n, "en", Links{Notice: "https://a.example/n/9", Original: "https://a.example/n/7?lang=en"})
	if !strings.Contains(p.Text, "https://a.example/n/7?lang=en") {
		t.Errorf("explicit original not used:\n%s", p.Text)
	}
}

func TestHTMLEscapesEveryField(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	const evil = `<script>alert("x")</script>`
	n := typhoon()
	n.Kind, n.References, n.CorrectionReason = notice.Correction, 7, notice.Wording
	n.Exercise = true
	n.Contents = []notice.Content{{Language: "en", Headline: evil, Body: evil + "\n\n" + evil, Instruction: evil, Contact: evil}}
	n.CAP.Area.Description = evil
	l := Links{Notice: `https://a.example/n/9"><script>x()</script>`, Unsubscribe: `javascript:alert(1)`,
		Original: `https://a.example/n/7"onmouseover="x()`}
	p := r.Render(n, "en", l)
	if strings.Contains(strings.ToLower(p.HTML), "<script") {
		t.Errorf("HTML has a script tag:\n%s", p.HTML)
	}
	if c := strings.Count(p.HTML, "&lt;script&gt;"); c < 6 {
		t.Errorf("%d escaped script tags, want one per field:\n%s", c, p.HTML)
	}
	for _, bad := range []string{`href="javascript:`, `"onmouseover="`} {
		if strings.Contains(p.HTML, bad) {
			t.Errorf("HTML has %s:\n%s", bad, p.HTML)
		}
	}
	// Plain text is plain: the same words, unescaped.
	if !strings.Contains(p.Text, evil) || strings.Contains(p.Text, "&lt;") {
		t.Errorf("text was escaped:\n%s", p.Text)
	}
}

func TestSMSFitsTwoSegments(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	long := func(lang, unit string) notice.Notice {
		n := typhoon()
		n.Exercise = true
		c := n.Content(lang)
		c.Instruction = strings.Repeat(unit, 200)
		return n
	}
	for _, tt := range []struct {
		name, lang string
		n          notice.Notice
		ellipsis   string
	}{
		{"Chinese, long instruction", "zh-Hant", long("zh-Hant", "請留在室內。"), "…"},
		{"English, long instruction", "en", long("en", "Stay indoors. "), "..."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := r.Render(tt.n, tt.lang, typhoonLinks())
			seg := sms.Count(p.SMS)
			if seg.Segments > MaxSMSSegments {
				t.Errorf("%d segments: %q", seg.Segments, p.SMS)
			}
			c := tt.n.Content(tt.lang)
			if !strings.Contains(p.SMS, c.Headline) || !strings.Contains(p.SMS, tt.ellipsis+" https://alerts.example.gov/notices/7 ") {
				t.Errorf("SMS %q", p.SMS)
			}
			// Not cut more than needed: one more character would not fit.
			before, _, _ := strings.Cut(p.SMS, tt.ellipsis+" https://")
			kept := []rune(before[strings.Index(before, c.Headline)+len(c.Headline)+1:])
			runes := []rune(c.Instruction)
			k := len(kept) + 1
			if runes[len(kept)] == ' ' {
				k++
			}
			longer := strings.Replace(p.SMS, string(kept)+tt.ellipsis, string(runes[:k])+tt.ellipsis, 1)
			if sms.Count(longer).Segments <= MaxSMSSegments {
				t.Errorf("cut too much: %q would fit too", longer)
			}
		})
	}
	// A headline too long for two segments with the link is cut too; the
	// instruction goes first.
	n := typhoon()
	n.Contents[0].Headline = strings.Repeat("颱風", 80)
	p := r.Render(n, "zh-Hant", typhoonLinks())
	if sms.Count(p.SMS).Segments > MaxSMSSegments || strings.Contains(p.SMS, "請留在室內") ||
		!strings.Contains(p.SMS, "… https://alerts.example.gov/notices/7 ") {
		t.Errorf("SMS %q (%+v)", p.SMS, sms.Count(p.SMS))
	}
	// A short one is left whole.
	p = r.Render(typhoon(), "en", typhoonLinks())
	if p.SMS != "Gale signal No. 8: all schools closed Stay indoors and away from windows. Do not go to the waterfront or low-lying areas. https://alerts.example.gov/notices/7 Reply STOP to unsubscribe" {
		t.Errorf("SMS %q", p.SMS)
	}
}
