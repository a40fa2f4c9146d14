package subscribers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/api/subscribers"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestWebhookEndpoints(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		own, err := webhook.NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		register := []struct {
			name, who, body string
			want            int
			loc             string
		}{
			{"partner inside the network", "commander", `{"url":"http://10.0.0.5:9000/alerts","name":"Fire services","audiences":["public","media"],"exercises":true}`, 201, ""},
			{"own secret, no name", "admin", `{"url":"https://radio.example/hook","secret":"` + own + `"}`, 201, ""},
			{"ftp", "admin", `{"url":"ftp://radio.example/hook"}`, 422, "body.url"},
			{"no url", "admin", `{"name":"x"}`, 422, "body.url"},
			{"user in the url", "admin", `{"url":"https://bob:pw@radio.example/hook"}`, 422, "body.url"},
			{"secret not base64", "admin", `{"url":"https://radio.example/hook","secret":"whsec_not base64!"}`, 422, "body.secret"},
			{"secret too short", "admin", `{"url":"https://radio.example/hook","secret":"whsec_c2hvcnQ="}`, 422, "body.secret"},
			{"unknown audience", "admin", `{"url":"https://radio.example/hook","audiences":["internal"]}`, 422, "body.audiences[0]"},
			{"observer may not", "observer", `{"url":"https://radio.example/hook"}`, 403, ""},
			{"editor may not", "editor", `{"url":"https://radio.example/hook"}`, 403, ""},
		}
		var made []subscribers.Webhook
		for _, c := range register {
			w := e.Do(c.who, "POST", "/api/v1/webhooks", c.body)
			if w.Status != c.want {
				t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
				continue
			}
			if w.Status >= 400 {
				if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
					t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
				}
				if strings.Contains(w.Body, "c2hvcnQ") {
					t.Errorf("%s: the problem repeats the secret: %s", c.name, w.Body)
				}
				continue
			}
			wh := apptest.Decode[subscribers.Webhook](t, w)
			if _, err := webhook.ParseSecret(wh.Secret); err != nil || !strings.HasPrefix(wh.Secret, "whsec_") ||
				wh.Status != "active" || w.Header.Get("Location") != fmt.Sprintf("/api/v1/webhooks/%d", wh.ID) {
				t.Errorf("%s: %s", c.name, w.Body)
			}
			made = append(made, wh)
		}
		if len(made) != 2 {
			t.Fatalf("registered %d", len(made))
		}
		fire, radio := made[0], made[1]
		if fire.Name != "Fire services" || len(fire.Audiences) != 2 || !fire.Exercises || fire.OwnerID != e.Users["commander"].ID {
			t.Errorf("fire services: %+v", fire)
		}
		if radio.Secret != own || radio.Name != "https://radio.example/hook" || len(radio.Audiences) != 1 || radio.Audiences[0] != "public" {
			t.Errorf("radio: %+v", radio)
		}

		// Listed and read with the secret masked.
		list := e.Call("commander", "GET", "/api/v1/webhooks", "", 200)
		items := apptest.Decode[subscribers.WebhookList](t, list).Items
		if len(items) != 2 || strings.Contains(list.Body, fire.Secret) || strings.Contains(list.Body, own) {
			t.Fatalf("list: %s", list.Body)
		}
		if items[0].Secret != "whsec_…"+fire.Secret[len(fire.Secret)-4:] {
			t.Errorf("masked secret %q", items[0].Secret)
		}
		got := apptest.Decode[subscribers.Webhook](t, e.Call("admin", "GET", fmt.Sprintf("/api/v1/webhooks/%d", fire.ID), "", 200))
		if got.Secret == fire.Secret || got.URL != fire.URL {
			t.Errorf("get: %+v", got)
		}
		e.Call("observer", "GET", "/api/v1/webhooks", "", 403)
		e.Call("admin", "GET", "/api/v1/webhooks/99999", "", 404)

		// Pause, resume.
		path := fmt.Sprintf("/api/v1/webhooks/%d", fire.ID)
		paused := apptest.Decode[subscribers.Webhook](t, e.Call("commander", "POST", path+"/pause", `{"reason":"maintenance until 18:00"}`, 200))
		if paused.Status != "paused" || paused.PausedReason != "maintenance until 18:00" {
			t.Errorf("paused: %+v", paused)
		}
		e.Call("commander", "POST", path+"/pause", `{}`, 409)
		e.Call("observer", "POST", path+"/pause", `{}`, 403)
		if r := apptest.Decode[subscribers.Webhook](t, e.Call("commander", "POST", path+"/resume", "", 200)); r.Status != "active" || r.PausedReason != "" {
			t.Errorf("resumed: %+v", r)
		}
		e.Call("commander", "POST", path+"/resume", "", 409)
		if r := apptest.Decode[subscribers.Webhook](t, e.Call("admin", "POST", fmt.Sprintf("/api/v1/webhooks/%d/pause", radio.ID), "", 200)); r.PausedReason == "" {
			t.Errorf("a pause without a body names no reason: %+v", r)
		}

		// Rotate: the new secret is shown once; the old one signs a day more.
		rotated := apptest.Decode[subscribers.Webhook](t, e.Call("commander", "POST", path+"/rotate", "", 200))
		if rotated.Secret == fire.Secret || !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.PreviousSecretUntil == nil ||
			rotated.PreviousSecretUntil.Before(time.Now().Add(23*time.Hour)) {
			t.Errorf("rotated: %+v", rotated)
		}
		again, _ := webhook.NewSecret()
		bare := strings.TrimPrefix(again, "whsec_")
		if r := apptest.Decode[subscribers.Webhook](t, e.Call("admin", "POST", path+"/rotate", `{"secret":"`+bare+`"}`, 200)); r.Secret != again {
			t.Errorf("rotated to a given secret without its prefix: %q, want %q", r.Secret, again)
		}
		if p := apptest.WantProblem(t, e.Call("admin", "POST", path+"/rotate", `{"secret":"`+again+`"}`, 422)); !p.Has("body.secret") {
			t.Errorf("the same secret again: %+v", p)
		}
		if p := apptest.WantProblem(t, e.Call("admin", "POST", path+"/rotate", `{"secret":"whsec_!!"}`, 422)); !p.Has("body.secret") {
			t.Errorf("a bad secret: %+v", p)
		}
		e.Call("admin", "POST", "/api/v1/webhooks/99999/rotate", `{}`, 404)
		if strings.Contains(e.Call("admin", "GET", path, "", 200).Body, again) {
			t.Error("the rotated secret is shown again")
		}

		// Gone.
		e.Call("observer", "DELETE", path, "", 403)
		e.Call("commander", "DELETE", path, "", 204)
		e.Call("commander", "GET", path, "", 404)
		e.Call("commander", "DELETE", path, "", 404)
	})
}
