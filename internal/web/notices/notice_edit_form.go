package notices

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/web/kit"
)

// noticeLanguages are the languages the editor always offers, one tab
// each; "add a language" adds more.
var noticeLanguages = []string{"zh-Hant", "zh-Hans", "en"}

// maxNoticeLanguages bounds the languages one form may carry.
const maxNoticeLanguages = 12

// noticeForm is what the editor shows and reads back. Times, circles and
// geocodes stay as typed so that a refused form shows them unchanged.
type noticeForm struct {
	// ID and Lock are the saved notice being edited and the version the
	// form was read from; both 0 for a new draft.
	ID          int64
	Lock        int64
	CrisisID    int64
	Kind        notice.Kind
	Audience    notice.Audience
	Departments []int64
	Roles       []authz.Role
	Experts     bool             // the outside experts are told too
	Contents    []notice.Content // one per language of the form, blank when omitted
	// Converted holds, per language, the text a Traditional ⇄ Simplified
	// conversion wrote; a field still equal to it is marked for review.
	Converted      map[string]notice.Content
	CAP            notice.CAPInfo
	Effective      string // datetime-local, in TZ
	Expires        string
	TZ             int    // minutes east of UTC
	Polygons       string // one per line
	Circles        string // "lat,lon radius_km", one per line
	Geocodes       string // "name=value", one per line
	TemplatePlanID int64
	Active         string // the language whose tab is open, and previewed
	NewLanguage    string // "add a language" as typed
	// Bad lists what the form itself could not read, under the domain's
	// field names or the form's own (effective, cap.area.geocodes[0] …).
	Bad fault.Fields
}

// blankNoticeForm is a new form: an alert for the public with an empty tab
// for each of noticeLanguages.
func blankNoticeForm() noticeForm {
	f := noticeForm{Kind: notice.Alert, Audience: notice.Public, Active: noticeLanguages[0]}
	for _, l := range noticeLanguages {
		f.Contents = append(f.Contents, notice.Content{Language: l})
	}
	return f
}

// readNoticeForm reads the editor's post: every language named by a "lang"
// field (and always noticeLanguages), the recipients, the CAP fields.
func readNoticeForm(r *http.Request) noticeForm {
	val := func(name string) string { return strings.TrimSpace(unixNewlines(r.PostFormValue(name))) }
	f := noticeForm{ID: kit.FormInt(r, "id"), Lock: kit.FormInt(r, "lock"), CrisisID: kit.FormInt(r, "crisis_id"), Kind: notice.Kind(val("kind")), Audience: notice.Audience(val("audience")),
		TemplatePlanID: kit.FormInt(r, "template_plan_id"), Polygons: val("polygons"), Circles: val("circles"), Geocodes: val("geocodes"),
		Effective: val("effective"), Expires: val("expires"), Active: val("active"), NewLanguage: val("new_language")}
	f.TZ, _ = strconv.Atoi(val("tz"))
	for _, l := range formLanguages(r.PostForm["lang"]) {
		c := notice.Content{Language: l, Headline: val(l + ".headline"), Body: val(l + ".body"),
			Instruction: val(l + ".instruction"), Contact: val(l + ".contact")}
		f.Contents = append(f.Contents, c)
		conv := notice.Content{Language: l, Headline: val(l + ".converted.headline"), Body: val(l + ".converted.body"),
			Instruction: val(l + ".converted.instruction"), Contact: val(l + ".converted.contact")}
		if conv != (notice.Content{Language: l}) {
			if f.Converted == nil {
				f.Converted = map[string]notice.Content{}
			}
			f.Converted[l] = conv
		}
	}
	if !slices.Contains(f.languages(), f.Active) {
		f.Active = f.Contents[0].Language
	}
	for _, s := range r.PostForm["departments"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && !slices.Contains(f.Departments, id) {
			f.Departments = append(f.Departments, id)
		}
	}
	for _, s := range r.PostForm["roles"] {
		if ro := authz.Role(s); !slices.Contains(f.Roles, ro) {
			f.Roles = append(f.Roles, ro)
		}
	}
	f.Experts = r.PostFormValue("experts") != ""
	f.CAP = notice.CAPInfo{Event: val("event"), Category: val("category"), Urgency: val("urgency"),
		Severity: val("severity"), Certainty: val("certainty"), Area: notice.Area{Description: val("area")}}
	f.CAP.Area.Polygons = nonBlankLines(f.Polygons)
	f.CAP.Area.Circles = nonBlankLines(f.Circles)
	f.readTimes()
	f.readGeocodes()
	return f
}

// unixNewlines writes line breaks as browsers do not: a bare "\n", and so
// every other break a paste can carry (plaintext.Normalize).
func unixNewlines(s string) string { return plaintext.Normalize(s) }

// formLanguages returns noticeLanguages followed by the other languages
// posted, each once in canonical form, at most maxNoticeLanguages.
func formLanguages(posted []string) []string {
	out := slices.Clone(noticeLanguages)
	for _, l := range posted {
		c, err := notice.CanonicalLanguage(l)
		if err == nil && !slices.Contains(out, c) && len(out) < maxNoticeLanguages {
			out = append(out, c)
		}
	}
	return out
}

// lines returns the non-blank lines of s, trimmed.
func nonBlankLines(s string) []string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// readTimes reads effective and expires in the form's offset from UTC.
func (f *noticeForm) readTimes() {
	if f.TZ < -12*60 || f.TZ > 14*60 {
		f.Bad.Add("effective", "bad offset %d", f.TZ)
		f.TZ = 0
	}
	read := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		if t, ok := kit.FormTime(s, f.TZ); ok {
			return t
		}
		f.Bad.Add(field, "is not a date and time")
		return time.Time{}
	}
	f.CAP.Effective = read("effective", f.Effective)
	f.CAP.Expires = read("expires", f.Expires)
}

// readGeocodes reads "name=value" lines.
func (f *noticeForm) readGeocodes() {
	for i, line := range nonBlankLines(f.Geocodes) {
		name, value, ok := strings.Cut(line, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			f.Bad.Add("cap.area.geocodes["+strconv.Itoa(i)+"]", "write name=value")
			continue
		}
		f.CAP.Area.Geocodes = append(f.CAP.Area.Geocodes, notice.Geocode{Name: name, Value: value})
	}
}

// languages lists the form's languages in tab order.
func (f noticeForm) languages() []string {
	out := make([]string, len(f.Contents))
	for i, c := range f.Contents {
		out[i] = c.Language
	}
	return out
}

// content returns the form's content in lang, blank when there is none.
func (f noticeForm) content(lang string) notice.Content {
	for _, c := range f.Contents {
		if c.Language == lang {
			return c
		}
	}
	return notice.Content{Language: lang}
}

// setContent replaces the content of its language, or adds it.
func (f *noticeForm) setContent(c notice.Content) {
	for i := range f.Contents {
		if f.Contents[i].Language == c.Language {
			f.Contents[i] = c
			return
		}
	}
	f.Contents = append(f.Contents, c)
}

// addLanguage adds the language typed in "add a language" as a new blank
// tab and opens it.
func (f *noticeForm) addLanguage() {
	l, err := notice.CanonicalLanguage(f.NewLanguage)
	switch {
	case err != nil:
		f.Bad.Add("new_language", "not a language tag")
	case slices.Contains(f.languages(), l):
		f.Bad.Add("new_language", "already in the form")
	case len(f.Contents) >= maxNoticeLanguages:
		f.Bad.Add("new_language", "too many languages")
	default:
		f.Contents = append(f.Contents, notice.Content{Language: l})
		f.Active, f.NewLanguage = l, ""
	}
}

// isBlank reports whether nothing is written in c.
func blankContent(c notice.Content) bool {
	return c.Headline == "" && c.Body == "" && c.Instruction == "" && c.Contact == ""
}

// notice is the draft the form describes: the languages written in, in
// the domain's order, and the recipients only for an internal notice.
func (f noticeForm) notice() notice.Notice {
	n := notice.Notice{CrisisID: f.CrisisID, Kind: f.Kind, Audience: f.Audience, CAP: f.CAP, TemplatePlanID: f.TemplatePlanID}
	n.CAP.Area.Polygons = slices.Clone(f.CAP.Area.Polygons)
	n.CAP.Area.Circles = slices.Clone(f.CAP.Area.Circles)
	n.CAP.Area.Geocodes = slices.Clone(f.CAP.Area.Geocodes)
	if f.Audience == notice.Internal {
		n.Departments, n.Roles, n.Experts = slices.Clone(f.Departments), slices.Clone(f.Roles), f.Experts
	}
	for _, c := range f.Contents {
		if !blankContent(c) {
			n.Contents = append(n.Contents, c)
		}
	}
	notice.Normalize(&n)
	return n
}
