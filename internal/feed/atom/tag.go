package atom

import (
	"strings"
	"time"
)

// TagURI returns a tag: URI (RFC 4151) for use as a permanent Atom id, for
// example TagURI("crisisdesk.example.org", day, "notice/42") gives
// "tag:crisisdesk.example.org,2026-01-15:notice/42".
//
// authority is a domain name (or email address) the publisher controlled on
// date; it is lower-cased. date is only a calendar day, taken as given with
// no time-zone conversion. It is part of the id, so pass one fixed day for a
// deployment (from configuration), never the entry's own time: an id must not
// change when the entry does. specific is percent-encoded where RFC 4151
// does not allow a character, so any stable key (including non-ASCII) works.
func TagURI(authority string, date time.Time, specific string) string {
	var b strings.Builder
	b.WriteString("tag:")
	b.WriteString(strings.ToLower(strings.TrimSpace(authority)))
	b.WriteByte(',')
	b.WriteString(date.Format(time.DateOnly))
	b.WriteByte(':')
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(specific); i++ {
		c := specific[i]
		if tagSafe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}

// tagSafe reports whether c may appear unescaped in the specific part of a
// tag URI: pchar, "/" or "?" (RFC 4151 section 2.1, RFC 3986).
func tagSafe(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}
