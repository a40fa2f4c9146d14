package subscribers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/subscriber"
)

// An imported webhook row keeps the secret its file gives, or gets one
// made, which the report hands out once: without it the receiver could
// never check our signatures.
func TestImportWebhookSecrets(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{NoStart: true})
	// A webhook already there keeps its secret: its row makes none.
	e.Call("admin", "POST", "/api/v1/subscribers", `{"channel":"webhook","address":"http://10.1.2.3/known"}`, 201)
	known := e.SubscriberAt("webhook", "http://10.1.2.3/known")

	given, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	bare := strings.TrimPrefix(given, subscriber.SecretPrefix)
	other, _ := webhook.NewSecret()
	file := "channel,address,secret\n" +
		"webhook,http://10.1.2.3/given," + given + "\n" + // line 2
		"webhook,http://10.1.2.3/made,\n" + // 3
		"webhook,http://10.1.2.3/bad,whsec_c2hvcnQ=\n" + // 4: too short
		"email,ann@example.org," + other + "\n" + // 5: not a webhook
		"webhook,http://10.1.2.3/known,\n" + // 6: updated, secret kept
		"webhook,http://10.1.2.3/bare," + bare + "\n" // 7: without its prefix

	res := e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", []byte(file))
	body := []byte(res.Body)
	if res.Status != http.StatusOK {
		t.Fatalf("import: %d %s", res.Status, body)
	}
	var rep subscriber.ImportReport
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 6 || rep.Imported != 3 || rep.Updated != 1 || len(rep.Rejected) != 2 {
		t.Fatalf("report %s", body)
	}
	for i, line := range []int{4, 5} {
		if r := rep.Rejected[i]; r.Line != line || r.Field != "secret" || r.Reason == "" {
			t.Errorf("rejected[%d] = %+v, want line %d, field secret", i, r, line)
		}
	}
	if !strings.Contains(rep.Rejected[0].Reason, "too short") || !strings.Contains(rep.Rejected[1].Reason, "webhook") {
		t.Errorf("reasons %+v", rep.Rejected)
	}

	made := e.SubscriberAt("webhook", "http://10.1.2.3/made")
	if _, err := webhook.ParseSecret(made.Secret); err != nil || !strings.HasPrefix(made.Secret, subscriber.SecretPrefix) {
		t.Errorf("made secret %q: %v", made.Secret, err)
	}
	want := []subscriber.GeneratedSecret{{Line: 3, Address: "http://10.1.2.3/made", Secret: made.Secret}}
	if len(rep.Secrets) != 1 || rep.Secrets[0] != want[0] {
		t.Errorf("secrets %+v, want %+v", rep.Secrets, want)
	}
	// Secrets the file gave are not sent back.
	if bytes.Contains(body, []byte(bare)) || bytes.Contains(body, []byte(other)) {
		t.Errorf("the report repeats a given secret: %s", body)
	}
	stored := []struct{ address, secret string }{
		{"http://10.1.2.3/given", given},
		{"http://10.1.2.3/bare", given},
		{"http://10.1.2.3/known", known.Secret},
	}
	for _, s := range stored {
		if got := e.SubscriberAt("webhook", s.address); got.Secret != s.secret {
			t.Errorf("%s has secret %q, want %q", s.address, got.Secret, s.secret)
		}
	}
	if subs, _, err := e.Store.Subscribers().List(context.Background(), subscriber.Filter{Query: "/bad"}); err != nil || len(subs) != 0 {
		t.Errorf("a row with a bad secret was imported: %+v %v", subs, err)
	}
}
