package public_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
)

// A local mobile number is read with the office's country code; the
// district is chosen from the office's list and kept with the names it
// goes by, so that a notice naming it in any language reaches the
// resident.
func TestSubscribeLocalNumberAndDistrict(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	ctx := context.Background()
	p, err := e.st.Office().Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.CountryCode = "852"
	if _, err := e.st.Office().Save(ctx, authz.System(authz.SourceCLI, "test"), p); err != nil {
		t.Fatal(err)
	}
	form := e.get("/subscribe?lang=en").body
	if !strings.Contains(form, "9123 4567") || !strings.Contains(form, "&#43;852") {
		t.Errorf("the phone hint does not say local numbers are fine:\n%s", form)
	}
	r := e.post("/subscribe?lang=zh-Hant", url.Values{"channel": {"sms"}, "phone": {"9123 4567"}, "district": {"sha-tin"}, "language": {"zh-Hant"}})
	if r.status != http.StatusOK {
		t.Fatalf("local number: %d\n%s", r.status, r.body)
	}
	s := e.subscriberAt("sms", "+85291234567")
	if s.Area.District != "sha-tin|沙田區|沙田区|Sha Tin" {
		t.Errorf("district stored as %q", s.Area.District)
	}
}

// Without a mail server the e-mail channel is not offered, and a form
// that asks for it anyway is refused with the other answers kept: the
// site never says a confirmation was sent that nobody can send.
func TestSubscribeOffersOnlyChannelsThatSend(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, func(o *public.Options) {
		o.CanSend = func(ch string) bool { return ch == "webhook" }
	})
	form := e.get("/subscribe?lang=en").body
	for _, want := range []string{`value="email" disabled`, `value="sms" disabled`, "not offered by this office",
		`<a class="brand" href="/">Public information</a>`} {
		if !strings.Contains(form, want) {
			t.Errorf("form lacks %q:\n%s", want, form)
		}
	}
	if strings.Contains(form, `value="email" checked`) {
		t.Error("the form chooses a channel that cannot send")
	}
	for _, lang := range []string{"en", "zh-Hant"} {
		r := e.post("/subscribe?lang="+lang, url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "category": {"accident"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="channel-error">`+e.tr(lang, "subscribe.err.channel_off")) ||
			!strings.Contains(r.body, `value="ann@example.org"`) || !strings.Contains(r.body, `value="accident" checked`) {
			t.Errorf("%s: %d\n%s", lang, r.status, r.body)
		}
		if strings.Contains(r.body, e.tr(lang, "subscribe.sent.title")) {
			t.Errorf("%s: says something was sent", lang)
		}
	}
	if n := e.count(); n != 0 {
		t.Errorf("%d subscribers stored", n)
	}
}
