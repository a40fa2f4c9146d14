package web

import (
	"net/http"
	"strconv"
	"strings"
)

// Repeated rows (steps, templates, indicators…) travel as fields named
// "section[i].field". A form re-renders with one more blank row when it
// is submitted with add=section, which needs no script.

// maxRows bounds how many rows of a section a form may send.
const maxRows = 200

// rowCount returns how many rows of section the form sent: one more than
// the highest index seen.
func rowCount(r *http.Request, section string) int {
	n := 0
	prefix := section + "["
	for key := range r.PostForm {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		idx, _, ok := strings.Cut(rest, "]")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(idx)
		if err == nil && i >= 0 && i < maxRows && i+1 > n {
			n = i + 1
		}
	}
	return n
}

// rowField returns the trimmed value of section[i].field.
func rowField(r *http.Request, section string, i int, field string) string {
	return strings.TrimSpace(r.PostForm.Get(rowName(section, i, field)))
}

// rowValues returns every value of section[i].field (checkbox groups).
func rowValues(r *http.Request, section string, i int, field string) []string {
	return r.PostForm[rowName(section, i, field)]
}

func rowName(section string, i int, field string) string {
	return section + "[" + strconv.Itoa(i) + "]." + field
}

// addRow reports which section the form asked to grow, "" for none.
func addRow(r *http.Request) string { return r.PostFormValue("add") }

// splitLines splits a textarea into its non-blank lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// splitList splits "a, b c" into its items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '，' || r == '、'
	})
}
