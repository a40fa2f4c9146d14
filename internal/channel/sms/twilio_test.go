package sms

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"crisisdesk/internal/channel"
)

func TestTwilioRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, from string
		wantField  string
	}{
		{"a sender number", "+85200000000", "From"},
		{"an alphanumeric sender", "CityHall", "From"},
		{"a messaging service", "MG0123456789abcdef0123456789abcdef", "MessagingServiceSid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			type seen struct {
				path, user, pass, ctype string
				form                    url.Values
			}
			got := make(chan seen, 1)
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				user, pass, _ := r.BasicAuth()
				if err := r.ParseForm(); err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				got <- seen{r.URL.Path, user, pass, r.Header.Get("Content-Type"), r.PostForm}
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"sid":"SM1","status":"queued"}`))
			}))
			g, err := New(Config{Format: Twilio, URL: srv.URL + "/", Auth: twilioAuth, From: tt.from})
			if err != nil {
				t.Fatal(err)
			}
			text := "Typhoon signal 8: stay indoors. 八號風球"
			if err := g.Send(context.Background(), channel.Message{Key: "k", To: hkNumber, SMS: text}); err != nil {
				t.Fatal(err)
			}
			r := <-got
			if r.path != "/2010-04-01/Accounts/"+twilioSID+"/Messages.json" {
				t.Errorf("path %q", r.path)
			}
			if r.user != twilioSID || r.pass != twilioToken {
				t.Errorf("basic auth %q:%q", r.user, r.pass)
			}
			if r.ctype != "application/x-www-form-urlencoded" {
				t.Errorf("content type %q", r.ctype)
			}
			want := url.Values{"To": {hkNumber}, tt.wantField: {tt.from}, "Body": {text}}
			if r.form.Encode() != want.Encode() {
				t.Errorf("form %v, want %v", r.form, want)
			}
		})
	}
}

// TestTwilioDefaultBase checks, without sending, where a gateway with no
// URL would post.
func TestTwilioDefaultBase(t *testing.T) {
	t.Parallel()
	g, err := New(Config{Format: Twilio, Auth: twilioAuth, From: "+85200000000"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := g.build(context.Background(), channel.Message{To: hkNumber, SMS: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://api.twilio.com/2010-04-01/Accounts/" + twilioSID + "/Messages.json"; req.URL.String() != want {
		t.Errorf("URL %s, want %s", req.URL, want)
	}
}
