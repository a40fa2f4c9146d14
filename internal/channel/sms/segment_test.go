package sms

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCount(t *testing.T) {
	t.Parallel()
	a := func(n int) string { return strings.Repeat("a", n) }
	zh := func(n int) string { return strings.Repeat("颱", n) }
	gsm := func(units, segs, per, left int) Segments {
		return Segments{Encoding: GSM7, Units: units, Segments: segs, PerSegment: per, Remaining: left}
	}
	ucs := func(units, segs, per, left int) Segments {
		return Segments{Encoding: UCS2, Units: units, Segments: segs, PerSegment: per, Remaining: left}
	}
	tests := []struct {
		name, text string
		want       Segments
	}{
		{"empty", "", gsm(0, 0, 160, 160)},
		{"one letter", "a", gsm(1, 1, 160, 159)},
		{"every basic character is GSM", strings.ReplaceAll(gsmBasic, "\x1b", ""), gsm(127, 1, 160, 33)},
		{"newline and CR count one", "a\r\nb", gsm(4, 1, 160, 156)},

		// 160/161: the single part, then two parts of 153.
		{"160 GSM", a(160), gsm(160, 1, 160, 0)},
		{"161 GSM", a(161), gsm(161, 2, 153, 145)},
		{"306 GSM fills two parts", a(306), gsm(306, 2, 153, 0)},
		{"307 GSM", a(307), gsm(307, 3, 153, 152)},

		// Extension characters take two septets.
		{"every extension character", gsmExtension, gsm(20, 1, 160, 140)},
		{"euro ends exactly at 160", a(158) + "€", gsm(160, 1, 160, 0)},
		{"euro crosses 160", a(159) + "€", gsm(161, 2, 153, 145)},
		{"form feed counts two", a(159) + "\f", gsm(161, 2, 153, 145)},
		// 152 septets, then "{" would need 153 and 154: the pair moves to
		// part two with the 10 letters after it: 12 used, 141 left.
		{"escape pair not split", a(152) + "{" + a(10), gsm(164, 2, 153, 141)},
		// 151 + 2 fills part one exactly; nothing moves.
		{"escape pair ends part one", a(151) + "[" + a(10), gsm(163, 2, 153, 143)},
		{"escape pair starts part two", a(153) + "]" + a(10), gsm(165, 2, 153, 141)},

		// 70/71 and 134/135 Chinese characters.
		{"70 Chinese", zh(70), ucs(70, 1, 70, 0)},
		{"71 Chinese", zh(71), ucs(71, 2, 67, 63)},
		{"134 Chinese", zh(134), ucs(134, 2, 67, 0)},
		{"135 Chinese", zh(135), ucs(135, 3, 67, 66)},
		{"one Chinese character makes it all UCS-2", a(69) + "颱", ucs(70, 1, 70, 0)},
		{"one letter outside GSM makes it all UCS-2", a(70) + "ł", ucs(71, 2, 67, 63)},
		{"lower-case c cedilla is not GSM", "ç", ucs(1, 1, 70, 69)},
		// In UCS-2 an extension character is one unit, like any other.
		{"euro in UCS-2 counts one", "颱€", ucs(2, 1, 70, 68)},

		// Emoji are outside the BMP: a surrogate pair, two units.
		{"one emoji", "😀", ucs(2, 1, 70, 68)},
		{"emoji ends exactly at 70", zh(68) + "😀", ucs(70, 1, 70, 0)},
		{"emoji crosses 70", zh(69) + "😀", ucs(71, 2, 67, 63)},
		// 66 units, then the pair would need 67 and 68: it moves on.
		{"emoji not split", zh(66) + "😀" + zh(5), ucs(73, 2, 67, 60)},
		{"emoji ends part one", zh(65) + "😀" + zh(5), ucs(72, 2, 67, 62)},
		// Part one 66 (the emoji moves on); part two the emoji and 65
		// characters (67); part three the last character and the emoji (3).
		{"emoji at every edge", strings.Repeat(zh(66)+"😀", 2), ucs(136, 3, 67, 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Count(tt.text); got != tt.want {
				t.Errorf("Count(%d characters) = %+v, want %+v", utf8.RuneCountInString(tt.text), got, tt.want)
			}
		})
	}
}

// TestGSMTables checks the alphabet against landmarks of GSM 03.38: 128
// distinct code points with the escape at 0x1B, and ten extension
// characters.
func TestGSMTables(t *testing.T) {
	t.Parallel()
	basic := []rune(gsmBasic)
	if len(basic) != 128 {
		t.Fatalf("basic table has %d characters, want 128", len(basic))
	}
	for code, want := range map[int]rune{0x00: '@', 0x0A: '\n', 0x1B: '\x1b', 0x20: ' ', 0x24: '¤', 0x40: '¡', 0x41: 'A', 0x5F: '§', 0x60: '¿', 0x7F: 'à'} {
		if basic[code] != want {
			t.Errorf("code 0x%02X is %q, want %q", code, basic[code], want)
		}
	}
	seen := map[rune]bool{}
	for _, r := range gsmBasic + gsmExtension {
		if seen[r] {
			t.Errorf("%q is in the tables twice", r)
		}
		seen[r] = true
	}
	if n := len([]rune(gsmExtension)); n != 10 {
		t.Errorf("extension table has %d characters, want 10", n)
	}
}

func BenchmarkCount(b *testing.B) {
	for name, text := range map[string]string{
		"GSM-7": strings.Repeat("Typhoon signal 8 [T8]. ", 20),
		"UCS-2": strings.Repeat("請留在室內，遠離窗戶。", 20),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Count(text)
			}
		})
	}
}
