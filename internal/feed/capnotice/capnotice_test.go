package capnotice

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/feed/cap/captest"
	"crisisdesk/internal/notice"
)

const (
	sender = "crisisdesk@example.org"
	prefix = "crisisdesk"
)

var t0 = time.Date(2026, 7, 1, 8, 30, 15, 123456789, time.FixedZone("HKT", 8*3600))

func published(id int64, kind notice.Kind, refs int64, at time.Time) notice.Notice {
	return notice.Notice{ID: id, CrisisID: 7, Kind: kind, Audience: notice.Public, Status: notice.Published,
		References: refs, PublishedAt: at,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "颱風警告", Body: "請留在室內。", Instruction: "關好窗戶。", Contact: "熱線 1823"},
			{Language: "en", Headline: "Typhoon warning", Body: "Stay indoors.", Instruction: "Shut the windows."},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Effective: at, Expires: at.Add(6 * time.Hour),
			Area: notice.Area{Description: "Harbour district", Polygons: []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"},
				Circles: []string{"22.3,114.2 5"}, Geocodes: []notice.Geocode{{Name: "district", Value: "Wan Chai"}}}},
	}
}

// chain is an alert (1), its correction (2), a correction of that (3), a
// cancellation (4) and an all-clear (5).
func chain() map[int64]notice.Notice {
	m := map[int64]notice.Notice{
		1: published(1, notice.Alert, 0, t0),
		2: published(2, notice.Correction, 1, t0.Add(10*time.Minute)),
		3: published(3, notice.Correction, 2, t0.Add(20*time.Minute)),
		4: published(4, notice.Cancellation, 3, t0.Add(30*time.Minute)),
		5: published(5, notice.AllClear, 1, t0.Add(40*time.Minute)),
	}
	for _, id := range []int64{2, 3} {
		n := m[id]
		n.CorrectionReason = notice.Factual
		m[id] = n
	}
	return m
}

func lookupIn(m map[int64]notice.Notice) func(int64) (notice.Notice, error) {
	return func(id int64) (notice.Notice, error) {
		n, ok := m[id]
		if !ok {
			return n, fault.New(fault.NotFound, "no notice %d", id)
		}
		return n, nil
	}
}

func TestToCAP(t *testing.T) {
	t.Parallel()
	m := chain()
	drill := published(6, notice.Alert, 0, t0)
	drill.Exercise = true
	m[6] = drill
	ref := func(id int64, d time.Duration) string {
		return sender + "," + prefix + "-" + itoa(id) + "," + cap.FormatTime(t0.UTC().Truncate(time.Second).Add(d))
	}
	cases := []struct {
		name             string
		id               int64
		status, msgType  string
		note, references string
		response         []string
	}{
		{"alert", 1, "Actual", "Alert", "", "", nil},
		{"correction", 2, "Actual", "Update", "", ref(1, 0), nil},
		{"correction of a correction", 3, "Actual", "Update", "", ref(1, 0) + " " + ref(2, 10*time.Minute), nil},
		{"cancellation", 4, "Actual", "Cancel", "", ref(1, 0) + " " + ref(2, 10*time.Minute) + " " + ref(3, 20*time.Minute), nil},
		{"all-clear", 5, "Actual", "Update", "", ref(1, 0), []string{"AllClear"}},
		{"exercise", 6, "Exercise", "Alert", ExerciseNote, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, err := ToCAP(m[c.id], sender, prefix, lookupIn(m))
			if err != nil {
				t.Fatal(err)
			}
			if err := cap.Validate(a); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if a.Identifier != prefix+"-"+itoa(c.id) || a.Status != c.status || a.MsgType != c.msgType ||
				a.Note != c.note || a.References != c.references || a.Scope != "Public" {
				t.Errorf("alert %+v", a)
			}
			if got := cap.FormatTime(a.Sent); !strings.HasSuffix(got, "-00:00") || strings.Contains(got, ".") {
				t.Errorf("sent %s", got)
			}
			if len(a.Info) != 2 || a.Info[0].Language != "zh-Hant" || a.Info[1].Language != "en" {
				t.Fatalf("info %+v", a.Info)
			}
			in := a.Info[0]
			if in.Headline != "颱風警告" || in.Description != "請留在室內。" || in.Contact != "熱線 1823" ||
				!reflect.DeepEqual(in.ResponseType, c.response) || len(in.Area) != 1 || in.Area[0].Geocode[0].Value != "Wan Chai" {
				t.Errorf("info %+v", in)
			}
			doc, err := cap.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(doc), "<sent>"+cap.FormatTime(a.Sent)+"</sent>") {
				t.Errorf("document %s", doc)
			}
			captest.Xmllint(t, doc)
		})
	}
}

func TestToCAPRefuses(t *testing.T) {
	t.Parallel()
	m := chain()
	draft := published(9, notice.Alert, 0, time.Time{})
	unpublishedRef := published(10, notice.Correction, 11, t0)
	m[11] = published(11, notice.Alert, 0, time.Time{})
	loop := published(12, notice.Correction, 13, t0)
	m[13] = published(13, notice.Correction, 12, t0)
	internal := published(14, notice.Alert, 0, t0)
	internal.Audience, internal.CAP = notice.Internal, notice.CAPInfo{}
	for name, n := range map[string]notice.Notice{"unpublished": draft, "reference unpublished": unpublishedRef,
		"reference loop": loop, "missing reference": published(15, notice.Correction, 99, t0), "no CAP fields": internal} {
		if _, err := ToCAP(n, sender, prefix, lookupIn(m)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	const script = `<script>alert("x")</script>&`
	n := published(1, notice.Alert, 0, t0)
	n.Exercise = true
	for i := range n.Contents {
		c := &n.Contents[i]
		c.Headline += script
		c.Body += script
		c.Instruction += script
		c.Contact += script
	}
	n.CAP.Event += script
	n.CAP.Area.Description += script
	n.CAP.Area.Geocodes[0].Value += script
	a, err := ToCAP(n, sender, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := cap.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "<script>") || !strings.Contains(string(doc), "&lt;script&gt;") {
		t.Fatalf("markup not escaped:\n%s", doc)
	}
	captest.Xmllint(t, doc)
	b, err := cap.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromCAP(b)
	if err != nil {
		t.Fatal(err)
	}
	want := notice.Notice{Kind: notice.Alert, Audience: notice.Public, Status: notice.Draft, Exercise: true,
		Contents: n.Contents, CAP: n.CAP}
	want.CAP.Effective = n.CAP.Effective.UTC().Truncate(time.Second)
	want.CAP.Expires = n.CAP.Expires.UTC().Truncate(time.Second)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if err := notice.Validate(got); err != nil {
		t.Fatalf("imported draft invalid: %v", err)
	}
}

func TestFromCAP(t *testing.T) {
	t.Parallel()
	base := func() cap.Alert {
		return cap.Alert{Identifier: "X-1", Sender: "agency@example.org", Sent: t0.Truncate(time.Second), Status: "Actual",
			MsgType: "Alert", Scope: "Public", Info: []cap.Info{
				{Language: "zh-TW", Category: []string{"Met", "Safety"}, Event: "大雨", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
					Description: "豪雨", Area: []cap.Area{{AreaDesc: "台北", Polygon: []string{"25,121 25.1,121.1 25,121.2 25,121"}},
						{AreaDesc: "新北", Circle: []string{"25,121.5 3"}, Geocode: []cap.ValueName{{ValueName: "Taiwan_Geocode_103", Value: "65"}}}}},
				{Language: "zh-TW", Category: []string{"Met"}, Event: "duplicate", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely"},
				{Category: []string{"Met"}, Event: "Rain", Urgency: "Expected", Severity: "Moderate", Certainty: "Likely",
					Headline: strings.Repeat("long ", 40)},
			}}
	}
	n, err := FromCAP(base())
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Contents) != 2 || n.Contents[0].Language != "zh-Hant" || n.Contents[0].Headline != "大雨" || n.Contents[0].Body != "豪雨" ||
		n.Contents[1].Language != "en" || !strings.HasSuffix(n.Contents[1].Headline, "…") || n.Contents[1].Body != n.Contents[1].Headline {
		t.Errorf("contents %+v", n.Contents)
	}
	ar := n.CAP.Area
	if n.CAP.Category != "Met" || ar.Description != "台北; 新北" || len(ar.Polygons) != 1 || len(ar.Circles) != 1 || len(ar.Geocodes) != 1 {
		t.Errorf("cap %+v", n.CAP)
	}
	if err := notice.Validate(n); err != nil {
		t.Errorf("draft invalid: %v", err)
	}
	cases := []struct {
		name   string
		change func(*cap.Alert)
		field  string // "": imported
	}{
		{"update becomes an alert", func(a *cap.Alert) { a.MsgType, a.References = "Update", "a@b,X-0,2026-07-01T00:00:00-00:00" }, ""},
		{"cancel becomes an alert", func(a *cap.Alert) { a.MsgType, a.References = "Cancel", "a@b,X-0,2026-07-01T00:00:00-00:00" }, ""},
		{"bare cancel", func(a *cap.Alert) {
			a.MsgType, a.References, a.Info = "Cancel", "a@b,X-0,2026-07-01T00:00:00-00:00", nil
		}, ""},
		{"exercise", func(a *cap.Alert) { a.Status, a.Note = "Exercise", "drill" }, ""},
		{"test refused", func(a *cap.Alert) { a.Status = "Test" }, "status"},
		{"ack refused", func(a *cap.Alert) { a.MsgType, a.References = "Ack", "a@b,X-0,2026-07-01T00:00:00-00:00" }, "msgType"},
	}
	for _, c := range cases {
		a := base()
		c.change(&a)
		n, err := FromCAP(a)
		switch {
		case c.field != "":
			if f := fault.As(err); f.Code != fault.Invalid || f.Field != c.field {
				t.Errorf("%s: %v", c.name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case n.Kind != notice.Alert || n.Exercise != (a.Status == "Exercise"):
			t.Errorf("%s: %+v", c.name, n)
		default:
			if err := notice.Validate(n); err != nil {
				t.Errorf("%s: draft invalid: %v", c.name, err)
			}
		}
	}
}

func TestFromCAPSamples(t *testing.T) {
	t.Parallel()
	samples := captest.Samples(t)
	if len(samples) < 5 {
		t.Fatalf("want the 5 samples, found %d", len(samples))
	}
	for _, s := range samples {
		f := s.Name
		a, err := cap.Parse(s.Data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		n, err := FromCAP(a)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		notice.Normalize(&n)
		if err := notice.Validate(n); err != nil {
			t.Errorf("%s: draft invalid: %v", f, err)
		}
	}
}

func itoa(id int64) string { return Identifier("", id)[1:] }

// capDoc is an upstream message whose first <info> has headline and
// description as given, written into the XML as they stand.
func capDoc(headline, description string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>X-2</identifier>
  <sender>agency@example.org</sender>
  <sent>2026-07-01T08:30:15-00:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>en</language>
    <category>Met</category>
    <event>Rain</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <headline>` + headline + `</headline>
    <description>` + description + `</description>
    <area><areaDesc>North&#xD;&#xA;district</areaDesc></area>
  </info>
</alert>
`)
}

// TestFromCAPLineBreaksAndControls imports messages whose text carries
// line breaks in every form XML lets through, and characters XML allows but
// crisisdesk cannot publish.
func TestFromCAPLineBreaksAndControls(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, headline, description string
		wantBody                    string // "" when refused
		field                       string
	}{
		{"breaks", "Heavy&#xD;&#xA;rain\u2028", "Roads closed.&#xD;&#xA;Stay in.&#xD;Avoid\u2028rivers.\u2029Shelters\u0085open.", "Roads closed.\nStay in.\nAvoid\nrivers.\nShelters\nopen.", ""},
		{"delete in the headline", "Heavy\u007frain", "Stay in.", "", "info[0].headline"},
		{"c1 control in the description", "Heavy rain", "Stay\u0090in.", "", "info[0].description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := cap.Parse(capDoc(tc.headline, tc.description))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			n, err := FromCAP(a)
			if tc.field != "" {
				fields := fault.FieldsOf(err)
				if len(fields) != 1 || fields[0].Field != tc.field || fields[0].Code != fault.Invalid {
					t.Fatalf("FromCAP = %v; want %s refused", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Contents[0].Body; got != tc.wantBody {
				t.Errorf("body = %q, want %q", got, tc.wantBody)
			}
			if got := n.Contents[0].Headline; got != "Heavy rain" {
				t.Errorf("headline = %q, want its lines joined: a headline is one line", got)
			}
			if n.CAP.Area.Description != "North\ndistrict" {
				t.Errorf("area = %q", n.CAP.Area.Description)
			}
			notice.Normalize(&n)
			if err := notice.Validate(n); err != nil {
				t.Errorf("draft invalid: %v", err)
			}
		})
	}
	// A vertical tab is not XML at all: the parser refuses the message
	// and says where.
	if _, err := cap.Parse(capDoc("Heavy\vrain", "Stay in.")); !fault.Is(err, fault.Invalid) {
		t.Errorf("a vertical tab in the XML: %v", err)
	}
}

// TestToCAPCleansStoredText writes a notice stored before text was
// checked, with a vertical tab, NUL and escape in it: its CAP message is
// still valid, with the breaks kept and the controls gone.
func TestToCAPCleansStoredText(t *testing.T) {
	t.Parallel()
	n := published(1, notice.Alert, 0, t0)
	n.Contents[1].Headline = "Typhoon\vwarning\x00"
	n.Contents[1].Body = "Stay\x1b[1m indoors.\r\nShut the windows."
	n.CAP.Event = "Typh\x07oon"
	n.CAP.Area.Description = "Harbour\x0bdistrict"
	a, err := ToCAP(n, sender, prefix, nil)
	if err != nil {
		t.Fatalf("ToCAP: %v", err)
	}
	doc, err := cap.Marshal(a)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back, err := cap.Parse(doc)
	if err != nil {
		t.Fatalf("the message does not parse back: %v\n%s", err, doc)
	}
	en := back.Info[1]
	if en.Headline != "Typhoon\nwarning" || en.Description != "Stay[1m indoors.\nShut the windows." || en.Event != "Typhoon" ||
		en.Area[0].AreaDesc != "Harbour\ndistrict" {
		t.Errorf("cleaned info = %q %q %q %q", en.Headline, en.Description, en.Event, en.Area[0].AreaDesc)
	}
	captest.Xmllint(t, doc)
}

// TestDraftLint: an unpublished notice gives the alert Lint advises on,
// with each warning on the <info> of its language.
func TestDraftLint(t *testing.T) {
	t.Parallel()
	n := published(1, notice.Alert, 0, time.Time{})
	n.Status = notice.Draft
	if w := cap.Lint(Draft(n, t0)); len(w) != 0 {
		t.Fatalf("a complete draft has warnings: %+v", w)
	}
	n.Contents[1].Headline = strings.Repeat("x", cap.MaxHeadline+5)
	n.CAP.Expires = time.Time{}
	got := map[string]bool{}
	for _, w := range cap.Lint(Draft(n, t0)) {
		got[w.Field+" "+w.Rule] = true
	}
	for _, want := range []string{"info[1].headline R22", "info[0].expires R26", "info[1].expires R26"} {
		if !got[want] {
			t.Errorf("no warning %q in %v", want, got)
		}
	}
}

// TestFromCAPOfficeLanguages: the regional tags of an upstream message
// become the office's languages; two Englishes are one language, the
// first kept.
func TestFromCAPOfficeLanguages(t *testing.T) {
	t.Parallel()
	in := func(lang, headline string) cap.Info {
		return cap.Info{Language: lang, Category: []string{"Met"}, Event: "Rain", Urgency: "Expected", Severity: "Moderate",
			Certainty: "Likely", Headline: headline, Description: headline}
	}
	for _, tt := range []struct {
		name  string
		infos []cap.Info
		want  []string // language: headline
	}{
		{"Taiwan and mainland", []cap.Info{in("zh-TW", "大雨特報"), in("zh-CN", "大雨特报"), in("en-US", "Heavy rain")},
			[]string{"zh-Hant: 大雨特報", "zh-Hans: 大雨特报", "en: Heavy rain"}},
		{"Hong Kong and Britain", []cap.Info{in("en-GB", "Heavy rain"), in("zh-HK", "暴雨警告"), in("en-US", "Heavy rain (US)")},
			[]string{"en: Heavy rain", "zh-Hant: 暴雨警告"}},
		{"other languages stay", []cap.Info{in("ja-JP", "大雨"), in("zh", "大雨")}, []string{"ja-JP: 大雨", "zh: 大雨"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, err := FromCAP(cap.Alert{Identifier: "X-2", Sender: "agency@example.org", Sent: t0.Truncate(time.Second),
				Status: "Actual", MsgType: "Alert", Scope: "Public", Info: tt.infos})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range n.Contents {
				got = append(got, c.Language+": "+c.Headline)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("contents %q, want %q", got, tt.want)
			}
		})
	}
}
