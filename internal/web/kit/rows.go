package kit

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

// RowCount returns how many rows of section the form sent: one more than
// the highest index seen.
func RowCount(r *http.Request, section string) int {
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

// RowField returns the trimmed value of section[i].field.
func RowField(r *http.Request, section string, i int, field string) string {
	return strings.TrimSpace(r.PostForm.Get(RowName(section, i, field)))
}

// RowValues returns every value of section[i].field (checkbox groups).
func RowValues(r *http.Request, section string, i int, field string) []string {
	return r.PostForm[RowName(section, i, field)]
}

// RowName is the name of field of row i of section: "steps[2].deadline".
func RowName(section string, i int, field string) string {
	return section + "[" + strconv.Itoa(i) + "]." + field
}

// AddRow reports which section the form asked to grow, "" for none.
func AddRow(r *http.Request) string { return r.PostFormValue("add") }

// SplitLines splits a textarea into its non-blank lines.
func SplitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// SplitList splits "a, b c" into its items.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == '，' || r == '、'
	})
}
