package subscribers_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/subscribers"
	"crisisdesk/internal/app"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/config"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

const subscriptionsPath = "/api/v1/public/subscriptions"

func TestPublicSubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		cases := []struct {
			name, body string
			want       int
			loc        string
			address    string // as answered
			confirm    string
		}{
			// This office has no mail server or SMS gateway: nothing is
			// said to be sent (TestSubscribeSaysWhatWasSent has them).
			{"e-mail", `{"channel":"email","address":"Ann@Example.ORG","language":"en","categories":["natural_disaster"]}`, 202, "", "Ann@example.org", "not sent"},
			{"SMS with spaces, area", `{"channel":"sms","address":"+852 9123 4567","point":"22.28,114.16","district":"灣仔區"}`, 202, "", "+85291234567", "not sent"},
			{"webhook on a public address", `{"channel":"webhook","address":"https://203.0.113.7/hook"}`, 202, "", "https://203.0.113.7/hook", "link sent"},
			{"webhook on loopback", `{"channel":"webhook","address":"http://127.0.0.1:8080/hook"}`, 422, "body.address", "", ""},
			{"webhook on a private address", `{"channel":"webhook","address":"https://10.0.0.1/hook"}`, 422, "body.address", "", ""},
			{"webhook on link-local", `{"channel":"webhook","address":"http://169.254.169.254/latest"}`, 422, "body.address", "", ""},
			{"ftp webhook", `{"channel":"webhook","address":"ftp://example.org/hook"}`, 422, "body.address", "", ""},
			{"invalid e-mail", `{"channel":"email","address":"not-an-email"}`, 422, "body.address", "", ""},
			{"phone not in E.164", `{"channel":"sms","address":"91234567"}`, 422, "body.address", "", ""},
			{"unknown channel", `{"channel":"pigeon","address":"loft 3"}`, 422, "body.channel", "", ""},
			{"no address", `{"channel":"email"}`, 422, "body.address", "", ""},
			{"language not offered", `{"channel":"email","address":"bo@example.org","language":"fr"}`, 422, "body.language", "", ""},
			{"unknown category", `{"channel":"email","address":"bo@example.org","categories":["weather"]}`, 422, "body.categories", "", ""},
			{"point off the globe", `{"channel":"email","address":"bo@example.org","point":"91,200"}`, 422, "body.point", "", ""},
			{"malformed JSON", `{"channel":`, 400, "body", "", ""},
		}
		for _, c := range cases {
			w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, c.body)
			if w.Status != c.want {
				t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
				continue
			}
			if w.Status >= 400 {
				if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
					t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
				}
				continue
			}
			got := apptest.Decode[subscribers.SubscriptionAccepted](t, w)
			if got.Status != "pending" || got.Address != c.address || got.Confirm != c.confirm {
				t.Errorf("%s: %s", c.name, w.Body)
			}
			want := []string{"address", "channel", "confirm", "status"}
			if got.Channel == "webhook" {
				want = []string{"address", "channel", "confirm", "secret", "status"}
			}
			if keys := apptest.JSONKeys(t, w); !slices.Equal(keys, want) {
				t.Errorf("%s: keys %v, want %v", c.name, keys, want)
			}
			s := e.SubscriberAt(got.Channel, got.Address)
			if s.Status != subscriber.Pending || s.Source != subscriber.FromPublic || len(e.Confirmations(s.ID)) != 1 {
				t.Errorf("%s: stored %+v", c.name, s)
			}
			if got.Channel == "webhook" && (!strings.HasPrefix(got.Secret, "whsec_") || got.Secret != s.Secret) {
				t.Errorf("%s: secret %q, stored %q", c.name, got.Secret, s.Secret)
			}
		}
		sms := e.SubscriberAt("sms", "+85291234567")
		if sms.Area.Point == nil || sms.Area.District != "灣仔區" || sms.Language != "zh-Hant" {
			t.Errorf("SMS subscriber %+v", sms)
		}
	})
}

func TestConfirmAndUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		post := func(path, body string, want int) apptest.Response {
			t.Helper()
			w := e.Do(apptest.Anonymous, "POST", subscriptionsPath+path, body)
			if w.Status != want {
				t.Fatalf("POST %s %s = %d, want %d; %s", path, body, w.Status, want, w.Body)
			}
			return w
		}
		first := post("", `{"channel":"email","address":"ann@example.org"}`, 202).Body
		ann := e.SubscriberAt("email", "ann@example.org")
		tokens := e.Confirmations(ann.ID)
		if len(tokens) != 1 {
			t.Fatalf("confirmation jobs: %v", tokens)
		}
		got := apptest.Decode[subscribers.SubscriptionState](t, post("/confirm", `{"token":"`+tokens[0]+`"}`, 200))
		if got != (subscribers.SubscriptionState{Status: "active", Channel: "email", Address: "ann@example.org"}) {
			t.Errorf("confirmed: %+v", got)
		}
		post("/confirm", `{"token":"`+tokens[0]+`"}`, 404) // used up

		// Subscribing an active address again answers as the first time
		// did and sends nothing.
		if again := post("", `{"channel":"email","address":"ann@example.org"}`, 202).Body; again != first {
			t.Errorf("a second subscription answered %s, the first %s", again, first)
		}
		if n := len(e.Confirmations(ann.ID)); n != 1 {
			t.Errorf("an active address got %d confirmations", n)
		}

		// SMS: a code, tried wrong then right.
		post("", `{"channel":"sms","address":"+85291234567"}`, 202)
		sms := e.SubscriberAt("sms", "+85291234567")
		code := e.Confirmations(sms.ID)[0]
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if p := apptest.WantProblem(t, post("/confirm", `{"address":"+85291234567","code":"`+wrong+`"}`, 422)); !p.Has("body.code") {
			t.Errorf("wrong code: %+v", p)
		}
		got = apptest.Decode[subscribers.SubscriptionState](t, post("/confirm", `{"address":"+852 9123-4567","code":"`+code+`"}`, 200))
		if got.Status != "active" || got.Address != "+85291234567" {
			t.Errorf("SMS confirmed: %+v", got)
		}

		for _, c := range []struct{ body, loc string }{
			{`{}`, "body.token"},
			{`{"address":"+85291234567"}`, "body.code"},
			{`{"address":"call me","code":"123456"}`, "body.address"},
		} {
			if p := apptest.WantProblem(t, post("/confirm", c.body, 422)); !p.Has(c.loc) {
				t.Errorf("confirm %s: %+v", c.body, p)
			}
		}
		post("/confirm", `{"token":"nonsense"}`, 404)

		// Unsubscribe with the token of the link in every message.
		got = apptest.Decode[subscribers.SubscriptionState](t, post("/unsubscribe", `{"token":"`+ann.Token+`"}`, 200))
		if got.Status != "unsubscribed" || got.Address != "ann@example.org" {
			t.Errorf("unsubscribed: %+v", got)
		}
		if s := e.SubscriberAt("email", "ann@example.org"); s.Status != subscriber.Unsubscribed {
			t.Errorf("stored %+v", s)
		}
		post("/unsubscribe", `{"token":"nonsense"}`, 404)
		if p := apptest.WantProblem(t, post("/unsubscribe", `{}`, 422)); !p.Has("body.token") {
			t.Errorf("unsubscribe without token: %+v", p)
		}

		// A webhook pending again gets a new secret; once active, none.
		w1 := apptest.Decode[subscribers.SubscriptionAccepted](t, post("", `{"channel":"webhook","address":"https://203.0.113.7/in"}`, 202))
		w2 := apptest.Decode[subscribers.SubscriptionAccepted](t, post("", `{"channel":"webhook","address":"https://203.0.113.7/in"}`, 202))
		if w1.Secret == "" || w2.Secret == "" || w1.Secret == w2.Secret {
			t.Errorf("pending webhook secrets %q then %q", w1.Secret, w2.Secret)
		}
		hook := e.SubscriberAt("webhook", "https://203.0.113.7/in")
		links := e.Confirmations(hook.ID)
		post("/confirm", `{"token":"`+links[len(links)-1]+`"}`, 200)
		w3 := apptest.Decode[subscribers.SubscriptionAccepted](t, post("", `{"channel":"webhook","address":"https://203.0.113.7/in"}`, 202))
		if w3.Secret != "" || w3.Status != "pending" {
			t.Errorf("an active webhook answered %+v", w3)
		}
	})
}

func TestPublicSubscriptionsAreRateLimited(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	e := apptest.NewStaff(t, apptest.Options{NoStart: true, Clock: clk, Options: func(o *app.Options) { o.SubscribeRate = 3 }})
	from := func(addr, path, body string) apptest.Response {
		t.Helper()
		r := e.Request(apptest.Anonymous, "POST", subscriptionsPath+path, "application/json", []byte(body))
		r.RemoteAddr = addr
		return e.Serve(r)
	}
	const a, b = "198.51.100.7:4000", "[2001:db8::1]:4000"
	body := `{"channel":"email","address":"x@example.org"}`
	for i := range 3 {
		if w := from(a, "", body); w.Status != http.StatusAccepted {
			t.Fatalf("request %d: %d %s", i, w.Status, w.Body)
		}
	}
	w := from("198.51.100.7:5999", "", body) // another port, the same address
	if w.Status != http.StatusTooManyRequests || w.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d, Retry-After %q", w.Status, w.Header.Get("Retry-After"))
	}
	apptest.WantProblem(t, w)
	// Bad input counts too: it costs the server as much.
	if w := from(b, "", `{}`); w.Status != http.StatusUnprocessableEntity {
		t.Errorf("another address: %d", w.Status)
	}
	if w := from(a, "/unsubscribe", `{"token":"x"}`); w.Status != http.StatusNotFound {
		t.Errorf("another operation: %d", w.Status)
	}
	clk.Advance(time.Minute)
	if w := from(a, "", body); w.Status != http.StatusAccepted {
		t.Errorf("after a minute: %d %s", w.Status, w.Body)
	}
}

func TestOpenAPIDocumentsPublicOperations(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{NoStart: true})
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Tags        []string              `json:"tags"`
			Security    []map[string][]string `json:"security"`
			Responses   map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(e.Do(apptest.Anonymous, "GET", "/api/v1/openapi.json", "").Body), &doc); err != nil {
		t.Fatal(err)
	}
	op := doc.Paths["/public/subscriptions"]["post"]
	if op.OperationID != "subscribe" || len(op.Security) != 0 || op.Responses["202"] == nil || op.Responses["429"] == nil || op.Responses["401"] != nil {
		t.Errorf("subscribe: %+v", op)
	}
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.OperationID == "" || ids[op.OperationID] || len(op.Tags) != 1 {
				t.Errorf("%s %s: operation id %q, tags %v", method, path, op.OperationID, op.Tags)
			}
			ids[op.OperationID] = true
		}
	}
	exp := doc.Paths["/subscribers/export"]["get"]
	if !strings.Contains(string(exp.Responses["200"]), "text/csv") {
		t.Errorf("export response: %s", exp.Responses["200"])
	}
	var raw struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(e.Do(apptest.Anonymous, "GET", "/api/v1/openapi.json", "").Body), &raw); err != nil {
		t.Fatal(err)
	}
	imp := raw.Paths["/subscribers/import"]["post"].RequestBody.Content
	if _, ok := imp["text/csv"]; !ok || imp["multipart/form-data"].Schema.Properties["file"] == nil {
		t.Errorf("import request body: %+v", imp)
	}
}

// TestSignUpFormulaIsNeutralisedInTheExport is the finding: a public
// sign-up whose address is a spreadsheet formula (valid as an e-mail
// address) appeared verbatim in the subscriber export, to run when staff
// open it. Now every cell that starts a formula is written with a leading
// apostrophe, and the import reads it back as the address it was.
func TestSignUpFormulaIsNeutralisedInTheExport(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{NoStart: true})
	const evil = "=cmd|'/Ccalc'!A0@example.com"
	body, _ := json.Marshal(map[string]any{"channel": "email", "address": evil, "language": "en"})
	if w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, string(body)); w.Status != http.StatusAccepted {
		t.Fatalf("sign-up: %d %s", w.Status, w.Body)
	}
	if w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, `{"channel":"sms","address":"+852 9123 4567"}`); w.Status != http.StatusAccepted {
		t.Fatalf("sign-up: %d %s", w.Status, w.Body)
	}
	out := []byte(e.Call("admin", "GET", "/api/v1/subscribers/export", "", 200).Body)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	addresses := map[string]bool{}
	for _, row := range rows[1:] {
		addresses[row[1]] = true
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("a cell of the export runs as a formula: %q in %q", c, row)
			}
		}
	}
	if !addresses["'"+evil] || !addresses["'+85291234567"] {
		t.Errorf("export addresses %v, want both neutralised", addresses)
	}
	rep := apptest.Decode[subscriber.ImportReport](t, e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", out))
	if rep.Rows != 2 || rep.Updated+rep.Skipped != 2 || len(rep.Rejected) != 0 {
		t.Errorf("re-import of the export: %+v", rep)
	}
	if s := e.SubscriberAt("email", evil); s.Address != evil {
		t.Errorf("the address after the round trip: %q", s.Address)
	}
}

// With a mail server the e-mail subscription is told a link was sent, and
// it was; without an SMS gateway an SMS one is told nothing was sent.
func TestSubscribeSaysWhatWasSent(t *testing.T) {
	t.Parallel()
	inbox := channeltest.NewInbox(t)
	e := apptest.NewStaff(t, apptest.Options{Config: func(c *config.Config) { c.SMTPURL, c.MailFrom = inbox.URL(), "desk@example.org" }})
	for _, c := range []struct{ body, confirm string }{
		{`{"channel":"email","address":"ann@example.org"}`, "link sent"},
		{`{"channel":"sms","address":"+85291234567"}`, "not sent"},
	} {
		w := e.Do(apptest.Anonymous, "POST", subscriptionsPath, c.body)
		if w.Status != 202 {
			t.Fatalf("%s: %d %s", c.body, w.Status, w.Body)
		}
		if got := apptest.Decode[subscribers.SubscriptionAccepted](t, w); got.Confirm != c.confirm {
			t.Errorf("%s: confirm %q, want %q", c.body, got.Confirm, c.confirm)
		}
	}
	if m := inbox.WaitFor(1, time.Minute); len(m) != 1 || !strings.Contains(strings.Join(m[0].To, ","), "ann@example.org") {
		t.Errorf("confirmations sent: %+v", m)
	}
}
