package message

import (
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/channel/sms"
)

// MaxSMSSegments is how many segments a notice SMS may take: two, that is
// 134 UCS-2 units or 306 GSM-7 septets.
const MaxSMSSegments = 2

// sms is the SMS text of v: the exercise mark, the kind, the headline, the
// instruction, a short mark on text converted from the other Chinese
// script, the link to the public page and, for a subscriber, how to stop
// (reply STOP). When that takes more than MaxSMSSegments the
// instruction is shortened, then dropped and the headline shortened, each
// with an ellipsis; the marks, the link and the STOP line are never cut. When even that cannot fit, nothing is cut.
func (r *Renderer) sms(v view) string {
	lead := v.Mark
	if v.Kind != "" {
		lead += v.Kind + v.L.Colon
	}
	instruction := oneLine(v.Instruction)
	stop := "" // a subscriber's way out, like an e-mail's unsubscribe link
	if v.Unsubscribe != "" {
		stop = v.L.Stop
	}
	build := func(headline, instruction string) string {
		return joinNonEmpty(lead+headline, instruction, v.ConvertedShort, v.Notice, stop)
	}
	full := build(v.Headline, instruction)
	if fits(full) {
		return full
	}
	if s, ok := shorten(instruction, func(i string) string { return build(v.Headline, i) }); ok {
		return s
	}
	if s, ok := shorten(v.Headline, func(h string) string { return build(h, "") }); ok {
		return s
	}
	return full
}

func fits(s string) bool { return sms.Count(s).Segments <= MaxSMSSegments }

// shorten finds the longest cut of text, ending in an ellipsis, for which
// compose(cut) fits, trying "…" and "..." (an ellipsis outside GSM-7
// would turn a Latin message into UCS-2 and halve its room) and keeping
// the one that leaves more text. ok is false when no cut with some text
// left fits.
func shorten(text string, compose func(string) string) (string, bool) {
	runes := []rune(text)
	best, bestKept := "", 0
	for _, ellipsis := range []string{"…", "..."} {
		cut := func(k int) string { return strings.TrimRight(string(runes[:k]), " ") + ellipsis }
		// The longest k in [1, len) with compose(cut(k)) fitting: fitting
		// only gets harder as k grows.
		lo, hi := 0, len(runes) // fits(lo) holds for lo > 0, fails at hi
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if fits(compose(cut(mid))) {
				lo = mid
			} else {
				hi = mid
			}
		}
		if lo > bestKept {
			best, bestKept = compose(cut(lo)), lo
		}
	}
	return best, bestKept > 0
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

func joinNonEmpty(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
