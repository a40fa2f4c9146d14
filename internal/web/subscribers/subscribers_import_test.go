package subscribers_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/subscriber"
)

// stored is the subscriber of a channel and address, or the test ends.
func stored(t *testing.T, e *apptest.Env, ch, address string) subscriber.Subscriber {
	t.Helper()
	subs, _, err := e.Store.Subscribers().List(context.Background(), subscriber.Filter{Channel: ch, Query: address})
	if err != nil || len(subs) != 1 {
		t.Fatalf("subscriber %s %s: %v %+v", ch, address, err, subs)
	}
	return subs[0]
}

// An imported webhook row keeps the secret its file gives, or gets one
// made, shown on the result page once: without it the receiver could
// never check our signatures.
func TestSubscriberImportWebhookSecrets(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	e.AddSubscribers(channel.Webhook, "http://10.1.2.3/known")
	known := stored(t, e, channel.Webhook, "http://10.1.2.3/known")
	admin, _ := e.SignedIn("root", authz.Admin)

	res := admin.Get("/desk/subscribers/import")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "<code>secret</code>", `id="import-secret-hint"`)

	given, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := webhook.NewSecret()
	csv := "channel,address,secret\n" +
		"webhook,http://10.1.2.3/given," + given + "\n" + // line 2
		"webhook,http://10.1.2.3/made,\n" + // 3
		"webhook,http://10.1.2.3/bad,whsec_c2hvcnQ=\n" + // 4: too short
		"email,ann@example.org," + other + "\n" + // 5: not a webhook
		"webhook,http://10.1.2.3/known,\n" // 6: updated, keeps its secret
	res = admin.Upload("/desk/subscribers/import", "file", "list.csv", []byte(csv), nil)
	apptest.WantStatus(t, res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the secrets has Cache-Control %q", cc)
	}
	made := stored(t, e, channel.Webhook, "http://10.1.2.3/made")
	if _, err := webhook.ParseSecret(made.Secret); err != nil || !strings.HasPrefix(made.Secret, subscriber.SecretPrefix) {
		t.Fatalf("made secret %q: %v", made.Secret, err)
	}
	// A secret's "+" comes escaped; read the page as a browser shows it.
	page := res
	page.Body = html.UnescapeString(res.Body)
	apptest.WantBody(t, page, `id="report-rows">5<`, `id="report-imported">2<`, `id="report-updated">1<`, `id="report-rejected">2<`,
		`id="secrets-table"`, "Shown only this once: copy each secret to its endpoint now.",
		`<tr><td>3</td><td><code>http://10.1.2.3/made</code></td><td class="secret"><code>`+made.Secret+`</code></td></tr>`,
		`<tr><td>4</td><td><code>secret</code></td><td>webhook secret: 5 bytes is too short`,
		`<tr><td>5</td><td><code>secret</code></td><td>only a webhook row takes a secret`)
	if n := strings.Count(page.Body, `<td class="secret">`); n != 1 {
		t.Errorf("the page shows %d secrets, want the one made", n)
	}
	// Secrets the file gave are not shown back.
	if strings.Contains(page.Body, given) || strings.Contains(page.Body, other) {
		t.Error("the page repeats a secret from the file")
	}
	if got := stored(t, e, channel.Webhook, "http://10.1.2.3/given"); got.Secret != given {
		t.Errorf("given secret stored as %q, want %q", got.Secret, given)
	}
	if got := stored(t, e, channel.Webhook, "http://10.1.2.3/known"); got.Secret != known.Secret {
		t.Errorf("a known webhook's secret changed from %q to %q", known.Secret, got.Secret)
	}
	if subs, _, err := e.Store.Subscribers().List(context.Background(), subscriber.Filter{Query: "ann@"}); err != nil || len(subs) != 0 {
		t.Errorf("a row with a misplaced secret was imported: %+v %v", subs, err)
	}

	// An import that makes no secret shows no secrets table.
	res = admin.Upload("/desk/subscribers/import", "file", "list.csv", []byte(csv), nil)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="report-imported">0<`)
	if strings.Contains(res.Body, `id="secrets-table"`) {
		t.Error("a second import of the same list shows secrets")
	}
}
