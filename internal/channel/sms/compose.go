package sms

import "strings"

// MaxSegments is how many segments a notice SMS may take: two, that is
// 134 UCS-2 units or 306 GSM-7 septets.
const MaxSegments = 2

// Text is what a notice SMS says, in the order it says it. The lead (the
// exercise mark and the kind of notice), the link, the sign-off and the
// STOP line are never cut; the instruction and then the headline are.
type Text struct {
	Lead        string // the exercise mark and the kind, ending in its colon
	Headline    string
	Instruction string // one line
	Link        string // the notice's public page
	From        string // the sign-off: the institution's name
	Stop        string // how a subscriber stops; "" for staff
}

// Compose is the one writer of a notice SMS: the message the gateway
// sends and the one the editor counts are both made here. It joins t
// with spaces; when that takes more than MaxSegments it shortens the
// instruction, then drops it and shortens the headline, each with an
// ellipsis. When even that cannot fit, nothing is cut.
func Compose(t Text) string {
	build := func(headline, instruction string) string {
		return joinNonEmpty(t.Lead+headline, instruction, t.Link, t.From, t.Stop)
	}
	full := build(t.Headline, t.Instruction)
	if fits(full) {
		return full
	}
	if s, ok := shorten(t.Instruction, func(i string) string { return build(t.Headline, i) }); ok {
		return s
	}
	if s, ok := shorten(t.Headline, func(h string) string { return build(h, "") }); ok {
		return s
	}
	return full
}

func fits(s string) bool { return Count(s).Segments <= MaxSegments }

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
