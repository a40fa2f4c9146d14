package kit

import (
	"html"
	"regexp"
	"slices"
	"strings"

	"crisisdesk/internal/i18n"
)

// Form is a page view that may carry field errors. When it does, the
// layout opens the page with an error summary (the GOV.UK Design System
// pattern): a list of the errors in the order of their fields on the
// page, each linking to its field and naming it, focused when the page
// loads, and a page title that starts with "Error:". Every staff page
// whose form can come back with errors implements it.
type Form interface {
	FormErrors() FieldErrors
}

// summaryItem is one line of the error summary; Href is "" for an error
// about the form as a whole.
type summaryItem struct {
	Href string
	ID   string
	Text string
}

// controlTag matches the start tag of a form control in rendered HTML
// (the templates' own output, whose attribute values html/template has
// escaped, so no ">" occurs inside one).
var controlTag = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)

// attrs match the attributes a summary reads from a control's tag.
var attrs = map[string]*regexp.Regexp{
	"name":             regexp.MustCompile(`\sname="([^"]*)"`),
	"type":             regexp.MustCompile(`\stype="([^"]*)"`),
	"id":               regexp.MustCompile(`\sid="([^"]*)"`),
	"aria-describedby": regexp.MustCompile(`\saria-describedby="([^"]*)"`),
}

// attr reads attribute name (one of attrs) of a start tag.
func attr(tag, name string) (string, bool) {
	m := attrs[name].FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// tagText is the text of an HTML fragment without its tags.
var tagText = regexp.MustCompile(`<[^>]*>`)

// summarize lists fe for the summary of a page whose content is body:
// each field links to the first visible control of that name (or to the
// element with the field's id), ordered as the fields stand on the page,
// and its text is led by the field's label.
func summarize(tr i18n.Translator, fe FieldErrors, body string) []summaryItem {
	type placed struct {
		at   int
		item summaryItem
	}
	var items []placed
	for name, msg := range fe {
		if msg == "" {
			continue
		}
		if name == "" {
			items = append(items, placed{at: -1, item: summaryItem{ID: "form-error", Text: msg}})
			continue
		}
		id, at := controlOf(body, name)
		if id == "" {
			items = append(items, placed{at: at, item: summaryItem{Text: msg}})
			continue
		}
		text := msg
		if label := labelOf(body, id, at); label != "" && !strings.Contains(msg, label) {
			text = tr.T("error.summary_item", "Field", label, "Message", msg)
		}
		items = append(items, placed{at: at, item: summaryItem{Href: "#" + id, Text: text}})
	}
	slices.SortFunc(items, func(a, b placed) int {
		if a.at != b.at {
			return a.at - b.at
		}
		return strings.Compare(a.item.Href+a.item.Text, b.item.Href+b.item.Text)
	})
	out := make([]summaryItem, len(items))
	for i, p := range items {
		out[i] = p.item
	}
	return out
}

// controlOf finds the id of the control that field name is typed into,
// and where it stands in body: the control that names the field's message
// (aria-describedby="NAME-error"), else the first visible control of that
// name, else the first whose name starts with it (name_en for name); at
// is len(body) and id "" when the page has none (the error then stands in
// the summary unlinked).
func controlOf(body, name string) (id string, at int) {
	tags := controlTag.FindAllStringIndex(body, -1)
	described := fieldID(name) + "-error"
	for _, match := range []func(tag string) bool{
		func(tag string) bool {
			d, _ := attr(tag, "aria-describedby")
			return slices.Contains(strings.Fields(d), described)
		},
		func(tag string) bool { n, _ := attr(tag, "name"); return n == name },
		func(tag string) bool {
			n, _ := attr(tag, "name")
			return strings.HasPrefix(n, name) && strings.ContainsAny(n[len(name):min(len(n), len(name)+1)], "_.[-")
		},
	} {
		for _, loc := range tags {
			tag := body[loc[0]:loc[1]]
			if typ, _ := attr(tag, "type"); typ == "hidden" || !match(tag) {
				continue
			}
			if id, ok := attr(tag, "id"); ok && id != "" {
				return id, loc[0]
			}
		}
	}
	return "", len(body)
}

// labelOf names the control with id at position at: the legend of its
// group when it is a checkbox or radio button in a fieldset (its own label
// names one choice), else its label; "" when it has none.
func labelOf(body, id string, at int) string {
	if tag := controlTag.FindString(body[at:]); tag != "" {
		if typ, _ := attr(tag, "type"); typ == "checkbox" || typ == "radio" {
			if legend := legendOf(body[:at]); legend != "" {
				return legend
			}
		}
	}
	i := strings.Index(body, `for="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	start := strings.IndexByte(rest, '>')
	end := strings.Index(rest, "</label>")
	if start < 0 || end < start {
		return ""
	}
	return cleanText(rest[start+1 : end])
}

// legendOf is the legend of the fieldset still open at the end of before,
// "" when none is.
func legendOf(before string) string {
	open := strings.LastIndex(before, "<fieldset")
	if open < 0 || strings.LastIndex(before, "</fieldset>") > open {
		return ""
	}
	rest := before[open:]
	start := strings.Index(rest, "<legend")
	end := strings.Index(rest, "</legend>")
	if start < 0 || end < start {
		return ""
	}
	gt := strings.IndexByte(rest[start:], '>')
	if gt < 0 || start+gt+1 > end {
		return ""
	}
	return cleanText(rest[start+gt+1 : end])
}

// cleanText is an HTML fragment's text on one line, without a trailing
// colon or asterisk.
func cleanText(fragment string) string {
	text := html.UnescapeString(tagText.ReplaceAllString(fragment, ""))
	return strings.TrimRight(strings.Join(strings.Fields(text), " "), " :：*")
}
