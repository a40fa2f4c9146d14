package public_test

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/live"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

// baseURL is where the test site says the public reaches it: a different
// origin from the test server's own.
const baseURL = "https://alerts.example.org"

// subEnv is a public site with subscriptions over a real store.
type subEnv struct {
	t   testing.TB
	st  *store.Store
	clk *clock.Fake
	cat *i18n.Catalog
	pub *public.Site
	srv *httptest.Server
}

// newSubEnv builds the site on engine; edit changes the options first.
// The rate limit is raised out of the way unless edit sets it.
func newSubEnv(t testing.TB, engine store.Engine, edit func(*public.Options)) *subEnv {
	t.Helper()
	e := &subEnv{t: t, clk: clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))}
	e.st = storetest.OpenWith(t, engine, storetest.Options{Clock: e.clk})
	var err error
	if e.cat, err = i18n.New(); err != nil {
		t.Fatal(err)
	}
	// Tests other than the rate limit's send more forms than a person would.
	o := public.Options{Notices: e.st.Notices(), Crises: e.st.Crises(), Catalog: e.cat, Office: e.st.Office(), BaseURL: baseURL, Clock: e.clk, SubscribeRate: 1000,
		Live: live.NewBroker(), Signup: signup(e.st), CanSend: everyChannel}
	if edit != nil {
		edit(&o)
	}
	if e.pub, err = public.New(o); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	e.pub.Register(mux)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request without cookies; header holds name–value pairs. Every
// answer of the subscription pages must forbid caching.
func (e *subEnv) do(method, path string, body io.Reader, header ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

func (e *subEnv) get(path string, header ...string) response {
	e.t.Helper()
	return e.do(http.MethodGet, path, nil, header...)
}

// post sends a form as a browser on the site's own page would: with an
// Origin naming the site.
func (e *subEnv) post(path string, form url.Values, header ...string) response {
	e.t.Helper()
	h := append([]string{"Content-Type", "application/x-www-form-urlencoded", "Origin", e.srv.URL}, header...)
	return e.do(http.MethodPost, path, strings.NewReader(form.Encode()), h...)
}

// tr is the text of key in lang, as a page writes it.
func (e *subEnv) tr(lang, key string, args ...any) string {
	return esc(e.cat.For(lang).T(key, args...))
}

// esc is s as html/template writes it in text.
func esc(s string) string {
	var b bytes.Buffer
	template.Must(template.New("").Parse("{{.}}")).Execute(&b, s)
	return b.String()
}

// subscriberAt finds the stored subscriber of an address.
func (e *subEnv) subscriberAt(ch, address string) subscriber.Subscriber {
	e.t.Helper()
	subs, _, err := e.st.Subscribers().List(context.Background(), subscriber.Filter{Channel: ch, Query: address})
	if err != nil || len(subs) != 1 {
		e.t.Fatalf("subscriber %s %s: %v %+v", ch, address, err, subs)
	}
	return subs[0]
}

// count is how many subscribers are stored.
func (e *subEnv) count() int {
	e.t.Helper()
	_, n, err := e.st.Subscribers().List(context.Background(), subscriber.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// confirmations returns the secrets of the confirmation jobs enqueued for
// a subscriber, oldest first.
func (e *subEnv) confirmations(id int64) []string {
	e.t.Helper()
	return storetest.Confirmations(e.t, e.st, id)
}

// active adds an active subscriber on staff's word.
func (e *subEnv) active(ch, address string) subscriber.Subscriber {
	e.t.Helper()
	s, err := e.st.Subscribers().Create(context.Background(), authz.System(authz.SourceCLI, "test"),
		subscriber.Subscriber{Channel: ch, Address: address, Language: "en", Source: subscriber.FromStaff})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// noKeys fails when a page shows a message key instead of its text.
func noKeys(t *testing.T, name, body string) {
	t.Helper()
	for _, k := range []string{`"subscribe.`, `>subscribe.`, `>unsubscribe.`, "public.", "category."} {
		if strings.Contains(body, k) {
			t.Errorf("%s shows a message key %q", name, k)
		}
	}
}

func TestSubscribeFormInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	for _, lang := range i18n.Languages {
		r := e.get("/subscribe?lang=" + lang)
		if r.status != http.StatusOK || !strings.Contains(r.body, `<html lang="`+lang+`">`) {
			t.Fatalf("%s: %d\n%s", lang, r.status, r.body)
		}
		for _, key := range []string{"subscribe.title", "subscribe.channel.sms", "subscribe.field.email", "subscribe.field.phone", "category.public_health",
			"language.zh-Hans", "subscribe.submit"} {
			if want := e.tr(lang, key); !strings.Contains(r.body, want) {
				t.Errorf("%s: the form lacks %s %q", lang, key, want)
			}
		}
		for _, input := range []string{`name="channel" value="email" checked`, `name="channel" value="webhook"`,
			`name="language" value="` + lang + `" checked`, `name="category" value="natural_disaster"`,
			`type="email" id="email" name="email"`, `inputmode="email" autocomplete="email"`,
			`type="tel" id="phone" name="phone"`, `inputmode="tel" autocomplete="tel"`,
			`type="url" id="url" name="url"`, `inputmode="url" autocomplete="url"`,
			`<select id="district" name="district"`, `<option value="sha-tin">`, `action="/subscribe?lang=` + lang + `"`} {
			if !strings.Contains(r.body, input) {
				t.Errorf("%s: the form lacks %s", lang, input)
			}
		}
		noKeys(t, "form "+lang, r.body)
	}
	if r := e.get("/subscribe", "Accept-Language", "zh-CN,zh;q=0.9"); !strings.Contains(r.body, `<html lang="zh-Hans">`) {
		t.Errorf("Accept-Language zh-CN: %.200s", r.body)
	}
	r := e.get("/subscribe/confirm?token=abc&lang=en")
	if !strings.Contains(r.body, `href="/subscribe/confirm?lang=zh-Hant&amp;token=abc"`) {
		t.Errorf("the language links drop the token:\n%s", r.body)
	}
}

func TestSubscribeLinkOnEveryPage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, p := range []string{"/", "/?lang=en", path("/notices/%d", s.correction.ID), path("/crises/%d", s.crisis.ID), "/notices/999999"} {
		if r := s.get(p); !strings.Contains(r.body, `<footer class="site">`) || !strings.Contains(r.body, `href="/subscribe"`) {
			t.Errorf("%s has no link to /subscribe:\n%s", p, r.body)
		}
	}
	// The link leads to the form.
	if r := s.get("/subscribe?lang=en"); r.status != http.StatusOK || !strings.Contains(r.body, `name="channel"`) {
		t.Errorf("/subscribe: %d\n%s", r.status, r.body)
	}
	e := newSubEnv(t, store.SQLite, nil)
	for _, p := range []string{"/subscribe", "/subscribe/code", "/subscribe/confirm?token=x", "/unsubscribe/x"} {
		if r := e.get(p); !strings.Contains(r.body, `href="/subscribe"`) {
			t.Errorf("%s has no link to /subscribe", p)
		}
	}
}

func TestSubscribeFieldErrors(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	cases := []struct {
		name  string
		form  url.Values
		field string // the input beside which the message shows
		key   string
	}{
		{"bad e-mail", url.Values{"channel": {"email"}, "email": {"ann@@example"}}, "email", "subscribe.err.email"},
		{"no address", url.Values{"channel": {"email"}}, "email", "subscribe.err.address_required"},
		{"bad phone", url.Values{"channel": {"sms"}, "phone": {"9123 4567"}}, "phone", "subscribe.err.phone"},
		{"phone with letters", url.Values{"channel": {"sms"}, "phone": {"call me"}}, "phone", "subscribe.err.phone"},
		{"not a URL", url.Values{"channel": {"webhook"}, "url": {"ftp://example.org/x"}}, "url", "subscribe.err.url"},
		{"private webhook URL", url.Values{"channel": {"webhook"}, "url": {"https://10.0.0.1/hook"}}, "url", "subscribe.err.url_refused"},
		{"loopback webhook URL", url.Values{"channel": {"webhook"}, "url": {"http://127.0.0.1:8080/hook"}}, "url", "subscribe.err.url_refused"},
		{"no channel", url.Values{"email": {"ann@example.org"}}, "channel", "subscribe.err.channel"},
		{"unknown channel", url.Values{"channel": {"pigeon"}, "email": {"loft@example.org"}}, "channel", "subscribe.err.channel"},
		{"unknown language", url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "language": {"fr"}}, "language", "subscribe.err.language"},
		{"unknown category", url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "category": {"weather"}}, "categories", "subscribe.err.categories"},
		{"point off the globe", url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "point": {"91,200"}}, "district", "subscribe.err.point"},
		{"unknown district", url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "district": {"atlantis"}}, "district", "subscribe.err.district_unknown"},
		{"district typed as a name", url.Values{"channel": {"email"}, "email": {"ann@example.org"}, "district": {strings.Repeat("區", 101)}}, "district", "subscribe.err.district_unknown"},
		{"old form's address field", url.Values{"channel": {"email"}, "address": {"ann@@example"}}, "email", "subscribe.err.email"},
	}
	for _, c := range cases {
		for _, lang := range []string{"en", "zh-Hant"} {
			r := e.post("/subscribe?lang="+lang, c.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s (%s): status %d", c.name, lang, r.status)
				continue
			}
			beside := `id="` + c.field + `-error">` + e.tr(lang, c.key) + `</strong>`
			if !strings.Contains(r.body, beside) {
				t.Errorf("%s (%s): no %q beside %s:\n%s", c.name, lang, e.tr(lang, c.key), c.field, r.body)
			}
			if !strings.Contains(r.body, `href="#`+c.field+`"`) || !strings.Contains(r.body, `role="alert"`) {
				t.Errorf("%s (%s): the summary does not lead to %s", c.name, lang, c.field)
			}
			if a := c.form.Get("email") + c.form.Get("phone") + c.form.Get("url") + c.form.Get("address"); a != "" && !strings.Contains(r.body, `value="`+esc(a)+`"`) {
				t.Errorf("%s (%s): the address is not filled in again", c.name, lang)
			}
			if ch := c.form.Get("channel"); ch == "sms" && !strings.Contains(r.body, `value="sms" checked`) {
				t.Errorf("%s (%s): the channel is not chosen again", c.name, lang)
			}
			noKeys(t, c.name, r.body)
		}
	}
	if n := e.count(); n != 0 {
		t.Errorf("%d subscribers stored from invalid forms", n)
	}
	// A wrong number keeps every other answer, the other channels' too.
	r := e.post("/subscribe?lang=en", url.Values{"channel": {"sms"}, "phone": {"12"}, "email": {"ann@example.org"}, "district": {"sha-tin"},
		"category": {"accident", "public_health"}, "language": {"zh-Hans"}})
	for _, kept := range []string{`value="accident" checked`, `value="public_health" checked`, `value="zh-Hans" checked`,
		`value="sms" checked`, `value="12"`, `value="ann@example.org"`, `value="sha-tin" selected`} {
		if !strings.Contains(r.body, kept) {
			t.Errorf("the form lost %s", kept)
		}
	}
}

func TestSubscribeEscapesWhatWasSent(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	r := e.post("/subscribe?lang=en", url.Values{"channel": {"email"}, "email": {xss}, "point": {xss}, "district": {xss},
		"category": {xss}, "language": {`"><script>alert(2)</script>`}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.status)
	}
	if strings.Contains(r.body, "<script>") {
		t.Errorf("a script tag is re-rendered as markup:\n%s", r.body)
	}
	if !strings.Contains(r.body, `value="&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Errorf("the address is not shown back escaped:\n%s", r.body)
	}
	c := e.post("/subscribe/code?lang=en", url.Values{"address": {xss}, "code": {"1"}})
	if c.status != http.StatusUnprocessableEntity || strings.Contains(c.body, "<script>") {
		t.Errorf("code form: %d, script shown:\n%s", c.status, c.body)
	}
	if u := e.get("/unsubscribe/%3Cscript%3Ealert(1)%3C%2Fscript%3E"); strings.Contains(u.body, "<script>") {
		t.Errorf("unsubscribe page shows a script from its path:\n%s", u.body)
	}
	if u := e.get("/subscribe/confirm?token=" + url.QueryEscape(xss)); strings.Contains(u.body, "<script>") {
		t.Errorf("confirm page shows a script from its token:\n%s", u.body)
	}
}
