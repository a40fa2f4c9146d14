package notice

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Limits on the text of a notice.
const (
	MaxHeadline    = 160 // runes; fits an SMS with the level and a link
	MaxBody        = 10000
	MaxInstruction = 2000
	MaxContact     = 300
)

// Preferred lists the languages a notice is written in first, in the
// order they are shown; others follow in alphabetical order.
var Preferred = []string{"zh-Hant", "zh-Hans", "en"}

// CanonicalLanguage returns the canonical BCP 47 form of tag ("zh-hant" →
// "zh-Hant"), or an error when tag is not a valid language tag.
func CanonicalLanguage(tag string) (string, error) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil || t == language.Und {
		return "", fault.Field("language", "%q is not a BCP 47 language tag such as zh-Hant, zh-Hans or en", tag)
	}
	return t.String(), nil
}

// OfficeLanguage is the office's language (one of Preferred) that tag
// is written in, or tag in canonical form when it is none of them: a
// regional tag from outside, as an upstream CAP message carries it,
// becomes the office's. zh-TW, zh-HK and zh-MO are zh-Hant; zh-CN and
// zh-SG are zh-Hans; en-US, en-GB and every other English are en. A
// tag that is not BCP 47 is an error naming "language".
func OfficeLanguage(tag string) (string, error) {
	c, err := CanonicalLanguage(tag)
	if err != nil {
		return "", err
	}
	t := language.Make(c)
	base, _ := t.Base()
	switch base.String() {
	case "en":
		return "en", nil
	case "zh":
		// The script as written, or as the region writes it (zh-TW →
		// Hant, zh-CN → Hans); a bare "zh" says neither and stays.
		script, sc := t.Script()
		if _, rc := t.Region(); sc != language.Exact && rc != language.Exact {
			return c, nil
		}
		switch script.String() {
		case "Hant":
			return "zh-Hant", nil
		case "Hans":
			return "zh-Hans", nil
		}
	}
	return c, nil
}

// Normalize writes pasted line breaks as "\n" (plaintext.Normalize), trims
// the text, writes languages in canonical form and puts the contents in the
// preferred order. Invalid languages and characters that cannot be
// published are left for Validate to name.
func Normalize(n *Notice) {
	text := func(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }
	for i := range n.Contents {
		c := &n.Contents[i]
		if l, err := CanonicalLanguage(c.Language); err == nil {
			c.Language = l
		}
		c.Headline = text(c.Headline)
		c.Body = text(c.Body)
		c.Instruction = text(c.Instruction)
		c.Contact = text(c.Contact)
	}
	slices.SortStableFunc(n.Contents, func(a, b Content) int {
		ra, rb := langRank(a.Language), langRank(b.Language)
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Language, b.Language)
	})
	n.CAP.Event = text(n.CAP.Event)
	n.CAP.Area.Description = text(n.CAP.Area.Description)
	for i, g := range n.CAP.Area.Geocodes {
		n.CAP.Area.Geocodes[i] = Geocode{Name: text(g.Name), Value: text(g.Value)}
	}
	for i, p := range n.CAP.Area.Polygons {
		n.CAP.Area.Polygons[i] = strings.Join(strings.Fields(p), " ")
	}
	for i, c := range n.CAP.Area.Circles {
		n.CAP.Area.Circles[i] = strings.Join(strings.Fields(c), " ")
	}
}

func langRank(l string) int {
	if i := slices.Index(Preferred, l); i >= 0 {
		return i
	}
	return len(Preferred)
}

// Validate checks a notice, naming each bad field with its position, e.g.
// "contents[1].headline" or "cap.area.polygons[0]". Every text must hold
// only characters that can be published (plaintext.Check): a notice reaches
// the public site, Atom, CAP, e-mail and SMS. Public notices need the
// CAP core fields (every public notice has a CAP document); other audiences
// need them only to be valid when given.
func Validate(n Notice) error { return validate(n, n.Audience == Public) }

// ValidateDraft checks a notice being written: as Validate, except that
// the CAP core fields may still be missing (they are checked when given).
// A draft saves without them; Submit, Approve and Publish need them.
func ValidateDraft(n Notice) error { return validate(n, false) }

func validate(n Notice, capRequired bool) error {
	var f fault.Fields
	if !n.Kind.Valid() {
		f.Add("kind", "must be alert, update, correction, cancellation or all_clear")
	}
	if !n.Audience.Valid() {
		f.Add("audience", "must be public, internal or media")
	}
	if n.Audience == Internal && len(n.Departments) == 0 && len(n.Roles) == 0 && !n.Experts {
		f.Add("departments", "choose the departments, team roles or outside experts to tell")
	}
	for i, r := range n.Roles {
		if !r.Valid() {
			f.Add("roles["+strconv.Itoa(i)+"]", "%q is not a role", r)
		}
	}
	if n.Kind.FollowsUp() && n.References == 0 {
		f.Add("references", "a %s must name the notice it replaces", n.Kind)
	}
	if n.References != 0 && n.References == n.ID {
		f.Add("references", "a notice cannot reference itself")
	}
	switch {
	case n.Kind == Correction && n.CorrectionReason == "":
		f.Add("correction_reason", "say why: factual, wording or new_information")
	case n.Kind == Correction && !n.CorrectionReason.Valid():
		f.Add("correction_reason", "must be factual, wording or new_information")
	case n.Kind != Correction && n.CorrectionReason != "":
		f.Add("correction_reason", "only a correction has a reason")
	}
	validateContents(&f, n.Contents)
	validateCAP(&f, n.CAP, capRequired)
	return f.Err()
}

func validateContents(f *fault.Fields, contents []Content) {
	if len(contents) == 0 {
		f.Add("contents", "write the notice in at least one language")
		return
	}
	seen := map[string]bool{}
	for i, c := range contents {
		at := "contents[" + strconv.Itoa(i) + "]"
		l, err := CanonicalLanguage(c.Language)
		switch {
		case err != nil:
			f.Add(at+".language", "%q is not a BCP 47 language tag such as zh-Hant, zh-Hans or en", c.Language)
		case seen[l]:
			f.Add(at+".language", "%s is written twice", l)
		}
		seen[l] = true
		if strings.TrimSpace(c.Headline) == "" {
			f.Add(at+".headline", "is required")
		} else if utf8.RuneCountInString(c.Headline) > MaxHeadline {
			f.Add(at+".headline", "must be at most %d characters", MaxHeadline)
		}
		if strings.TrimSpace(c.Body) == "" {
			f.Add(at+".body", "is required")
		} else if utf8.RuneCountInString(c.Body) > MaxBody {
			f.Add(at+".body", "must be at most %d characters", MaxBody)
		}
		if utf8.RuneCountInString(c.Instruction) > MaxInstruction {
			f.Add(at+".instruction", "must be at most %d characters", MaxInstruction)
		}
		if utf8.RuneCountInString(c.Contact) > MaxContact {
			f.Add(at+".contact", "must be at most %d characters", MaxContact)
		}
		plaintext.CheckLine(f, at+".headline", c.Headline)
		plaintext.Check(f, at+".body", c.Body)
		plaintext.Check(f, at+".instruction", c.Instruction)
		plaintext.Check(f, at+".contact", c.Contact)
	}
}

func validateCAP(f *fault.Fields, c CAPInfo, required bool) {
	enum := func(field, v string, list []string) {
		switch {
		case v == "" && required:
			f.Add("cap."+field, "is required; one of %s", strings.Join(list, ", "))
		case v != "" && !in(list, v):
			f.Add("cap."+field, "must be one of %s", strings.Join(list, ", "))
		}
	}
	if required && strings.TrimSpace(c.Event) == "" {
		f.Add("cap.event", "is required, e.g. Typhoon")
	}
	plaintext.CheckLine(f, "cap.event", c.Event)
	enum("category", c.Category, Categories)
	enum("urgency", c.Urgency, Urgencies)
	enum("severity", c.Severity, Severities)
	enum("certainty", c.Certainty, Certainties)
	if !c.Effective.IsZero() && !c.Expires.IsZero() && !c.Expires.After(c.Effective) {
		f.Add("cap.expires", "must be after effective")
	}
	a := c.Area
	if !a.Empty() && strings.TrimSpace(a.Description) == "" {
		f.Add("cap.area.description", "describe the area in words")
	}
	plaintext.Check(f, "cap.area.description", a.Description)
	for i, p := range a.Polygons {
		if err := checkPolygon(p); err != "" {
			f.Add("cap.area.polygons["+strconv.Itoa(i)+"]", "%s", err)
		}
	}
	for i, c := range a.Circles {
		if err := checkCircle(c); err != "" {
			f.Add("cap.area.circles["+strconv.Itoa(i)+"]", "%s", err)
		}
	}
	for i, g := range a.Geocodes {
		at := "cap.area.geocodes[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(g.Name) == "" || strings.TrimSpace(g.Value) == "" {
			f.Add(at, "needs a name and a value")
		}
		plaintext.CheckLine(f, at, g.Name+" "+g.Value)
	}
}

type point struct{ lat, lon float64 }

// parsePoint reads "lat,lon" with WGS 84 bounds.
func parsePoint(s string) (point, string) {
	latS, lonS, ok := strings.Cut(s, ",")
	if !ok {
		return point{}, "point " + strconv.Quote(s) + " must be lat,lon"
	}
	lat, err1 := strconv.ParseFloat(latS, 64)
	lon, err2 := strconv.ParseFloat(lonS, 64)
	switch {
	case err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon):
		return point{}, "point " + strconv.Quote(s) + " must be two numbers, lat,lon"
	case lat < -90 || lat > 90:
		return point{}, "latitude " + latS + " is outside -90…90"
	case lon < -180 || lon > 180:
		return point{}, "longitude " + lonS + " is outside -180…180"
	}
	return point{lat, lon}, ""
}

// checkPolygon returns what is wrong with a CAP polygon, or "".
func checkPolygon(s string) string {
	fields := strings.Fields(s)
	if len(fields) < 4 {
		return "a polygon needs at least 4 points, the first repeated as the last"
	}
	pts := make([]point, len(fields))
	for i, p := range fields {
		var bad string
		if pts[i], bad = parsePoint(p); bad != "" {
			return bad
		}
	}
	if pts[0] != pts[len(pts)-1] {
		return "a polygon must be closed: repeat the first point as the last"
	}
	return ""
}

// checkCircle returns what is wrong with a CAP circle, or "".
func checkCircle(s string) string {
	fields := strings.Fields(s)
	if len(fields) != 2 {
		return "a circle is lat,lon and a radius in km, e.g. 22.3,114.2 5"
	}
	if _, bad := parsePoint(fields[0]); bad != "" {
		return bad
	}
	r, err := strconv.ParseFloat(fields[1], 64)
	if err != nil || math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		return "radius " + strconv.Quote(fields[1]) + " must be a number of km, 0 or more"
	}
	return ""
}
