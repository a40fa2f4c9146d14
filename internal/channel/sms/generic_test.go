package sms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"crisisdesk/internal/channel"
)

// received is one request as a gateway stand-in saw it.
type received struct {
	method, path, ctype, auth, idem string
	body                            []byte
}

// recording is a gateway stand-in that accepts every request and hands
// it to the test.
func recording(t *testing.T, code int) (*httptest.Server, <-chan received) {
	t.Helper()
	ch := make(chan received, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ch <- received{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), b}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func TestGenericDefaultBody(t *testing.T) {
	t.Parallel()
	srv, got := recording(t, http.StatusAccepted)
	g, err := New(Config{Format: Generic, URL: srv.URL + "/v1/sms", Auth: genericAuth, From: "CITY"})
	if err != nil {
		t.Fatal(err)
	}
	text := "Signal 8: \"stay in\"\n請留在室內 😀"
	if err := g.Send(context.Background(), channel.Message{Key: "del_42_sms", To: hkNumber, SMS: text, Subject: "ignored"}); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.method != http.MethodPost || r.path != "/v1/sms" || r.ctype != "application/json" || r.auth != genericAuth || r.idem != "del_42_sms" {
		t.Errorf("request %s %s, type %q, auth %q, idempotency key %q", r.method, r.path, r.ctype, r.auth, r.idem)
	}
	var body map[string]string
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	want := map[string]string{"to": hkNumber, "from": "CITY", "text": text, "reference": "del_42_sms"}
	if fmt.Sprint(body) != fmt.Sprint(want) {
		t.Errorf("body %v, want %v", body, want)
	}
}

// TestGenericReportsSegments has the gateway stand-in decode a body that
// carries the adapter's segmenting, and checks it against counts worked
// out by hand.
func TestGenericReportsSegments(t *testing.T) {
	t.Parallel()
	srv, got := recording(t, http.StatusOK)
	g, err := New(Config{Format: Generic, URL: srv.URL, Auth: genericAuth,
		Body: `{"to":{{json .To}},"text":{{json .Text}},"ref":{{json .Reference}},"encoding":{{json .Encoding}},"parts":{{.Segments}}}`})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		encoding   string
		parts      int
	}{
		// 11 characters a sentence, 13 sentences: 143 UTF-16 units, more
		// than two parts of 67 (134).
		{"long Chinese", strings.Repeat("請留在室內，遠離窗戶。", 13), UCS2, 3},
		// "Signal 8 " 9 + "[T8]" 6 (the brackets take two septets each) +
		// ": stay indoors. " 16 = 31 septets; six of them 186: two parts.
		{"long GSM with extension characters", strings.Repeat("Signal 8 [T8]: stay indoors. ", 6), GSM7, 2},
		// Five are 155: still one part of 160.
		{"GSM that fits one part", strings.Repeat("Signal 8 [T8]: stay indoors. ", 5), GSM7, 1},
		{"one Chinese character turns it UCS-2", "Signal 8 八號", UCS2, 1},
	}
	for _, tt := range tests {
		if err := g.Send(context.Background(), channel.Message{Key: "k-" + tt.name, To: hkNumber, SMS: tt.text}); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r := <-got
		var body struct {
			To, Text, Ref, Encoding string
			Parts                   int
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("%s: body %s: %v", tt.name, r.body, err)
		}
		if body.To != hkNumber || body.Text != tt.text || body.Ref != "k-"+tt.name {
			t.Errorf("%s: gateway got to %q, ref %q, text %q", tt.name, body.To, body.Ref, body.Text)
		}
		if body.Encoding != tt.encoding || body.Parts != tt.parts {
			t.Errorf("%s: gateway was told %s in %d parts, want %s in %d", tt.name, body.Encoding, body.Parts, tt.encoding, tt.parts)
		}
	}
}

func TestGenericFormBody(t *testing.T) {
	t.Parallel()
	srv, got := recording(t, http.StatusOK)
	g, err := New(Config{Format: Generic, URL: srv.URL, From: "City Hall",
		Body: `to={{urlquery .To}}&from={{urlquery .From}}&msg={{urlquery .Text}}&ref={{urlquery .Reference}}&parts={{urlquery .Segments}}`})
	if err != nil {
		t.Fatal(err)
	}
	text := "Rain & wind = stay in; 100% sure?"
	if err := g.Send(context.Background(), channel.Message{Key: "a/b c", To: hkNumber, SMS: text}); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if media, _, _ := mime.ParseMediaType(r.ctype); media != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q, want a form", r.ctype)
	}
	if r.auth != "" {
		t.Errorf("authorization %q sent without Auth", r.auth)
	}
	form, err := url.ParseQuery(string(r.body))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"to": {hkNumber}, "from": {"City Hall"}, "msg": {text}, "ref": {"a/b c"}, "parts": {"1"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form %v, want %v", form, want)
	}
}

func TestGenericConcurrentSends(t *testing.T) {
	t.Parallel()
	srv, got := recording(t, http.StatusOK)
	g := newFor(t, Generic, srv.URL, 0)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			errs <- g.Send(context.Background(), channel.Message{Key: fmt.Sprint("k", i), To: hkNumber, SMS: fmt.Sprint("message ", i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	seen := map[string]bool{}
	for range 20 {
		r := <-got
		var body map[string]string
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		if body["text"] != "message "+strings.TrimPrefix(body["reference"], "k") {
			t.Errorf("reference %q carries text %q", body["reference"], body["text"])
		}
		seen[body["reference"]] = true
	}
	if len(seen) != 20 {
		t.Errorf("gateway saw %d distinct messages, want 20", len(seen))
	}
}

func TestSniffType(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		` {"to":"+852"}`:       "application/json",
		`[1]`:                  "application/json",
		`<sms/>`:               "application/xml",
		`to=%2B852&text=hi`:    "application/x-www-form-urlencoded",
		"To: +852\nText: hi":   "text/plain; charset=utf-8",
		`just some words = ok`: "text/plain; charset=utf-8",
	} {
		if got := sniffType([]byte(body)); got != want {
			t.Errorf("sniffType(%q) = %q, want %q", body, got, want)
		}
	}
}
