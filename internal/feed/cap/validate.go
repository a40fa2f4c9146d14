package cap

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"crisisdesk/internal/fault"
)

// Validate checks a against CAP 1.2: the required elements and enumerations
// of the schema, and the rules of RULES.md section B that the schema cannot
// check (R01–R21, plus R27 for expiry order). It returns nil or Errors,
// listing every problem with its element path, e.g.
// "info[0].area[1].polygon[0]".
func Validate(a Alert) error {
	var v validator
	v.alert(a)
	return asError(v.Fields)
}

type validator struct{ fault.Fields }

func (v *validator) text(path, s string) {
	if !utf8.ValidString(s) {
		v.Add(path, "is not valid UTF-8")
		return
	}
	for _, r := range s {
		if !xmlChar(r) {
			v.Add(path, "contains character %U, which XML 1.0 cannot carry", r)
			return
		}
	}
}

func (v *validator) required(path, s string) {
	if strings.TrimSpace(s) == "" {
		v.Add(path, "is required")
		return
	}
	v.text(path, s)
}

func (v *validator) enum(path, s string, allowed []string) {
	if s == "" {
		v.Add(path, "is required; one of %s", strings.Join(allowed, ", "))
	} else if !slices.Contains(allowed, s) {
		v.Add(path, "%q is not one of %s", s, strings.Join(allowed, ", "))
	}
}

func (v *validator) time(path string, t time.Time) {
	if msg := checkTime(t); msg != "" {
		v.Add(path, "%s", msg)
	}
}

// id enforces R01/R02: no whitespace, comma, '<' or '&'.
func (v *validator) id(path, s string) {
	if msg := idProblem(s); msg != "" {
		v.Add(path, "%s", msg)
	}
}

func idProblem(s string) string {
	if s == "" {
		return "is required"
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return "must not contain whitespace"
		case r == ',' || r == '<' || r == '&':
			return fmt.Sprintf("must not contain %q", r)
		case !xmlChar(r) || unicode.IsControl(r):
			return fmt.Sprintf("must not contain character %U", r)
		}
	}
	return ""
}

func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

func (v *validator) alert(a Alert) {
	v.id("identifier", a.Identifier)
	v.id("sender", a.Sender)
	v.time("sent", a.Sent)
	v.enum("status", a.Status, Statuses)
	v.enum("msgType", a.MsgType, MsgTypes)
	v.text("source", a.Source)
	v.enum("scope", a.Scope, Scopes)
	v.text("restriction", a.Restriction)
	v.text("note", a.Note)
	// R08, R09
	switch {
	case a.Scope == "Restricted" && strings.TrimSpace(a.Restriction) == "":
		v.Add("restriction", "is required when scope is Restricted")
	case a.Scope != "Restricted" && a.Restriction != "":
		v.Add("restriction", "is only allowed when scope is Restricted")
	}
	if a.Scope == "Private" && strings.TrimSpace(a.Addresses) == "" {
		v.Add("addresses", "is required when scope is Private")
	}
	// R10
	v.list("addresses", a.Addresses)
	v.list("incidents", a.Incidents)
	for i, c := range a.Code {
		v.required(fmt.Sprintf("code[%d]", i), c)
	}
	// R07
	if a.MsgType == "Error" && strings.TrimSpace(a.Note) == "" {
		v.Add("note", "is required when msgType is Error: explain the error")
	}
	if a.Status == "Exercise" && strings.TrimSpace(a.Note) == "" {
		v.Add("note", "is required when status is Exercise: name the exercise")
	}
	v.references(a)
	for i, in := range a.Info {
		v.info(fmt.Sprintf("info[%d]", i), a, in)
	}
}

// list enforces R10: space-separated items, double quotes around an item
// that contains spaces.
func (v *validator) list(path, s string) {
	v.text(path, s)
	if _, err := SplitList(s); err != nil {
		v.Add(path, "%v", err)
	}
}

// references enforces R04, R05 (self-reference) and R06.
func (v *validator) references(a Alert) {
	v.text("references", a.References)
	refs, err := ParseReferences(a.References)
	if err != nil {
		v.Add("references", "%v", err)
		return
	}
	switch a.MsgType {
	case "Update", "Cancel", "Ack", "Error":
		if len(refs) == 0 {
			v.Add("references", "is required when msgType is %s", a.MsgType)
		}
	}
	for i, r := range refs {
		if r.Sender == a.Sender && r.Identifier == a.Identifier {
			v.Add(fmt.Sprintf("references[%d]", i), "a message must not reference itself")
		}
	}
}

var languageRE = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

func (v *validator) info(p string, a Alert, in Info) {
	// R20
	if in.Language == "" {
		if nonEnglish(in.Event, in.Headline, in.Description, in.Instruction, in.SenderName) {
			v.Add(p+".language", "is required: an empty language means en-US, but the text is not English")
		}
	} else if !languageRE.MatchString(in.Language) {
		v.Add(p+".language", "%q is not an RFC 3066 language tag", in.Language)
	}
	if len(in.Category) == 0 {
		v.Add(p+".category", "at least one is required")
	}
	for i, c := range in.Category {
		v.enum(fmt.Sprintf("%s.category[%d]", p, i), c, Categories)
	}
	v.required(p+".event", in.Event)
	for i, r := range in.ResponseType {
		v.enum(fmt.Sprintf("%s.responseType[%d]", p, i), r, ResponseTypes)
	}
	v.enum(p+".urgency", in.Urgency, Urgencies)
	v.enum(p+".severity", in.Severity, Severities)
	v.enum(p+".certainty", in.Certainty, Certainties)
	v.values(p+".eventCode", in.EventCode)
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"effective", in.Effective}, {"onset", in.Onset}, {"expires", in.Expires}} {
		if !f.t.IsZero() {
			v.time(p+"."+f.name, f.t)
		}
	}
	// R27, the part that is always a bug: expiry before the message applies.
	if !in.Expires.IsZero() {
		start, what := in.Effective, "effective"
		if start.IsZero() {
			start, what = a.Sent, "sent"
		}
		if !start.IsZero() && in.Expires.Before(start) {
			v.Add(p+".expires", "is before %s", what)
		}
		if !in.Onset.IsZero() && in.Expires.Before(in.Onset) {
			v.Add(p+".expires", "is before onset")
		}
	}
	v.text(p+".audience", in.Audience)
	v.text(p+".senderName", in.SenderName)
	v.text(p+".headline", in.Headline)
	v.text(p+".description", in.Description)
	v.text(p+".instruction", in.Instruction)
	v.text(p+".contact", in.Contact)
	// R15
	if in.Web != "" && !absoluteURI(in.Web) {
		v.Add(p+".web", "%q is not an absolute URI", in.Web)
	}
	v.values(p+".parameter", in.Parameter)
	for i, r := range in.Resource {
		v.resource(fmt.Sprintf("%s.resource[%d]", p, i), r)
	}
	for i, ar := range in.Area {
		v.area(fmt.Sprintf("%s.area[%d]", p, i), ar)
	}
}

// nonEnglish reports whether any text uses a script that cannot be en-US.
func nonEnglish(texts ...string) bool {
	for _, s := range texts {
		for _, r := range s {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
				unicode.Cyrillic, unicode.Arabic, unicode.Thai, unicode.Greek, unicode.Hebrew) {
				return true
			}
		}
	}
	return false
}

// knownAcronyms are code systems whose valueName R21 wants upper-case.
var knownAcronyms = []string{"SAME", "FIPS", "ZIP", "UGC", "EAS", "CMAS", "NWS"}

// values enforces R21 on eventCode, parameter and geocode.
func (v *validator) values(p string, vs []ValueName) {
	for i, x := range vs {
		path := fmt.Sprintf("%s[%d]", p, i)
		v.required(path+".valueName", x.ValueName)
		v.text(path+".value", x.Value)
		bare := strings.ReplaceAll(x.ValueName, ".", "")
		for _, ac := range knownAcronyms {
			if strings.EqualFold(bare, ac) && x.ValueName != ac {
				v.Add(path+".valueName", "write %q as %q: acronyms are upper-case without dots", x.ValueName, ac)
			}
		}
	}
}

var hexRE = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

func (v *validator) resource(p string, r Resource) {
	v.required(p+".resourceDesc", r.ResourceDesc)
	// R19
	if r.MimeType == "" {
		v.Add(p+".mimeType", "is required")
	} else if mt, _, err := mime.ParseMediaType(r.MimeType); err != nil || !strings.Contains(mt, "/") {
		v.Add(p+".mimeType", "%q is not an RFC 2046 type/subtype", r.MimeType)
	}
	if r.Size < 0 {
		v.Add(p+".size", "must not be negative")
	}
	// R16
	if r.URI != "" {
		u, err := url.Parse(r.URI)
		switch {
		case err != nil || !uriChars(r.URI):
			v.Add(p+".uri", "%q is not a URI", r.URI)
		case !u.IsAbs() && r.DerefURI == "":
			v.Add(p+".uri", "a relative URI is only allowed with derefUri")
		case u.IsAbs() && !absoluteURI(r.URI):
			v.Add(p+".uri", "%q is not a full absolute URI", r.URI)
		}
	}
	// R17
	if r.DerefURI != "" {
		if _, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(r.DerefURI), "")); err != nil {
			v.Add(p+".derefUri", "is not base64 data")
		}
	}
	// R18
	if r.Digest != "" && !hexRE.MatchString(r.Digest) {
		v.Add(p+".digest", "must be a SHA-1 hash: 40 hexadecimal characters")
	}
}

// absoluteURI reports whether s is a full absolute URI: a scheme, and a host
// for the web schemes. Characters a URI cannot hold unescaped (space, <, >,
// quotes and the like) fail it; xs:anyURI rejects them too.
func absoluteURI(s string) bool {
	if !uriChars(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp":
		return u.Host != ""
	}
	return u.Opaque != "" || u.Host != "" || u.Path != ""
}

func uriChars(s string) bool {
	for _, r := range s {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("<>\"{}|\\^`", r) {
			return false
		}
	}
	return true
}

func (v *validator) area(p string, ar Area) {
	v.required(p+".areaDesc", ar.AreaDesc)
	for i, s := range ar.Polygon {
		if err := checkPolygon(s); err != nil {
			v.Add(fmt.Sprintf("%s.polygon[%d]", p, i), "%v", err)
		}
	}
	for i, s := range ar.Circle {
		if err := checkCircle(s); err != nil {
			v.Add(fmt.Sprintf("%s.circle[%d]", p, i), "%v", err)
		}
	}
	v.values(p+".geocode", ar.Geocode)
	// R14
	if ar.Ceiling != nil {
		if ar.Altitude == nil {
			v.Add(p+".ceiling", "is only allowed together with altitude")
		} else if *ar.Ceiling < *ar.Altitude {
			v.Add(p+".ceiling", "is below altitude")
		}
	}
}

// checkPolygon enforces R11 and R13.
func checkPolygon(s string) error {
	s = strings.TrimSpace(s)
	pairs := strings.Split(s, " ")
	if s == "" || len(pairs) < 4 {
		return fmt.Errorf("needs at least 4 lat,lon pairs separated by single spaces, has %d", len(strings.Fields(s)))
	}
	for i, pr := range pairs {
		if _, _, err := point(pr); err != nil {
			return fmt.Errorf("pair %d: %w", i+1, err)
		}
	}
	if pairs[0] != pairs[len(pairs)-1] {
		f1, f2, _ := point(pairs[0])
		l1, l2, _ := point(pairs[len(pairs)-1])
		if f1 != l1 || f2 != l2 {
			return fmt.Errorf("is not closed: the first pair %s must equal the last %s", pairs[0], pairs[len(pairs)-1])
		}
	}
	return nil
}

// checkCircle enforces R12 and R13.
func checkCircle(s string) error {
	parts := strings.Split(strings.TrimSpace(s), " ")
	if len(parts) != 2 {
		return fmt.Errorf("%q is not \"lat,lon radius\"", s)
	}
	if _, _, err := point(parts[0]); err != nil {
		return err
	}
	r, err := number(parts[1])
	if err != nil || r < 0 {
		return fmt.Errorf("radius %q is not a non-negative number of kilometres", parts[1])
	}
	return nil
}

// point reads one WGS 84 "lat,lon" pair, latitude first.
func point(s string) (lat, lon float64, err error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, fmt.Errorf("%q is not lat,lon", s)
	}
	lat, err1 := number(a)
	lon, err2 := number(b)
	switch {
	case err1 != nil || err2 != nil:
		return 0, 0, fmt.Errorf("%q is not lat,lon in decimal degrees", s)
	case lat < -90 || lat > 90:
		return 0, 0, fmt.Errorf("latitude %s is outside -90..90", a)
	case lon < -180 || lon > 180:
		return 0, 0, fmt.Errorf("longitude %s is outside -180..180", b)
	}
	return lat, lon, nil
}

// number reads a plain decimal: no exponent, no NaN or Inf.
func number(s string) (float64, error) {
	if s == "" || strings.ContainsAny(s, "eEnNiIxX_") {
		return 0, fmt.Errorf("%q is not a decimal", s)
	}
	return strconv.ParseFloat(s, 64)
}
