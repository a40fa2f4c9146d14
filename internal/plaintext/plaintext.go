// Package plaintext holds the one rule for text that crisisdesk may publish:
// what a notice, a plan, a crisis or anything else that reaches the public
// site, an Atom feed, a CAP document, an e-mail or an SMS may contain.
//
// The rule is XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
// [#xE000-#xFFFD] | [#x10000-#x10FFFF]), because every published document
// is XML or is derived from the same text, narrowed by what the feeds and
// messages carry well: no carriage return (line breaks are "\n"), no DEL and
// no C1 control (U+0080–U+009F), which XML tolerates but readers, mail
// clients and SMS gateways do not. Text must be valid UTF-8.
//
// Pasted text carries line breaks in many forms: CRLF and CR from Windows
// and old Macs, a vertical tab for a word processor's soft line break, a
// form feed for a page break, NEL, and U+2028/U+2029 from some editors and
// PDFs. Normalize writes them all as "\n"; validators run Normalize first
// and then Check, which refuses what is left and names the field.
package plaintext

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/fault"
)

// ErrDisallowed matches (errors.Is) the cause of every error Check and
// Problem return, so that a surface can explain it in the reader's
// language whatever the field.
var ErrDisallowed = errors.New("plaintext: a character that cannot be published")

// CharError is that cause: the first character of the text that cannot be
// published, invalid UTF-8, or a line break in a text of one line.
type CharError struct {
	Rune      rune // the character; utf8.RuneError when the text is not UTF-8
	BadUTF8   bool
	LineBreak bool // a line break where the text is one line (CheckLine)
}

func (e *CharError) Error() string {
	switch {
	case e.BadUTF8:
		return "plaintext: not valid UTF-8"
	case e.LineBreak:
		return "plaintext: a line break in a text of one line"
	}
	return fmt.Sprintf("plaintext: character %U cannot be published", e.Rune)
}

// Is makes errors.Is(err, ErrDisallowed) true.
func (e *CharError) Is(target error) bool { return target == ErrDisallowed }

// breaks maps every pasted line break to "\n". CRLF comes first so that it
// becomes one break, not two.
var breaks = strings.NewReplacer(
	"\r\n", "\n",
	"\r", "\n",
	"\v", "\n", // vertical tab: a word processor's soft line break
	"\f", "\n", // form feed: a page break
	"\u0085", "\n", // NEL
	"\u2028", "\n", // LINE SEPARATOR
	"\u2029", "\n", // PARAGRAPH SEPARATOR
)

// Normalize returns s with every pasted line break written as "\n".
func Normalize(s string) string {
	if !strings.ContainsAny(s, "\r\v\f\u0085\u2028\u2029") {
		return s
	}
	return breaks.Replace(s)
}

// Allowed reports whether r may appear in published text.
func Allowed(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return true
	case r < 0x20 || (r >= 0x7F && r <= 0x9F): // C0 (CR too), DEL, C1
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false // surrogates, U+FFFE, U+FFFF
}

// Disallowed returns the first character of s that may not be published,
// and true; or 0 and false when s is fine. Invalid UTF-8 is reported as
// utf8.RuneError.
func Disallowed(s string) (rune, bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !Allowed(r) {
			return r, true
		}
		i += size
	}
	return 0, false
}

// Problem returns an invalid-input error (a *fault.Error) naming field when
// s holds a character that may not be published, or nil. Its cause is a
// *CharError, which matches ErrDisallowed.
func Problem(field, s string) error {
	if e := problem(field, s, false); e != nil {
		return e
	}
	return nil
}

// LineProblem is Problem for a text of one line, such as a headline, a
// title or a name: a line break is refused too. A headline becomes an
// e-mail subject, an SMS's first words and an Atom title; a pasted soft
// line break (a vertical tab, "\n" once normalised) has no place there.
func LineProblem(field, s string) error {
	if e := problem(field, s, true); e != nil {
		return e
	}
	return nil
}

func problem(field, s string, oneLine bool) *fault.Error {
	r, bad := Disallowed(s)
	if oneLine {
		if i := strings.IndexByte(s, '\n'); i >= 0 && (!bad || i < strings.IndexRune(s, r)) {
			return &fault.Error{Code: fault.Invalid, Field: field, Message: "must be one line: remove the line break",
				Err: &CharError{Rune: '\n', LineBreak: true}}
		}
	}
	if !bad {
		return nil
	}
	cause := &CharError{Rune: r, BadUTF8: r == utf8.RuneError}
	msg := fmt.Sprintf("contains the control character %U, which cannot be published: remove it", r)
	if cause.BadUTF8 {
		msg = "is not valid UTF-8 text"
	}
	return &fault.Error{Code: fault.Invalid, Field: field, Message: msg, Err: cause}
}

// Check adds Problem(field, s) to f when there is one.
func Check(f *fault.Fields, field, s string) {
	if e := problem(field, s, false); e != nil {
		*f = append(*f, e)
	}
}

// CheckLine adds LineProblem(field, s) to f when there is one.
func CheckLine(f *fault.Fields, field, s string) {
	if e := problem(field, s, true); e != nil {
		*f = append(*f, e)
	}
}

// OneLine returns s normalised with its line breaks written as spaces,
// runs of them as one, for a text of one line.
func OneLine(s string) string {
	return strings.Join(strings.FieldsFunc(Normalize(s), func(r rune) bool { return r == '\n' }), " ")
}

// Clean returns s normalised, with every character that may not be
// published removed and invalid UTF-8 dropped. It repairs stored text and
// guards the writers of public documents; input is refused instead.
func Clean(s string) string {
	s = Normalize(s)
	if _, bad := Disallowed(s); !bad {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if (r == utf8.RuneError && size == 1) || !Allowed(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
