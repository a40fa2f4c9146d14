package cap

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/fault"
)

const minimal = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>X-1</identifier>
  <sender>a@example.gov</sender>
  <sent>2026-11-25T09:30:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <category>Met</category>
    <event>Flood</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>
    <resource><resourceDesc>Map</resourceDesc><mimeType>image/png</mimeType><size>10</size></resource>
    <area><areaDesc>River</areaDesc><altitude>100</altitude></area>
  </info>
</alert>
`

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"CAP 1.1 namespace", "cap:1.2", "cap:1.1", "want {urn:oasis:names:tc:emergency:cap:1.2}alert"},
		{"no namespace", ` xmlns="urn:oasis:names:tc:emergency:cap:1.2"`, "", "root element is {}alert"},
		{"other root", "<alert xmlns", "<feed xmlns", "root element is"},
		{"malformed", "</alert>", "", "malformed XML"},
		{"not XML", minimal, "{\"identifier\": 1}", "text outside the root element"},
		{"empty", minimal, "", "no root element"},
		{"doctype", `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "y">]>`, "DOCTYPE"},
		{"attribute", "<alert xmlns", `<alert xml:lang="en" xmlns`, "attribute lang"},
		{"unknown element", "<scope>", "<color>red</color><scope>", "unknown element <color>"},
		{"foreign element in info", "<event>", `<x:y xmlns:x="urn:x"/><event>`, "info[0]: foreign element {urn:x}y"},
		{"markup in text", "<event>Flood</event>", "<event>Flood <b>now</b></event>", "info[0].event: text element contains element <b>"},
		{"repeated element", "<status>Actual</status>", "<status>Actual</status><status>Test</status>", "status: element appears more than once"},
		{"time with Z", "2026-11-25T09:30:00+08:00", "2026-11-25T01:30:00Z", "sent: \"2026-11-25T01:30:00Z\" is not a CAP date-time"},
		{"time with fraction", "09:30:00+08:00", "09:30:00.5+08:00", "sent:"},
		{"time without offset", "09:30:00+08:00", "09:30:00", "sent:"},
		{"hour 24", "2026-11-25T09:30:00", "2026-11-25T24:00:00", "sent:"},
		{"offset beyond 14h", "09:30:00+08:00", "09:30:00+14:30", "±14:00"},
		{"size", "<size>10</size>", "<size>ten</size>", "info[0].resource[0].size"},
		{"altitude", "<altitude>100</altitude>", "<altitude>high</altitude>", "info[0].area[0].altitude"},
		{"rule", "<msgType>Alert</msgType>", "<msgType>Update</msgType>", "references: is required when msgType is Update"},
		{"missing sent", "<sent>2026-11-25T09:30:00+08:00</sent>", "", "sent: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := strings.Replace(minimal, tt.old, tt.new, 1)
			if doc == minimal {
				t.Fatal("edit did not apply")
			}
			_, err := Parse([]byte(doc))
			if err == nil {
				t.Fatal("Parse accepted it")
			}
			if !fault.Is(err, fault.Invalid) {
				t.Errorf("code = %q, want invalid", fault.CodeOf(err))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParseTolerates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new string
	}{
		{"as is", "", ""},
		{"BOM", "<?xml", "\uFEFF<?xml"},
		{"no declaration", `<?xml version="1.0" encoding="UTF-8"?>`, ""},
		{"comments", "<event>", "<!-- note --><event><!-- inside -->"},
		{"empty elements", "<scope>Public</scope>", "<scope>Public</scope><references /><incidents></incidents><note/>"},
		{"prefixed CAP", "xmlns=", "xmlns:cap="},
		{"signature", "</alert>", `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo Id="x"/></ds:Signature></alert>`},
		{"UTC as +00:00", "2026-11-25T09:30:00+08:00", "2026-11-25T01:30:00+00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := strings.Replace(minimal, tt.old, tt.new, 1)
			if tt.name == "prefixed CAP" {
				doc = regexp.MustCompile(`<(/?)([A-Za-z])`).ReplaceAllString(doc, "<${1}cap:$2")
			}
			a, err := Parse([]byte(doc))
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, doc)
			}
			if !a.Sent.Equal(time.Date(2026, 11, 25, 1, 30, 0, 0, time.UTC)) || a.Info[0].Event != "Flood" {
				t.Fatalf("parsed %+v", a)
			}
		})
	}
}
