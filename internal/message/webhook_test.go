package message

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/notice"
)

func TestEventType(t *testing.T) {
	t.Parallel()
	want := map[notice.Kind]string{notice.Alert: EventPublished, notice.Update: EventPublished,
		notice.Correction: EventCorrected, notice.Cancellation: EventCancelled, notice.AllClear: EventAllClear}
	for _, k := range notice.Kinds {
		if got := EventType(k); got != want[k] {
			t.Errorf("%s: %q, want %q", k, got, want[k])
		}
	}
}

// TestBodyIsTheMarshalledPayload: the spliced body is what encoding/json
// makes of the whole payload, for any recipient string.
func TestBodyIsTheMarshalledPayload(t *testing.T) {
	t.Parallel()
	n, l := typhoon(), typhoonLinks()
	p, err := Prepare(n, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, rcpt := range []string{"", "endpoint_12", `quote " and \ backslash`, "<script>&</script>",
		"tab\tnew\nline\r\x00\x1f\b\f", "línea 行 \u2028\u2029 😀", "bad \xff\xfe utf-8"} {
		got := p.Body(rcpt)
		want, err := json.Marshal(NewPayload(n, l, rcpt))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("recipient %q:\n got %s\nwant %s", rcpt, got, want)
			continue
		}
		var back Payload
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("recipient %q: %v", rcpt, err)
		}
		if !strings.ContainsRune(rcpt, 0xFFFD) && !strings.Contains(rcpt, "\xff") && back.Recipient != rcpt {
			t.Errorf("recipient %q came back as %q", rcpt, back.Recipient)
		}
	}
}

func TestPayloadCarriesTheNotice(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	n := typhoon()
	n.ID, n.Kind, n.References, n.CorrectionReason, n.Exercise = 9, notice.Correction, 7, notice.NewInformation, true
	n.PublishedAt = time.Date(2026, 9, 14, 14, 30, 0, 0, time.FixedZone("HKT", 8*3600))
	body, err := r.WebhookBody(n, typhoonLinks(), "endpoint_12")
	if err != nil {
		t.Fatal(err)
	}
	var got Payload
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != EventCorrected || got.Recipient != "endpoint_12" || !got.Timestamp.Equal(n.PublishedAt) {
		t.Errorf("envelope %q %q %v", got.Type, got.Recipient, got.Timestamp)
	}
	d := got.Data
	if d.ID != 9 || d.CrisisID != 3 || d.Kind != "correction" || d.Audience != "public" || !d.Exercise ||
		d.ReferencesID != 7 || d.CorrectionReason != "new_information" {
		t.Errorf("data %+v", d)
	}
	if !reflect.DeepEqual(d.Languages, []string{"zh-Hant", "zh-Hans", "en"}) || len(d.Content) != 3 ||
		d.Content["zh-Hans"].Headline != "八号烈风信号：全区学校停课" || d.Content["en"].Contact != "Citizen hotline 1823" {
		t.Errorf("content %v %+v", d.Languages, d.Content)
	}
	if d.CAP.Event != "Typhoon" || d.CAP.Severity != "Severe" || !d.CAP.Expires.Equal(n.CAP.Expires) ||
		len(d.CAP.Area.Geocodes) != 1 || d.CAP.Area.Geocodes[0].Value != "all" {
		t.Errorf("cap %+v", d.CAP)
	}
	if d.Links.HTML != "https://alerts.example.gov/notices/7" || d.Links.CAP != "https://alerts.example.gov/notices/7/cap.xml" {
		t.Errorf("links %+v", d.Links)
	}
	if strings.Contains(string(body), "unsubscribe") {
		t.Error("the body carries the unsubscribe link")
	}
	if !strings.Contains(string(body), `"timestamp":"2026-09-14T06:30:00Z"`) {
		t.Errorf("timestamp not in UTC RFC 3339: %s", body)
	}
}

func TestPayloadOmitsEmptyFields(t *testing.T) {
	t.Parallel()
	n := notice.Notice{ID: 5, Kind: notice.Alert, Audience: notice.Internal,
		Contents: []notice.Content{{Language: "en", Headline: "Staff meeting", Body: "At noon."}}}
	body, err := Prepare(n, Links{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(body.Body(""))
	for _, absent := range []string{"crisis_id", "published_at", "references_id", "correction_reason", "instruction",
		"contact", `"cap"`, `"links"`, "recipient", "expires"} {
		if strings.Contains(got, absent) {
			t.Errorf("body has %s: %s", absent, got)
		}
	}
	for _, present := range []string{`"exercise":false`, `"id":5`, `"type":"notice.published"`} {
		if !strings.Contains(got, present) {
			t.Errorf("body lacks %s: %s", present, got)
		}
	}
}

func BenchmarkPreparedBody(b *testing.B) {
	p, err := Prepare(typhoon(), typhoonLinks())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Body("endpoint_1234567")
	}
}

func BenchmarkWebhookBody(b *testing.B) {
	r := newRenderer(b)
	n, l := typhoon(), typhoonLinks()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.WebhookBody(n, l, "endpoint_1234567"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	r := newRenderer(b)
	n, l := typhoon(), typhoonLinks()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Render(n, "zh-Hant", l)
	}
}
