package plan

import (
	"regexp"
	"strings"
)

// Placeholders are the names a template may use, filled from the crisis.
var Placeholders = []string{"title", "type", "level", "location", "area", "occurred_at", "detected_at", "summary", "contact"}

var placeholderRe = regexp.MustCompile(`\{\{\s*([a-zA-Z_]+)\s*\}\}`)

// UnknownPlaceholders returns the placeholders in s that are not known.
func UnknownPlaceholders(s string) []string {
	var bad []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		if !contains(Placeholders, m[1]) {
			bad = append(bad, m[1])
		}
	}
	return bad
}

// Fill replaces the placeholders in s with values; unknown or empty ones
// become "…" so that a human notices before publishing.
func Fill(s string, values map[string]string) string {
	return placeholderRe.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSpace(m[2 : len(m)-2])
		if v := values[name]; v != "" {
			return v
		}
		return "…"
	})
}
