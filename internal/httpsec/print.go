package httpsec

import (
	"fmt"
	"strings"
)

// PrintLinks is the print rule that writes each link to the site's own
// paths inside scope after its text as an absolute URL, base and path:
// paper has no relative links. The style sheets of both surfaces end with
// it, made at start from the configured base URL.
func PrintLinks(scope, base string) string {
	return "\n@media print { " + scope + ` a[href^="/"]::after { content: " (" ` + cssString(base) + ` attr(href) ")"; } }` + "\n"
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString("\\" + string(r))
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
