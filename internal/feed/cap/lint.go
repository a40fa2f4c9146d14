package cap

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"crisisdesk/internal/fault"
)

// MaxHeadline is the headline length RULES.md R22 recommends, in characters.
const MaxHeadline = 160

var markupRE = regexp.MustCompile(`<[A-Za-z/!][^>]*>|&[A-Za-z]+;|&#[0-9]+;|&#x[0-9A-Fa-f]+;`)

// Lint reports the SHOULD-level advice of RULES.md section C (R22–R29) and
// the future-reference warning of R05. These are not errors: real agencies
// break them (long headlines, effective before sent), so Parse accepts such
// messages and Marshal writes them. Editors can show the list as warnings.
// It returns nil when there is nothing to say.
func Lint(a Alert) fault.Fields {
	var w fault.Fields
	if refs, err := ParseReferences(a.References); err == nil {
		for i, r := range refs {
			if t, err := ParseTime(r.Sent); err == nil && !a.Sent.IsZero() && t.After(a.Sent) {
				w.Add(fmt.Sprintf("references[%d]", i), "references a message sent after this one (R05)")
			}
		}
	}
	for i, in := range a.Info {
		p := fmt.Sprintf("info[%d]", i)
		if n := utf8.RuneCountInString(in.Headline); n > MaxHeadline {
			w.Add(p+".headline", "has %d characters; keep it to %d (R22)", n, MaxHeadline)
		}
		for _, f := range []struct{ name, s string }{{"event", in.Event}, {"headline", in.Headline},
			{"description", in.Description}, {"instruction", in.Instruction}, {"contact", in.Contact}} {
			if markupRE.MatchString(f.s) {
				w.Add(p+"."+f.name, "contains HTML markup or an entity; CAP text is plain text (R23)")
			}
		}
		for j, ar := range in.Area {
			if len(ar.Geocode) > 0 && len(ar.Polygon) == 0 && len(ar.Circle) == 0 {
				w.Add(fmt.Sprintf("%s.area[%d]", p, j), "has geocodes only; add a polygon or circle (R24)")
			}
		}
		if i > 0 {
			f := a.Info[0]
			if in.Urgency != f.Urgency || in.Severity != f.Severity || in.Certainty != f.Certainty ||
				!in.Effective.Equal(f.Effective) || !in.Onset.Equal(f.Onset) || !in.Expires.Equal(f.Expires) {
				w.Add(p, "coded fields (urgency, severity, certainty, times) differ from info[0] (R25)")
			}
		}
		if in.Expires.IsZero() {
			w.Add(p+".expires", "is missing; receivers will choose their own expiry (R26)")
		}
		if !in.Effective.IsZero() && !a.Sent.IsZero() && in.Effective.Before(a.Sent) {
			w.Add(p+".effective", "is before sent (R27)")
		}
		for j, r := range in.Resource {
			if r.URI != "" && r.DerefURI == "" && r.Size == 0 {
				w.Add(fmt.Sprintf("%s.resource[%d].size", p, j), "is missing for a linked resource (R29)")
			}
		}
	}
	return w
}
