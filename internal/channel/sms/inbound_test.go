package sms

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestParseInbound(t *testing.T) {
	t.Parallel()
	form := func(v url.Values) (string, string) { return "application/x-www-form-urlencoded", v.Encode() }
	multi := func(fields map[string]string) (string, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range fields {
			_ = w.WriteField(k, v)
		}
		_ = w.Close()
		return w.FormDataContentType(), b.String()
	}
	type body struct{ ctype, text string }
	b := func(ctype, text string) body { return body{ctype, text} }
	tests := []struct {
		name    string
		format  string
		body    body
		from    string
		text    string
		wantErr string
	}{
		{name: "twilio form", format: Twilio,
			body: b(form(url.Values{"From": {hkNumber}, "Body": {"STOP"}, "To": {"+85200000000"}, "MessageSid": {"SM1"}})),
			from: hkNumber, text: "STOP"},
		{name: "twilio multipart", format: Twilio, body: b(multi(map[string]string{"From": hkNumber, "Body": "退訂"})),
			from: hkNumber, text: "退訂"},
		{name: "twilio ignores lower-case fields", format: Twilio, body: b(form(url.Values{"from": {hkNumber}, "text": {"STOP"}})),
			wantErr: "no sender"},
		{name: "generic JSON", format: Generic, body: b("application/json", `{"from":"+85291234567","text":"退訂","id":7}`),
			from: hkNumber, text: "退訂"},
		{name: "generic JSON with charset", format: Generic, body: b("application/json; charset=utf-8", `{"from":" +85291234567 ","text":"stop"}`),
			from: hkNumber, text: "stop"},
		{name: "generic JSON without a type", format: Generic, body: b("", `{"from":"+85291234567","text":"hello"}`),
			from: hkNumber, text: "hello"},
		{name: "generic form", format: Generic, body: b(form(url.Values{"from": {hkNumber}, "text": {"Quit"}})),
			from: hkNumber, text: "Quit"},
		{name: "generic multipart", format: Generic, body: b(multi(map[string]string{"from": hkNumber, "text": "取消订阅"})),
			from: hkNumber, text: "取消订阅"},
		{name: "empty format is generic", format: "", body: b("application/json", `{"from":"+85291234567","text":"x"}`),
			from: hkNumber, text: "x"},
		{name: "an empty reply is still a reply", format: Generic, body: b("application/json", `{"from":"+85291234567"}`),
			from: hkNumber, text: ""},
		{name: "no sender", format: Generic, body: b(form(url.Values{"text": {"STOP"}})), wantErr: "no sender"},
		{name: "blank sender", format: Generic, body: b("application/json", `{"from":"  ","text":"STOP"}`), wantErr: "no sender"},
		{name: "broken JSON", format: Generic, body: b("application/json", `{"from":`), wantErr: "neither form fields nor a JSON object"},
		{name: "JSON of the wrong shape", format: Generic, body: b("application/json", `["+85291234567","STOP"]`), wantErr: "inbound sms"},
		{name: "too large", format: Generic, body: b("application/json", `{"from":"+85291234567","text":"`+strings.Repeat("x", 70<<10)+`"}`),
			wantErr: "inbound sms"},
		{name: "unknown format", format: "pigeon", body: b("application/json", `{}`), wantErr: `format "pigeon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/sms/inbound/token", strings.NewReader(tt.body.text))
			if tt.body.ctype != "" {
				r.Header.Set("Content-Type", tt.body.ctype)
			}
			from, text, err := ParseInbound(r, tt.format)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseInbound = %q, %q, %v; want an error containing %q", from, text, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if from != tt.from || text != tt.text {
				t.Errorf("ParseInbound = %q, %q; want %q, %q", from, text, tt.from, tt.text)
			}
		})
	}
}

func TestIsStop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want bool
	}{
		{"STOP", true},
		{"stop", true},
		{"Stop", true},
		{"  stop!  ", true},
		{"STOP.", true},
		{"\"STOP\"", true},
		{"STOPALL", true},
		{"stopall", true},
		{"UNSUBSCRIBE", true},
		{"unsubscribe\n", true},
		{"CANCEL", true},
		{"end", true},
		{"Quit!!", true},
		{"ＳＴＯＰ", true},   // full-width letters
		{"　stop。", true}, // ideographic space and full stop
		{"退訂", true},
		{"退订", true},
		{"取消訂閱", true},
		{"取消订阅", true},
		{"「退訂」", true},
		{"退訂！", true},
		{"stop please", false},
		{"please stop", false},
		{"STOP ALL", false},
		{"S T O P", false},
		{"stopped", false},
		{"unstop", false},
		{"START", false},
		{"HELP", false},
		{"YES", false},
		{"訂閱", false},
		{"取消", false},
		{"", false},
		{"   ", false},
		{"!!!", false},
	}
	for _, tt := range tests {
		if got := IsStop(tt.text); got != tt.want {
			t.Errorf("IsStop(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
