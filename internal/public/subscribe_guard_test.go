package public_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/live"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
)

func TestSubscribeRefusesOtherSites(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	form := url.Values{"channel": {"email"}, "address": {"eve@example.org"}}
	refused := []struct {
		name   string
		header []string
	}{
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
		{"same-site, other origin", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://evil.example.org"}},
		{"other Origin, no Sec-Fetch-Site", []string{"Origin", "https://evil.example"}},
		{"other Referer only", []string{"Origin", "", "Referer", "https://evil.example/form.html"}},
	}
	for _, c := range refused {
		for _, p := range []string{"/subscribe?lang=en", "/subscribe/code?lang=en", "/subscribe/confirm?lang=en"} {
			r := e.post(p, form, c.header...)
			if r.status != http.StatusForbidden || !strings.Contains(r.body, e.tr("en", "subscribe.forbidden.text")) {
				t.Errorf("%s to %s: %d\n%s", c.name, p, r.status, r.body)
			}
		}
	}
	if n := e.count(); n != 0 {
		t.Fatalf("%d subscribers from refused forms", n)
	}
	accepted := []struct {
		name, address string
		header        []string
	}{
		{"same origin", "a@example.org", []string{"Sec-Fetch-Site", "same-origin"}},
		{"typed in the address bar", "b@example.org", []string{"Sec-Fetch-Site", "none", "Origin", ""}},
		{"the public origin behind a proxy", "c@example.org", []string{"Origin", baseURL}},
		{"own Referer, no Origin", "d@example.org", []string{"Origin", "", "Referer", baseURL + "/subscribe"}},
		{"no browser", "e@example.org", []string{"Origin", ""}},
	}
	for _, c := range accepted {
		form.Set("address", c.address)
		if r := e.post("/subscribe?lang=en", form, c.header...); r.status != http.StatusOK {
			t.Errorf("%s: %d\n%s", c.name, r.status, r.body)
		}
	}
	if n := e.count(); n != len(accepted) {
		t.Errorf("%d subscribers, want %d", n, len(accepted))
	}
}

func TestSubscribeRateLimit(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, func(o *public.Options) { o.SubscribeRate = 0 })
	form := url.Values{"channel": {"email"}, "address": {"not an address"}}
	for i := range 10 {
		if r := e.post("/subscribe?lang=en", form); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
	form.Set("address", "late@example.org")
	r := e.post("/subscribe?lang=en", form)
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, e.tr("en", "subscribe.limited.text")) {
		t.Fatalf("11th request: %d\n%s", r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if n := e.count(); n != 0 {
		t.Errorf("a refused request stored %d subscribers", n)
	}
	// The form itself and the other pages are not counted.
	if g := e.get("/subscribe"); g.status != http.StatusOK {
		t.Errorf("form while limited: %d", g.status)
	}
	e.clk.Advance(time.Minute)
	if r := e.post("/subscribe?lang=en", form); r.status != http.StatusOK {
		t.Errorf("after a minute: %d", r.status)
	}
}

// New refuses a site without any one of the parts production wires,
// naming it: no page has a branch for a part that is not there.
func TestNewNamesAMissingPart(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	full := func() public.Options {
		return public.Options{Notices: e.st.Notices(), Crises: e.st.Crises(), Catalog: e.cat, Office: e.st.Office(), Live: live.NewBroker(),
			Signup: signup(e.st), CanSend: everyChannel, BaseURL: baseURL}
	}
	if _, err := public.New(full()); err != nil {
		t.Fatalf("with every part: %v", err)
	}
	cases := []struct {
		name string
		drop func(*public.Options)
	}{
		{"Notices", func(o *public.Options) { o.Notices = nil }},
		{"Crises", func(o *public.Options) { o.Crises = nil }},
		{"Catalog", func(o *public.Options) { o.Catalog = nil }},
		{"Office", func(o *public.Options) { o.Office = nil }},
		{"Live", func(o *public.Options) { o.Live = nil }},
		{"Signup.Service", func(o *public.Options) { o.Signup.Service = nil }},
		{"Signup.CheckURL", func(o *public.Options) { o.Signup.CheckURL = nil }},
		{"Signup.NewSecret", func(o *public.Options) { o.Signup.NewSecret = nil }},
		{"CanSend", func(o *public.Options) { o.CanSend = nil }},
	}
	for _, c := range cases {
		o := full()
		c.drop(&o)
		if _, err := public.New(o); err == nil || !strings.Contains(err.Error(), c.name+" is required") {
			t.Errorf("without %s: %v", c.name, err)
		}
	}
}

func TestSubscribeRoutesListed(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	want := map[string]bool{"/subscribe": false, "/subscribe/confirm": false, "/subscribe/code": false, "/unsubscribe/{token}": false}
	for _, rt := range e.pub.Routes() {
		if _, ok := want[rt.Pattern]; ok {
			want[rt.Pattern] = rt.Public && rt.Method == http.MethodGet
		}
	}
	for p, ok := range want {
		if !ok {
			t.Errorf("GET %s is not listed as a public route", p)
		}
	}
}
