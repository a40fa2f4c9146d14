package cap

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// MaxHeadline is the headline length RULES.md R22 recommends, in characters.
const MaxHeadline = 160

var markupRE = regexp.MustCompile(`<[A-Za-z/!][^>]*>|&[A-Za-z]+;|&#[0-9]+;|&#x[0-9A-Fa-f]+;`)

// Warning is one piece of SHOULD-level advice about an alert: the element
// it is about, the rule it comes from and the values its message needs.
// It carries no sentence: a surface words it in the reader's language
// from Rule (a message key such as "cap.lint.R22") and Args.
type Warning struct {
	// Field is the element, as "info[0].headline" or "references[1]".
	Field string
	// Info is the index of the <info> the warning is about, or -1.
	Info int
	// Element is the last part of Field without an index ("headline",
	// "area", "size"), or "" for a whole <info> or the alert.
	Element string
	// Rule is the rule's number in RULES.md: R05, R22, R23, R24, R25,
	// R26, R27 or R29.
	Rule string
	// Args are name–value pairs for the rule's message (R22: "Count",
	// "Max").
	Args []any
}

// Lint reports the SHOULD-level advice of RULES.md section C (R22–R29) and
// the future-reference warning of R05. These are not errors: real agencies
// break them (long headlines, effective before sent), so Parse accepts such
// messages and Marshal writes them. Editors show the list as warnings.
// It returns nil when there is nothing to say.
func Lint(a Alert) []Warning {
	var w []Warning
	add := func(info int, field, element, rule string, args ...any) {
		w = append(w, Warning{Field: field, Info: info, Element: element, Rule: rule, Args: args})
	}
	if refs, err := ParseReferences(a.References); err == nil {
		for i, r := range refs {
			if t, err := ParseTime(r.Sent); err == nil && !a.Sent.IsZero() && t.After(a.Sent) {
				add(-1, fmt.Sprintf("references[%d]", i), "references", "R05")
			}
		}
	}
	for i, in := range a.Info {
		p := fmt.Sprintf("info[%d]", i)
		if n := utf8.RuneCountInString(in.Headline); n > MaxHeadline {
			add(i, p+".headline", "headline", "R22", "Count", n, "Max", MaxHeadline)
		}
		for _, f := range []struct{ name, s string }{{"event", in.Event}, {"headline", in.Headline},
			{"description", in.Description}, {"instruction", in.Instruction}, {"contact", in.Contact}} {
			if markupRE.MatchString(f.s) {
				add(i, p+"."+f.name, f.name, "R23")
			}
		}
		for j, ar := range in.Area {
			if len(ar.Geocode) > 0 && len(ar.Polygon) == 0 && len(ar.Circle) == 0 {
				add(i, fmt.Sprintf("%s.area[%d]", p, j), "area", "R24")
			}
		}
		if i > 0 {
			f := a.Info[0]
			if in.Urgency != f.Urgency || in.Severity != f.Severity || in.Certainty != f.Certainty ||
				!in.Effective.Equal(f.Effective) || !in.Onset.Equal(f.Onset) || !in.Expires.Equal(f.Expires) {
				add(i, p, "", "R25")
			}
		}
		if in.Expires.IsZero() {
			add(i, p+".expires", "expires", "R26")
		}
		if !in.Effective.IsZero() && !a.Sent.IsZero() && in.Effective.Before(a.Sent) {
			add(i, p+".effective", "effective", "R27")
		}
		for j, r := range in.Resource {
			if r.URI != "" && r.DerefURI == "" && r.Size == 0 {
				add(i, fmt.Sprintf("%s.resource[%d].size", p, j), "size", "R29")
			}
		}
	}
	return w
}
