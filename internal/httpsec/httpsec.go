// Package httpsec holds the security headers of every HTML page crisisdesk
// serves, staff and public alike, so that the two surfaces and the public
// fast path send the same policy; and the few other rules both surfaces
// apply alike to what they send (gzip negotiation, absolute links in
// print).
//
// The Content-Security-Policy allows no inline script, no inline style and
// nothing from another origin: scripts and style sheets are the static
// files of the site, forms post to the site, and no page may be framed.
// Templates therefore carry no <script> body, no on* attribute and no
// style attribute; the staff UI configures htmx not to inject its
// indicator style and not to evaluate code (the htmx-config meta tag).
package httpsec

import "net/http"

// ContentSecurityPolicy is the policy of every HTML page.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// FrameOptions is X-Frame-Options for browsers that predate frame-ancestors.
const FrameOptions = "DENY"

// SetPage sets the policy and X-Frame-Options on h, keeping a
// Content-Security-Policy the handler already chose (an attachment with
// its own, for instance).
func SetPage(h http.Header) {
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
	}
	h.Set("X-Frame-Options", FrameOptions)
}
