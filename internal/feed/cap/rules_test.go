package cap

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/fault"
)

// TestValidateRules breaks each rule Validate enforces, one at a time, and
// checks that the error names the element.
func TestValidateRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule, name string
		edit       func(*Alert)
		path, msg  string
	}{
		{"R01", "empty identifier", func(a *Alert) { a.Identifier = "" }, "identifier", "required"},
		{"R01", "identifier space", func(a *Alert) { a.Identifier = "a b" }, "identifier", "whitespace"},
		{"R01", "identifier comma", func(a *Alert) { a.Identifier = "a,b" }, "identifier", `','`},
		{"R01", "identifier lt", func(a *Alert) { a.Identifier = "a<b" }, "identifier", `'<'`},
		{"R01", "identifier amp", func(a *Alert) { a.Identifier = "a&b" }, "identifier", `'&'`},
		{"R02", "sender space", func(a *Alert) { a.Sender = "x @example.gov" }, "sender", "whitespace"},
		{"R02", "sender comma", func(a *Alert) { a.Sender = "x,y@example.gov" }, "sender", `','`},
		{"R03", "sent missing", func(a *Alert) { a.Sent = time.Time{} }, "sent", "required"},
		{"R03", "sent fraction", func(a *Alert) { a.Sent = a.Sent.Add(time.Millisecond) }, "sent", "fractional"},
		{"R03", "sent odd offset", func(a *Alert) { a.Sent = a.Sent.In(time.FixedZone("LMT", 8*3600+5)) }, "sent", "offset"},
		{"R03", "sent offset too big", func(a *Alert) { a.Sent = a.Sent.In(time.FixedZone("", 15*3600)) }, "sent", "14:00"},
		{"R04", "references not triplet", func(a *Alert) { a.MsgType, a.References = "Update", "a@b.gov,X-1" }, "references", "sender,identifier,sent"},
		{"R04", "references bad sent", func(a *Alert) { a.MsgType, a.References = "Update", "a@b.gov,X-1,2026-11-25T09:00:00Z" }, "references", "sent"},
		{"R04", "references comma list", func(a *Alert) {
			a.MsgType, a.References = "Update", "a@b.gov,X-1,2026-11-25T09:00:00+08:00,a@b.gov,X-2,2026-11-25T09:00:00+08:00"
		}, "references", "sender,identifier,sent"},
		{"R05", "self reference", func(a *Alert) { a.MsgType, a.References = "Update", JoinReferences(RefOf(*a)) }, "references[0]", "itself"},
		{"R06", "update without references", func(a *Alert) { a.MsgType = "Update" }, "references", "Update"},
		{"R06", "cancel without references", func(a *Alert) { a.MsgType = "Cancel" }, "references", "Cancel"},
		{"R06", "ack without references", func(a *Alert) { a.MsgType = "Ack" }, "references", "Ack"},
		{"R07", "error without note", func(a *Alert) { a.MsgType, a.References = "Error", "a@b.gov,X-1,2026-11-25T09:00:00+08:00" }, "note", "Error"},
		{"R07", "exercise without note", func(a *Alert) { a.Status = "Exercise" }, "note", "Exercise"},
		{"R08", "restricted without restriction", func(a *Alert) { a.Scope = "Restricted" }, "restriction", "required"},
		{"R08", "restriction on public", func(a *Alert) { a.Restriction = "staff only" }, "restriction", "only allowed"},
		{"R09", "private without addresses", func(a *Alert) { a.Scope = "Private" }, "addresses", "required"},
		{"R10", "addresses unbalanced quote", func(a *Alert) { a.Addresses = `ops@x.gov "Duty Officer` }, "addresses", "unbalanced"},
		{"R10", "incidents quote inside", func(a *Alert) { a.Incidents = `C-7 river"flood` }, "incidents", "double quote"},
		{"R11", "polygon three pairs", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "1,1 2,2 1,1" }, "info[0].area[0].polygon[0]", "at least 4"},
		{"R11", "polygon not closed", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "1,1 2,2 3,1 1,2" }, "info[0].area[0].polygon[0]", "not closed"},
		{"R11", "polygon double space", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "1,1  2,2 3,1 1,1" }, "info[0].area[0].polygon[0]", "pair"},
		{"R11", "polygon not a pair", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "1,1 2 3,1 1,1" }, "info[0].area[0].polygon[0]", "not lat,lon"},
		{"R12", "circle without radius", func(a *Alert) { a.Info[0].Area[0].Circle[0] = "22.5,114.0" }, "info[0].area[0].circle[0]", "lat,lon radius"},
		{"R12", "circle negative radius", func(a *Alert) { a.Info[0].Area[0].Circle[0] = "22.5,114.0 -1" }, "info[0].area[0].circle[0]", "radius"},
		{"R13", "polygon latitude", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "91,1 2,2 3,1 91,1" }, "info[0].area[0].polygon[0]", "latitude"},
		{"R13", "circle longitude", func(a *Alert) { a.Info[0].Area[0].Circle[0] = "10,200 5" }, "info[0].area[0].circle[0]", "longitude"},
		{"R13", "lon,lat swapped", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "114.0,22.5 114.1,22.6 114.2,22.5 114.0,22.5" }, "info[0].area[0].polygon[0]", "latitude"},
		{"R14", "ceiling without altitude", func(a *Alert) { a.Info[0].Area[0].Altitude = nil }, "info[0].area[0].ceiling", "altitude"},
		{"R14", "ceiling below altitude", func(a *Alert) { a.Info[0].Area[0].Altitude = f64(2000) }, "info[0].area[0].ceiling", "below"},
		{"R15", "relative web", func(a *Alert) { a.Info[0].Web = "/notices/1" }, "info[0].web", "absolute"},
		{"R15", "web without host", func(a *Alert) { a.Info[0].Web = "https:///x" }, "info[0].web", "absolute"},
		{"R16", "relative uri without derefUri", func(a *Alert) { a.Info[0].Resource[0].URI = "map.png" }, "info[0].resource[0].uri", "derefUri"},
		{"R17", "derefUri not base64", func(a *Alert) { a.Info[0].Resource[0].DerefURI = "not base64!" }, "info[0].resource[0].derefUri", "base64"},
		{"R18", "digest not sha1", func(a *Alert) { a.Info[0].Resource[0].Digest = "abc" }, "info[0].resource[0].digest", "SHA-1"},
		{"R19", "mimeType without subtype", func(a *Alert) { a.Info[0].Resource[0].MimeType = "image" }, "info[0].resource[0].mimeType", "RFC 2046"},
		{"R20", "bad language tag", func(a *Alert) { a.Info[0].Language = "zh_TW" }, "info[0].language", "RFC 3066"},
		{"R20", "chinese without language", func(a *Alert) { a.Info[0].Language, a.Info[0].Headline = "", "河區水災警報" }, "info[0].language", "en-US"},
		{"R21", "empty valueName", func(a *Alert) { a.Info[0].Parameter[0].ValueName = "" }, "info[0].parameter[0].valueName", "required"},
		{"R21", "acronym with dots", func(a *Alert) { a.Info[0].EventCode[0].ValueName = "S.A.M.E." }, "info[0].eventCode[0].valueName", "upper-case"},
		{"R21", "acronym lower-case", func(a *Alert) { a.Info[0].Area[0].Geocode[0].ValueName = "fips" }, "info[0].area[0].geocode[0].valueName", "upper-case"},
		{"R27", "expires before effective", func(a *Alert) { a.Info[0].Expires = a.Info[0].Effective.Add(-time.Minute) }, "info[0].expires", "before effective"},
		{"R27", "expires before sent", func(a *Alert) {
			a.Info[0].Effective, a.Info[0].Onset, a.Info[0].Expires = time.Time{}, time.Time{}, a.Sent.Add(-time.Minute)
		}, "info[0].expires", "before sent"},
		{"R27", "expires before onset", func(a *Alert) { a.Info[0].Onset = a.Info[0].Expires.Add(time.Minute) }, "info[0].expires", "before onset"},
		{"XSD", "status", func(a *Alert) { a.Status = "Real" }, "status", "Actual"},
		{"XSD", "msgType", func(a *Alert) { a.MsgType = "Correction" }, "msgType", "Update"},
		{"XSD", "scope", func(a *Alert) { a.Scope = "" }, "scope", "required"},
		{"XSD", "no category", func(a *Alert) { a.Info[0].Category = nil }, "info[0].category", "at least one"},
		{"XSD", "category", func(a *Alert) { a.Info[0].Category[1] = "Weather" }, "info[0].category[1]", "Met"},
		{"XSD", "responseType", func(a *Alert) { a.Info[0].ResponseType[0] = "Run" }, "info[0].responseType[0]", "Evacuate"},
		{"XSD", "urgency", func(a *Alert) { a.Info[0].Urgency = "Now" }, "info[0].urgency", "Immediate"},
		{"XSD", "severity", func(a *Alert) { a.Info[0].Severity = "" }, "info[0].severity", "required"},
		{"XSD", "certainty", func(a *Alert) { a.Info[0].Certainty = "Very Likely" }, "info[0].certainty", "Likely"},
		{"XSD", "event", func(a *Alert) { a.Info[0].Event = " " }, "info[0].event", "required"},
		{"XSD", "areaDesc", func(a *Alert) { a.Info[0].Area[0].AreaDesc = "" }, "info[0].area[0].areaDesc", "required"},
		{"XSD", "resourceDesc", func(a *Alert) { a.Info[0].Resource[0].ResourceDesc = "" }, "info[0].resource[0].resourceDesc", "required"},
		{"XSD", "mimeType", func(a *Alert) { a.Info[0].Resource[0].MimeType = "" }, "info[0].resource[0].mimeType", "required"},
		{"XML", "control character", func(a *Alert) { a.Info[0].Description = "bell\a" }, "info[0].description", "XML 1.0"},
		{"XML", "invalid UTF-8", func(a *Alert) { a.Note = "\xff" }, "note", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+tt.name, func(t *testing.T) {
			t.Parallel()
			a := validAlert()
			a.Info[0].Area = append(a.Info[0].Area, a.Info[0].Area[0]) // paths must name the right index
			a.Info[0].Area[1].AreaDesc = "second"
			tt.edit(&a)
			err := Validate(a)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Validate = %v, want Errors", err)
			}
			if !fault.Is(err, fault.Invalid) {
				t.Errorf("code = %q, want invalid", fault.CodeOf(err))
			}
			for _, e := range errs {
				if e.Field == tt.path && strings.Contains(e.Message, tt.msg) {
					return
				}
			}
			t.Fatalf("want %s: …%s…; got %v", tt.path, tt.msg, err)
		})
	}
}

func TestValidateReportsSeveral(t *testing.T) {
	t.Parallel()
	a := validAlert()
	a.Identifier, a.Info[0].Urgency = "", "Now"
	a.Info[0].Area = append(a.Info[0].Area, Area{AreaDesc: "x", Polygon: []string{"1,1 2,2"}})
	var errs Errors
	if !errors.As(Validate(a), &errs) || len(errs) != 3 {
		t.Fatalf("want 3 errors, got %v", errs)
	}
	want := []string{"identifier", "info[0].urgency", "info[0].area[1].polygon[0]"}
	for i, e := range errs {
		if e.Field != want[i] {
			t.Errorf("error %d names %q, want %q", i, e.Field, want[i])
		}
	}
}

func TestValidateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*Alert)
	}{
		{"base", func(*Alert) {}},
		{"no info", func(a *Alert) { a.Info = nil }},
		{"english without language", func(a *Alert) { a.Info[0].Language = "" }},
		{"restricted", func(a *Alert) { a.Scope, a.Restriction = "Restricted", "staff" }},
		{"effective before sent", func(a *Alert) { a.Info[0].Effective = a.Sent.Add(-time.Hour) }},
		{"expires equals sent", func(a *Alert) {
			a.Info[0].Effective, a.Info[0].Onset, a.Info[0].Expires = time.Time{}, time.Time{}, a.Sent
		}},
		{"negative altitude", func(a *Alert) { a.Info[0].Area[0].Altitude = f64(-10) }},
		{"polygon closed with equal numbers", func(a *Alert) { a.Info[0].Area[0].Polygon[0] = "1,1 2,2 3,1 1.0,1.00" }},
		{"relative uri with derefUri", func(a *Alert) {
			a.Info[0].Resource[0].URI, a.Info[0].Resource[0].DerefURI = "map.png", "aGVsbG8="
		}},
		{"urn web", func(a *Alert) { a.Info[0].Web = "urn:oid:2.49.0.1" }},
		{"markup in text", func(a *Alert) { a.Info[0].Headline = "<b>bold</b> &nbsp;" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := validAlert()
			tt.edit(&a)
			if err := Validate(a); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLint(t *testing.T) {
	t.Parallel()
	if w := Lint(validAlert()); len(w) != 0 {
		t.Fatalf("valid alert has warnings: %v", w)
	}
	a := multilingual()
	a.Info[0].Headline = strings.Repeat("長", MaxHeadline+1)
	a.Info[1].Description = "<p>hi</p>"
	a.Info[1].Severity = "Extreme"
	a.Info[2].Expires = time.Time{}
	a.Info[2].Effective = a.Sent.Add(-time.Minute)
	a.Info[0].Area[0].Polygon, a.Info[0].Area[0].Circle = nil, nil
	a.Info[0].Resource[0].Size = 0
	a.MsgType, a.References = "Update", Reference{"a@b.gov", "X", FormatTime(a.Sent.Add(time.Hour))}.String()
	want := []struct{ field, rule string }{{"references[0]", "R05"}, {"info[0].headline", "R22"},
		{"info[0].area[0]", "R24"}, {"info[0].resource[0].size", "R29"}, {"info[1].description", "R23"},
		{"info[1]", "R25"}, {"info[2]", "R25"}, {"info[2].expires", "R26"}, {"info[2].effective", "R27"}}
	got := Lint(a)
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g.Field == w.field && g.Rule == w.rule
		}
		if !found {
			t.Errorf("no warning %s for %s in %v", w.rule, w.field, got)
		}
	}
	for _, g := range got {
		if g.Rule == "R22" && (g.Info != 0 || g.Element != "headline" || fmt.Sprint(g.Args) != fmt.Sprint([]any{"Count", MaxHeadline + 1, "Max", MaxHeadline})) {
			t.Errorf("R22 warning = %+v, want info 0, headline, count and max", g)
		}
	}
}
