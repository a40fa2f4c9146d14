package public_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

const mailSecret = "mail-provider-secret-1"

// withFeedback is a site taking feedback into its store, at rate
// submissions a minute per client, with an e-mail webhook and SMS replies.
func withFeedback(t *testing.T, rate int) *subEnv {
	t.Helper()
	e := &subEnv{t: t, clk: clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))}
	e.st = storetest.OpenWith(t, store.SQLite, storetest.Options{Clock: e.clk})
	var err error
	if e.cat, err = i18n.New(); err != nil {
		t.Fatal(err)
	}
	e.pub, err = public.New(public.Options{Notices: e.st.Notices(), Crises: e.st.Crises(), Catalog: e.cat, Office: e.st.Office(),
		BaseURL: baseURL, Clock: e.clk, SubscribeRate: 1000, Live: live.NewBroker(), Signup: signup(e.st), CanSend: everyChannel,
		Feedback: e.st.Feedback(), FeedbackRate: rate, FeedbackMailSecret: mailSecret, SMSInboundToken: "inbound-7c", SMSFormat: "generic"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.pub.Register(mux)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func TestFeedbackForm(t *testing.T) {
	t.Parallel()
	e := withFeedback(t, 1000)
	form := func(v url.Values) response {
		return e.do(http.MethodPost, "/feedback?lang=en", strings.NewReader(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	}
	cases := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"empty message", url.Values{"message": {"  "}}, http.StatusUnprocessableEntity, `id="message-error"`},
		{"20,000 characters", url.Values{"message": {strings.Repeat("x", 20000)}}, http.StatusUnprocessableEntity, `id="message-error"`},
		{"bad contact", url.Values{"message": {"Open?"}, "contact": {"call me"}}, http.StatusUnprocessableEntity, `id="contact-error"`},
		{"honeypot filled", url.Values{"message": {"Buy now"}, "website": {"http://spam.example"}}, http.StatusUnprocessableEntity, "Not sent"},
		{"a question", url.Values{"message": {"Is <script>alert(1)</script> the shelter open?"}}, http.StatusCreated, `id="feedback-ref"`},
	}
	for _, c := range cases {
		r := form(c.form)
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d, want %d with %q", c.name, r.status, c.status, c.want)
		}
		if strings.Contains(r.body, "<script>alert(1)") {
			t.Errorf("%s: the message is not escaped", c.name)
		}
	}
	_, total, err := e.st.Feedback().List(t.Context(), feedback.Filter{})
	if err != nil || total != 1 {
		t.Fatalf("stored %d (only the question): %v", total, err)
	}
	if r := e.do(http.MethodGet, "/feedback/FB-0000-0000?lang=en", nil); r.status != http.StatusNotFound || !strings.Contains(r.body, "Reference not found") {
		t.Errorf("unknown reference: %d", r.status)
	}
}

func TestFeedbackAPIAndLimit(t *testing.T) {
	t.Parallel()
	e := withFeedback(t, 3)
	post := func(body string) response {
		return e.do(http.MethodPost, "/api/v1/feedback", strings.NewReader(body), "Content-Type", "application/json")
	}
	r := post(`{"message":"` + strings.Repeat("水", 20000) + `"}`)
	if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || !strings.Contains(r.header.Get("Content-Type"), "problem+json") {
		t.Errorf("20,000 characters: %d %s", r.status, r.body)
	}
	r = post(`{"message":""}`)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "body.message") {
		t.Errorf("empty: %d %s", r.status, r.body)
	}
	r = post(`{"message":"Is the bridge closed?","contact":"a@example.org"}`)
	var out struct{ Ref, Status_URL string }
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &out) != nil || !strings.HasPrefix(out.Ref, "FB-") {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	if r := post(`{"message":"again"}`); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("fourth from one address a minute: %d", r.status)
	}
	st := e.do(http.MethodGet, "/feedback/"+strings.ToLower(out.Ref)+"?lang=en", nil)
	if st.status != http.StatusOK || !strings.Contains(st.body, out.Ref) || strings.Contains(st.body, "a@example.org") {
		t.Errorf("lookup: %d (the contact must not show)", st.status)
	}
}

func TestFeedbackInboundEmail(t *testing.T) {
	t.Parallel()
	e := withFeedback(t, 1000)
	body := []byte(`{"from":"Mei Lee <mei@example.org>","subject":"Ferry time","text":"The notice says 20:00, the pier 18:00."}`)
	send := func(sig string) response {
		return e.do(http.MethodPost, "/feedback/inbound/email", strings.NewReader(string(body)), "Content-Type", "application/json",
			public.SignatureHeader, sig)
	}
	for _, sig := range []string{"", "sha256=00", public.Sign([]byte("another secret"), body)} {
		if r := send(sig); r.status != http.StatusUnauthorized {
			t.Errorf("signature %q: %d", sig, r.status)
		}
	}
	r := send(public.Sign([]byte(mailSecret), body))
	var out struct{ Ref string }
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &out) != nil {
		t.Fatalf("signed: %d %s", r.status, r.body)
	}
	f, err := e.st.Feedback().ByRef(t.Context(), out.Ref)
	if err != nil || f.Channel != feedback.Email || f.Contact != "mei@example.org" || !strings.HasPrefix(f.Message, "Ferry time") {
		t.Fatalf("stored %+v %v", f, err)
	}
}

// An SMS reply that is not STOP becomes feedback from that number; STOP
// still stops.
func TestFeedbackBySMSKeepsStop(t *testing.T) {
	t.Parallel()
	e := withFeedback(t, 1000)
	e.active(channel.SMS, "+85291234567")
	reply := func(text string) response {
		f := url.Values{"from": {"+85291234567"}, "text": {text}}
		return e.do(http.MethodPost, "/sms/inbound/inbound-7c", strings.NewReader(f.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	}
	if r := reply("When is the shelter open?"); r.status != http.StatusOK || !strings.Contains(r.body, "feedback FB-") {
		t.Fatalf("question by SMS: %d %s", r.status, r.body)
	}
	list, _, err := e.st.Feedback().List(t.Context(), feedback.Filter{Channel: feedback.SMS})
	if err != nil || len(list) != 1 || list[0].Contact != "+85291234567" {
		t.Fatalf("SMS feedback %+v %v", list, err)
	}
	if r := reply("STOP"); r.status != http.StatusOK || e.subscriberAt(channel.SMS, "+85291234567").Status != subscriber.Unsubscribed {
		t.Fatalf("STOP: %d %s", r.status, r.body)
	}
}
