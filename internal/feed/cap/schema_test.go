package cap

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"crisisdesk/internal/feed/cap/captest"
)

const xss = `<script>alert("x&y")</script> ]]> &amp; '`

// scripted puts markup in every text field that may hold it (identifier
// and sender cannot, by R01/R02).
func scripted() Alert {
	a := validAlert()
	a.Scope, a.Restriction = "Restricted", "staff "+xss
	a.Source, a.Note = xss, xss
	a.Code = []string{xss}
	// CAP lists cannot carry a double quote.
	a.Addresses = JoinList("ops@example.gov", "<script>alert(1)</script> & co")
	a.Incidents = JoinList("<b>C-7</b>")
	in := &a.Info[0]
	in.Event, in.Audience, in.SenderName = xss, xss, xss
	in.Headline, in.Description, in.Instruction, in.Contact = xss, "line 1\n"+xss, xss, xss
	in.Web = "https://example.gov/?q=%3Cscript%3E&x=1" // a URI cannot hold raw markup
	in.EventCode = []ValueName{{xss, xss}}
	in.Parameter = []ValueName{{xss, xss}}
	in.Resource[0].ResourceDesc = xss
	in.Area[0].AreaDesc = xss
	in.Area[0].Geocode = []ValueName{{xss, xss}}
	return a
}

func multilingual() Alert {
	a := validAlert()
	en := a.Info[0]
	hant, hans := en, en
	hant.Language, hant.Event, hant.Headline, hant.Description = "zh-Hant", "水災", "河區水災警報", "河水上漲。"
	hans.Language, hans.Event, hans.Headline, hans.Description = "zh-Hans", "水灾", "河区水灾警报", "河水上涨。"
	a.Info = []Info{hant, hans, en}
	return a
}

func TestMarshalValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	orig := validAlert()
	tests := []struct {
		name string
		edit func(*Alert)
	}{
		{"actual", func(*Alert) {}},
		{"exercise", func(a *Alert) { a.Status, a.Note = "Exercise", "EX-2026-11 flood drill" }},
		{"update", func(a *Alert) {
			a.Identifier, a.MsgType = "crisisdesk-N-0002", "Update"
			a.References = JoinReferences(RefOf(orig))
			a.Sent = orig.Sent.Add(time.Hour)
		}},
		{"cancel", func(a *Alert) {
			a.Identifier, a.MsgType = "crisisdesk-N-0003", "Cancel"
			a.References = JoinReferences(RefOf(orig), Reference{"other@example.gov", "X-1", "2026-11-25T01:00:00-00:00"})
			a.Info[0].ResponseType = []string{"AllClear"}
		}},
		{"multilingual", func(a *Alert) { *a = multilingual() }},
		{"utc and no optional fields", func(a *Alert) {
			a.Sent = a.Sent.UTC()
			a.Source, a.Code, a.Incidents = "", nil, ""
			in := &a.Info[0]
			in.Effective, in.Onset, in.Expires = time.Time{}, time.Time{}, time.Time{}
			in.ResponseType, in.EventCode, in.Parameter, in.Resource = nil, nil, nil, nil
			in.Area = []Area{{AreaDesc: "Everywhere"}}
		}},
		{"private ack without info", func(a *Alert) {
			a.Scope, a.Addresses = "Private", JoinList("ops@example.gov", "Duty Officer")
			a.Identifier, a.MsgType, a.References, a.Info = "crisisdesk-ack-1", "Ack", JoinReferences(RefOf(orig)), nil
		}},
		{"embedded resource", func(a *Alert) {
			a.Info[0].Resource = []Resource{{ResourceDesc: "Note", MimeType: "text/plain; charset=utf-8", URI: "note.txt", DerefURI: "aGVsbG8="}}
		}},
		{"script in every field", func(a *Alert) { *a = scripted() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := validAlert()
			tt.edit(&a)
			out, err := Marshal(a)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if bytes.Contains(out, []byte("<script")) {
				t.Fatalf("markup not escaped:\n%s", out)
			}
			captest.Xmllint(t, out)
			back, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(normal(a), back) {
				t.Fatalf("round trip differs:\n  in: %+v\n out: %+v", a, back)
			}
		})
	}
}

// normal gives a's form after a round trip: times in a fixed zone, empty
// slices nil.
func normal(a Alert) Alert {
	fix := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		_, off := t.Zone()
		return t.In(zone(off))
	}
	a.Sent = fix(a.Sent)
	for i := range a.Info {
		in := &a.Info[i]
		in.Effective, in.Onset, in.Expires = fix(in.Effective), fix(in.Onset), fix(in.Expires)
	}
	return a
}

func TestMarshalRefusesInvalid(t *testing.T) {
	t.Parallel()
	a := validAlert()
	a.Status = "Real"
	if out, err := Marshal(a); err == nil {
		t.Fatalf("Marshal accepted an invalid alert:\n%s", out)
	}
}
