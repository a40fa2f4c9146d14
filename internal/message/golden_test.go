package message

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"crisisdesk/internal/channel/sms"
)

// TestGoldenAlert renders one alert for a reader of each language.
func TestGoldenAlert(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	for _, lang := range []string{"zh-Hant", "zh-Hans", "en"} {
		t.Run(lang, func(t *testing.T) {
			p := r.Render(typhoon(), lang, typhoonLinks())
			if p.Lang != lang {
				t.Errorf("Lang = %q", p.Lang)
			}
			seg := sms.Count(p.SMS)
			txt := fmt.Sprintf("Subject: %s\n\n%s\n== SMS (%d segments) ==\n%s\n", p.Subject, p.Text, seg.Segments, p.SMS)
			golden(t, "alert."+lang+".txt.golden", []byte(txt))
			golden(t, "alert."+lang+".html.golden", []byte(p.HTML))
		})
	}
}

// TestGoldenWebhook checks the webhook body byte for byte: the golden
// file is indented for reading, the body is its compact form.
func TestGoldenWebhook(t *testing.T) {
	t.Parallel()
	r := newRenderer(t)
	body, err := r.WebhookBody(typhoon(), typhoonLinks(), "endpoint_12")
	if err != nil {
		t.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	indented.WriteByte('\n')
	golden(t, "webhook.golden", indented.Bytes())
	if *update {
		return
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, indented.Bytes()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(compact.Bytes(), body) {
		t.Errorf("body is not the compact form of the golden file:\n%s", body)
	}
}
