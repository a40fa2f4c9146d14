package public_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/public"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

func TestSubscribeByEmail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := newSubEnv(t, engine, nil)
		form := url.Values{"channel": {"email"}, "address": {"Ann@Example.ORG"}, "language": {"zh-Hans"},
			"category": {"natural_disaster", "public_health"}, "point": {"22.28,114.16"}}
		r := e.post("/subscribe?lang=en", form)
		if r.status != http.StatusOK || !strings.Contains(r.body, e.tr("en", "subscribe.sent.link", "Address", "Ann@example.org")) {
			t.Fatalf("sign-up: %d\n%s", r.status, r.body)
		}
		noKeys(t, "sent page", r.body)
		sub := e.subscriberAt(channel.Email, "ann@example.org")
		if sub.Status != subscriber.Pending || sub.Language != "zh-Hans" || sub.Source != subscriber.FromPublic ||
			!slices.Equal(sub.Categories, []catalog.Category{catalog.NaturalDisaster, catalog.PublicHealth}) ||
			sub.Area.Point == nil || sub.Area.Point.Lat != 22.28 {
			t.Errorf("stored %+v", sub)
		}
		secrets := e.confirmations(sub.ID)
		if len(secrets) != 1 || secrets[0] == "" {
			t.Fatalf("confirmation jobs %q", secrets)
		}

		// A mail scanner fetching the link confirms nothing.
		g := e.get("/subscribe/confirm?lang=en&token=" + url.QueryEscape(secrets[0]))
		if g.status != http.StatusOK || !strings.Contains(g.body, `name="token" value="`+esc(secrets[0])+`"`) ||
			!strings.Contains(g.body, `method="post" action="/subscribe/confirm?lang=en"`) {
			t.Fatalf("confirm page: %d\n%s", g.status, g.body)
		}
		if got := e.subscriberAt(channel.Email, "ann@example.org"); got.Status != subscriber.Pending {
			t.Fatalf("a GET confirmed: %s", got.Status)
		}
		if g.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(g.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("confirm page headers %v", g.header)
		}

		p := e.post("/subscribe/confirm?lang=en", url.Values{"token": {secrets[0]}})
		done := e.subscriberAt(channel.Email, "ann@example.org")
		if p.status != http.StatusOK || done.Status != subscriber.Active {
			t.Fatalf("confirm: %d, %s\n%s", p.status, done.Status, p.body)
		}
		for _, want := range []string{e.tr("en", "subscribe.done.title"), e.tr("en", "subscribe.done.unsubscribe"), `href="/unsubscribe/` + done.Token + `"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("confirmed page lacks %q", want)
			}
		}
		if again := e.post("/subscribe/confirm?lang=en", url.Values{"token": {secrets[0]}}); again.status != http.StatusNotFound ||
			!strings.Contains(again.body, e.tr("en", "subscribe.invalid.text")) {
			t.Errorf("a used link: %d\n%s", again.status, again.body)
		}
		for _, bad := range []url.Values{{"token": {"no-such-token"}}, {}} {
			if r := e.post("/subscribe/confirm?lang=en", bad); r.status != http.StatusNotFound {
				t.Errorf("token %v: %d", bad, r.status)
			}
		}
		if r := e.get("/subscribe/confirm?lang=en"); r.status != http.StatusNotFound {
			t.Errorf("confirm page without a token: %d", r.status)
		}

		// The address is active: the same answer as for a new one, and
		// nothing more is sent.
		if same := e.post("/subscribe?lang=en", form); same.status != r.status || same.body != r.body {
			t.Errorf("an active address is answered differently:\n%s\n---\n%s", same.body, r.body)
		}
		if n := len(e.confirmations(sub.ID)); n != 1 {
			t.Errorf("%d confirmations for an active address", n)
		}
	})
}

func TestSubscribeWebhookShowsSecretOnce(t *testing.T) {
	t.Parallel()
	e := newSubEnv(t, store.SQLite, nil)
	form := url.Values{"channel": {"webhook"}, "address": {"https://203.0.113.7/hook"}, "language": {"en"}}
	r := e.post("/subscribe?lang=en", form)
	sub := e.subscriberAt(channel.Webhook, "https://203.0.113.7/hook")
	if r.status != http.StatusOK || !strings.HasPrefix(sub.Secret, subscriber.SecretPrefix) ||
		!strings.Contains(r.body, `<code class="secret">`+esc(sub.Secret)+`</code>`) {
		t.Fatalf("webhook sign-up: %d, secret %q\n%s", r.status, sub.Secret, r.body)
	}
	if strings.Contains(r.body, `hreflang=`) {
		t.Error("the page with the secret links to other languages, which would lose it")
	}
	secrets := e.confirmations(sub.ID)
	if len(secrets) != 1 {
		t.Fatalf("confirmations %q", secrets)
	}
	if p := e.post("/subscribe/confirm", url.Values{"token": {secrets[0]}}); p.status != http.StatusOK {
		t.Fatalf("confirm: %d", p.status)
	}
	again := e.post("/subscribe?lang=en", form)
	if again.status != http.StatusOK || strings.Contains(again.body, subscriber.SecretPrefix) {
		t.Errorf("an active webhook's secret is shown again: %d\n%s", again.status, again.body)
	}
}

func TestSubscribeBySMSCode(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := newSubEnv(t, engine, nil)
		r := e.post("/subscribe?lang=en", url.Values{"channel": {"sms"}, "address": {"+852 9123 4567"}, "language": {"en"}})
		if r.status != http.StatusOK || !strings.Contains(r.body, e.tr("en", "subscribe.sent.code", "Address", "+85291234567")) ||
			!strings.Contains(r.body, `action="/subscribe/code?lang=en"`) || !strings.Contains(r.body, `name="address" value="`+esc("+85291234567")+`"`) {
			t.Fatalf("SMS sign-up: %d\n%s", r.status, r.body)
		}
		sub := e.subscriberAt(channel.SMS, "+85291234567")
		codes := e.confirmations(sub.ID)
		if len(codes) != 1 || len(codes[0]) != subscriber.CodeDigits {
			t.Fatalf("codes %q", codes)
		}
		wrong := "000000"
		if codes[0] == wrong {
			wrong = "111111"
		}
		w := e.post("/subscribe/code?lang=en", url.Values{"address": {"+85291234567"}, "code": {wrong}})
		if w.status != http.StatusUnprocessableEntity || !strings.Contains(w.body,
			`id="code-error">`+e.tr("en", "subscribe.err.code_wrong", "Count", subscriber.MaxCodeTries-1)+`</strong>`) {
			t.Fatalf("wrong code: %d\n%s", w.status, w.body)
		}
		if zh := e.post("/subscribe/code?lang=zh-Hant", url.Values{"address": {"+85291234567"}, "code": {wrong}}); !strings.Contains(zh.body,
			e.tr("zh-Hant", "subscribe.err.code_wrong", "Count", subscriber.MaxCodeTries-2)) {
			t.Errorf("wrong code in zh-Hant:\n%s", zh.body)
		}
		if b := e.post("/subscribe/code?lang=en", url.Values{"address": {"12"}, "code": {""}}); b.status != http.StatusUnprocessableEntity ||
			!strings.Contains(b.body, `id="address-error">`+e.tr("en", "subscribe.err.phone")) ||
			!strings.Contains(b.body, `id="code-error">`+e.tr("en", "subscribe.err.code_required")) {
			t.Errorf("bad number, no code: %d\n%s", b.status, b.body)
		}
		if got := e.subscriberAt(channel.SMS, "+85291234567"); got.Status != subscriber.Pending {
			t.Fatalf("wrong codes activated it: %s", got.Status)
		}
		ok := e.post("/subscribe/code?lang=en", url.Values{"address": {"+852 9123-4567"}, "code": {codes[0]}})
		done := e.subscriberAt(channel.SMS, "+85291234567")
		if ok.status != http.StatusOK || done.Status != subscriber.Active || !strings.Contains(ok.body, e.tr("en", "subscribe.done.unsubscribe_sms")) {
			t.Fatalf("right code: %d, %s\n%s", ok.status, done.Status, ok.body)
		}
		if v := e.post("/subscribe/code?lang=en", url.Values{"address": {"+85291234567"}, "code": {codes[0]}}); v.status != http.StatusUnprocessableEntity ||
			!strings.Contains(v.body, e.tr("en", "subscribe.err.code_void")) {
			t.Errorf("a used code: %d\n%s", v.status, v.body)
		}
		if g := e.get("/subscribe/code?lang=en&address=%2B85291234567"); g.status != http.StatusOK || !strings.Contains(g.body, `value="`+esc("+85291234567")+`"`) {
			t.Errorf("code form: %d\n%s", g.status, g.body)
		}
	})
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := newSubEnv(t, engine, nil)
		sub := e.active(channel.Email, "bo@example.org")

		g := e.get("/unsubscribe/" + sub.Token + "?lang=en")
		if g.status != http.StatusOK || strings.Count(g.body, "<button") != 1 ||
			!strings.Contains(g.body, `method="post" action="/unsubscribe/`+sub.Token+`?lang=en"`) {
			t.Fatalf("unsubscribe page: %d\n%s", g.status, g.body)
		}
		if got := e.subscriberAt(channel.Email, "bo@example.org"); got.Status != subscriber.Active {
			t.Fatalf("a GET unsubscribed: %s", got.Status)
		}

		// RFC 8058: the mail client posts with no cookie, no token of the
		// form and, from a web mail, another origin.
		oneClick := func(token string, header ...string) response {
			return e.do(http.MethodPost, "/unsubscribe/"+token, strings.NewReader("List-Unsubscribe=One-Click"),
				append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
		}
		r := oneClick(sub.Token, "Origin", "https://mail.example.net", "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusOK || e.subscriberAt(channel.Email, "bo@example.org").Status != subscriber.Unsubscribed {
			t.Fatalf("one-click: %d\n%s", r.status, r.body)
		}
		if again := oneClick(sub.Token); again.status != http.StatusOK {
			t.Errorf("a second one-click: %d", again.status)
		}
		if u := oneClick("no-such-token"); u.status != http.StatusNotFound || !strings.Contains(u.body, e.tr("zh-Hant", "unsubscribe.invalid.text")) {
			t.Errorf("unknown token: %d\n%s", u.status, u.body)
		}

		// The page's own button.
		other := e.active(channel.SMS, "+85261234567")
		b := e.post("/unsubscribe/"+other.Token+"?lang=en", url.Values{"List-Unsubscribe": {"One-Click"}})
		if b.status != http.StatusOK || !strings.Contains(b.body, e.tr("en", "unsubscribe.done.title")) ||
			e.subscriberAt(channel.SMS, "+85261234567").Status != subscriber.Unsubscribed {
			t.Errorf("button: %d\n%s", b.status, b.body)
		}
	})
}

func TestSMSInboundStop(t *testing.T) {
	t.Parallel()
	const token = "inbound-3f9a"
	for _, format := range []string{"generic", "twilio"} {
		e := newSubEnv(t, store.SQLite, func(o *public.Options) { o.SMSInboundToken, o.SMSFormat = token, format })
		e.active(channel.SMS, "+85291234567")
		e.active(channel.SMS, "+85261234567")
		reply := func(tok, from, text string) response {
			f := url.Values{"from": {from}, "text": {text}}
			if format == "twilio" {
				f = url.Values{"From": {from}, "Body": {text}}
			}
			return e.do(http.MethodPost, "/sms/inbound/"+tok, strings.NewReader(f.Encode()),
				"Content-Type", "application/x-www-form-urlencoded")
		}
		status := func(addr string) subscriber.Status { return e.subscriberAt(channel.SMS, addr).Status }

		if r := reply("wrong", "+85291234567", "STOP"); r.status != http.StatusNotFound || status("+85291234567") != subscriber.Active {
			t.Errorf("%s: wrong token: %d, %s", format, r.status, status("+85291234567"))
		}
		if r := reply(token, "+85291234567", "When is the shelter open?"); r.status != http.StatusOK || status("+85291234567") != subscriber.Active {
			t.Errorf("%s: other text: %d, %s", format, r.status, status("+85291234567"))
		}
		r := reply(token, "+852 9123 4567", " stop. ")
		if r.status != http.StatusOK || status("+85291234567") != subscriber.Unsubscribed {
			t.Errorf("%s: STOP: %d %s, %s", format, r.status, r.body, status("+85291234567"))
		}
		if ct := r.header.Get("Content-Type"); format == "twilio" && (!strings.HasPrefix(ct, "text/xml") || !strings.Contains(r.body, "<Response>")) {
			t.Errorf("twilio answer %q %s", ct, r.body)
		}
		if status("+85261234567") != subscriber.Active {
			t.Errorf("%s: STOP from one number stopped another", format)
		}
		if r := reply(token, "", "STOP"); r.status != http.StatusBadRequest {
			t.Errorf("%s: no sender: %d", format, r.status)
		}
	}
	off := newSubEnv(t, store.SQLite, nil)
	off.active(channel.SMS, "+85291234567")
	r := off.do(http.MethodPost, "/sms/inbound/x", strings.NewReader("from=%2B85291234567&text=STOP"), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != http.StatusNotFound || off.subscriberAt(channel.SMS, "+85291234567").Status != subscriber.Active {
		t.Errorf("no token configured: %d", r.status)
	}
}
