package cap

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// unescape undoes the character references encoding/xml writes for
// newlines, tabs and quotes: in element content (CAP has no attributes) the
// literal characters mean the same and keep the document readable. User text
// cannot produce these references, because its '&' is written &amp;. CR
// stays &#xD;, since a parser would turn a literal one into LF.
var unescape = strings.NewReplacer("&#xA;", "\n", "&#x9;", "\t", "&#34;", `"`, "&#39;", "'")

// Marshal validates a and writes it as a CAP 1.2 document: an XML
// declaration, then <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
// with its elements in schema order, indented, ending in a newline. All text
// is escaped, so markup in any field comes out as plain text. An invalid
// alert is refused with the error from Validate.
func Marshal(a Alert) ([]byte, error) {
	if err := Validate(a); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(toWire(a)); err != nil {
		return nil, fmt.Errorf("cap: marshal: %w", err)
	}
	buf.WriteByte('\n')
	return []byte(unescape.Replace(buf.String())), nil
}
