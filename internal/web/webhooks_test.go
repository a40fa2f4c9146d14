package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/subscriber"
)

var shownWebhookSecret = regexp.MustCompile(`<code id="webhook-secret">(whsec_[^<]+)</code>`)

// secretShown reads the secret a page shows once, as the browser shows it.
func secretShown(t *testing.T, page string) string {
	t.Helper()
	m := shownWebhookSecret.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret shown\n%s", snippet(page))
	}
	return html.UnescapeString(m[1])
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	e := newDeskEnv(t)
	c := e.clientsFor(authz.Commander, authz.Observer)
	boss := c[authz.Commander]
	wantStatus(t, c[authz.Observer].get("/desk/webhooks"), http.StatusForbidden)
	wantStatus(t, c[authz.Observer].post("/desk/webhooks", url.Values{"url": {"https://x.example/"}}), http.StatusForbidden)
	wantBody(t, boss.get("/desk/webhooks"), `id="webhooks-empty"`, `id="webhook-audience-public" checked`, `id="nav-webhooks"`)
	if strings.Contains(c[authz.Observer].get("/desk").Body, `id="nav-webhooks"`) {
		t.Error("an observer is offered the webhooks page")
	}

	// Bad fields are named beside them.
	res := boss.post("/desk/webhooks", url.Values{"name": {"Radio"}, "url": {"ftp://radio.example"}, "secret": {"letmein"},
		"audiences": {"media", "press"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="url-error"`, `id="secret-error"`, `id="audiences-error"`, `value="Radio"`, `id="webhook-audience-media" checked`)
	if strings.Contains(res.Body, "letmein") {
		t.Error("the typed secret is written back into the page")
	}

	// Registered with a made secret, shown once; the name is escaped.
	res = boss.post("/desk/webhooks", url.Values{"name": {"<script>alert(1)</script>"}, "url": {"https://radio.example/hook"},
		"audiences": {"public", "media"}, "exercises": {"1"}})
	wantStatus(t, res, http.StatusOK)
	secret := secretShown(t, res.Body)
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("the webhook name is not escaped")
	}
	list, err := e.st.Endpoints().List(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	ep := list[0]
	if ep.Secret != secret || !ep.Exercises || len(ep.Audiences) != 2 || ep.OwnerID == 0 {
		t.Fatalf("stored %+v", ep)
	}
	res = boss.get("/desk/webhooks")
	wantBody(t, res, "&lt;script&gt;alert(1)&lt;/script&gt;", "https://radio.example/hook", "Media notices", "with exercises")
	if strings.Contains(res.Body, "<script>alert(1)") || strings.Contains(html.UnescapeString(res.Body), secret) {
		t.Error("the list shows the raw name or the secret")
	}

	// A secret of one's own is kept.
	own := "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"
	res = boss.post("/desk/webhooks", url.Values{"url": {"https://tv.example/hook"}, "secret": {own}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, `<code id="webhook-secret">`+own+`</code>`)

	// Pause with a reason, refuse a second pause, resume.
	id := strconv.FormatInt(ep.ID, 10)
	base := "/desk/webhooks/" + id
	res = boss.post(base+"/pause", url.Values{"reason": {"Radio station off air"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = boss.get(res.location())
	wantBody(t, res, "The webhook is paused", "Radio station off air", `id="webhook-`+id+`-resume"`)
	res = boss.post(base+"/pause", nil)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, `id="webhook-error"`)
	wantStatus(t, boss.post(base+"/resume", nil), http.StatusSeeOther)
	if got, _ := e.st.Endpoints().Get(context.Background(), ep.ID); got.Status != subscriber.EndpointActive {
		t.Fatalf("after resume: %s", got.Status)
	}

	// Rotate: a new secret, shown once; the old one still signs a while.
	res = boss.post(base+"/rotate", nil)
	wantStatus(t, res, http.StatusOK)
	rotated := secretShown(t, res.Body)
	if rotated == secret {
		t.Fatal("the rotated secret is the old one")
	}
	got, _ := e.st.Endpoints().Get(context.Background(), ep.ID)
	if got.Secret != rotated || got.PreviousSecret != secret {
		t.Fatalf("after rotation: secret %q previous %q", got.Secret, got.PreviousSecret)
	}

	wantStatus(t, boss.post(base+"/delete", nil), http.StatusSeeOther)
	wantStatus(t, boss.post(base+"/delete", nil), http.StatusNotFound)
	wantStatus(t, boss.post("/desk/webhooks/999999/pause", nil), http.StatusNotFound)
}
