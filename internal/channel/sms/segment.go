package sms

import "unicode/utf16"

// The encodings a text is sent in.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

// Segments is how a text is split for SMS.
type Segments struct {
	Encoding   string // "GSM-7" or "UCS-2"
	Units      int    // septets (GSM-7, extension chars count 2) or UTF-16 code units (UCS-2)
	Segments   int    // number of SMS parts (0 for empty text)
	PerSegment int    // capacity of each part: 160/153 (GSM-7) or 70/67 (UCS-2)
	Remaining  int    // units left in the last part before another part is needed
}

// Part sizes. A concatenated part loses room to the user data header
// that tells the phone how to join the parts.
const (
	gsmSingle, gsmMulti   = 160, 153
	ucs2Single, ucs2Multi = 70, 67
)

// gsmBasic is the GSM 03.38 default alphabet in code order, 32 to a line;
// position 0x1B is the escape to the extension table and is not a
// character of its own.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ" +
	" !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
	"¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension holds the characters of the extension table: each is sent
// as the escape septet and one more.
const gsmExtension = "\f^{}\\[~]|€"

// gsmSeptets maps a character of the GSM alphabet to the septets it takes.
var gsmSeptets = func() map[rune]int {
	m := make(map[rune]int, 138)
	for _, r := range gsmBasic {
		if r != '\x1b' {
			m[r] = 1
		}
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Count splits text the way a phone network does. A text wholly in the
// GSM 7-bit alphabet takes 160 septets in one part or 153 per part when
// concatenated, and an escape pair is never split across parts. Any other
// character makes the whole text UCS-2: 70 UTF-16 units in one part, 67
// per part when concatenated, and a surrogate pair (an emoji) is never
// split. Because a character that does not fit moves whole to the next
// part, a part may be sent one unit short.
func Count(text string) Segments {
	gsm := true
	for _, r := range text {
		if gsmSeptets[r] == 0 {
			gsm = false
			break
		}
	}
	s := Segments{Encoding: GSM7}
	single, multi, width := gsmSingle, gsmMulti, func(r rune) int { return gsmSeptets[r] }
	if !gsm {
		s.Encoding, single, multi = UCS2, ucs2Single, ucs2Multi
		width = func(r rune) int {
			if n := utf16.RuneLen(r); n > 0 {
				return n
			}
			return 1 // invalid UTF-8 decodes to U+FFFD, one unit
		}
	}
	for _, r := range text {
		s.Units += width(r)
	}
	switch {
	case s.Units == 0:
		s.PerSegment, s.Remaining = single, single
		return s
	case s.Units <= single:
		s.Segments, s.PerSegment, s.Remaining = 1, single, single-s.Units
		return s
	}
	// Fill parts of multi units, moving a character that does not fit
	// whole to the next part.
	s.Segments, s.PerSegment = 1, multi
	used := 0
	for _, r := range text {
		w := width(r)
		if used+w > multi {
			s.Segments++
			used = 0
		}
		used += w
	}
	s.Remaining = multi - used
	return s
}
