package subscribers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/subscriber"
)

var shownWebhookSecret = regexp.MustCompile(`<code id="webhook-secret">(whsec_[^<]+)</code>`)

// secretShown reads the secret a page shows once, as the browser shows it.
func secretShown(t *testing.T, page string) string {
	t.Helper()
	m := shownWebhookSecret.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no secret shown\n%s", apptest.Snippet(page))
	}
	return html.UnescapeString(m[1])
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	c := e.ClientsFor(authz.Commander, authz.Observer)
	boss := c[authz.Commander]
	apptest.WantStatus(t, c[authz.Observer].Get("/desk/webhooks"), http.StatusForbidden)
	apptest.WantStatus(t, c[authz.Observer].PostForm("/desk/webhooks", url.Values{"url": {"https://x.example/"}}), http.StatusForbidden)
	apptest.WantBody(t, boss.Get("/desk/webhooks"), `id="webhooks-empty"`, `id="webhook-audience-public" checked`, `id="nav-webhooks"`)
	if strings.Contains(c[authz.Observer].Get("/desk").Body, `id="nav-webhooks"`) {
		t.Error("an observer is offered the webhooks page")
	}

	// Bad fields are named beside them.
	res := boss.PostForm("/desk/webhooks", url.Values{"name": {"Radio"}, "url": {"ftp://radio.example"}, "secret": {"letmein"},
		"audiences": {"media", "press"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="url-error"`, `id="secret-error"`, `id="audiences-error"`, `value="Radio"`, `id="webhook-audience-media" checked`)
	if strings.Contains(res.Body, "letmein") {
		t.Error("the typed secret is written back into the page")
	}

	// Registered with a made secret, shown once; the name is escaped.
	res = boss.PostForm("/desk/webhooks", url.Values{"name": {"<script>alert(1)</script>"}, "url": {"https://radio.example/hook"},
		"audiences": {"public", "media"}, "exercises": {"1"}})
	apptest.WantStatus(t, res, http.StatusOK)
	secret := secretShown(t, res.Body)
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("the webhook name is not escaped")
	}
	list, err := e.Store.Endpoints().List(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	ep := list[0]
	if ep.Secret != secret || !ep.Exercises || len(ep.Audiences) != 2 || ep.OwnerID == 0 {
		t.Fatalf("stored %+v", ep)
	}
	res = boss.Get("/desk/webhooks")
	apptest.WantBody(t, res, "&lt;script&gt;alert(1)&lt;/script&gt;", "https://radio.example/hook", "Media notices", "with exercises")
	if strings.Contains(res.Body, "<script>alert(1)") || strings.Contains(html.UnescapeString(res.Body), secret) {
		t.Error("the list shows the raw name or the secret")
	}

	// A secret of one's own is kept.
	own := "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"
	res = boss.PostForm("/desk/webhooks", url.Values{"url": {"https://tv.example/hook"}, "secret": {own}})
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `<code id="webhook-secret">`+own+`</code>`)

	// Pause with a reason, refuse a second pause, resume.
	id := strconv.FormatInt(ep.ID, 10)
	base := "/desk/webhooks/" + id
	res = boss.PostForm(base+"/pause", url.Values{"reason": {"Radio station off air"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	res = boss.Get(res.Location())
	apptest.WantBody(t, res, "The webhook is paused", "Radio station off air", `id="webhook-`+id+`-resume"`)
	res = boss.PostForm(base+"/pause", nil)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, `id="form-error"`)
	apptest.WantStatus(t, boss.PostForm(base+"/resume", nil), http.StatusSeeOther)
	if got, _ := e.Store.Endpoints().Get(context.Background(), ep.ID); got.Status != subscriber.EndpointActive {
		t.Fatalf("after resume: %s", got.Status)
	}

	// Rotate: a new secret, shown once; the old one still signs a while.
	res = boss.PostForm(base+"/rotate", nil)
	apptest.WantStatus(t, res, http.StatusOK)
	rotated := secretShown(t, res.Body)
	if rotated == secret {
		t.Fatal("the rotated secret is the old one")
	}
	got, _ := e.Store.Endpoints().Get(context.Background(), ep.ID)
	if got.Secret != rotated || got.PreviousSecret != secret {
		t.Fatalf("after rotation: secret %q previous %q", got.Secret, got.PreviousSecret)
	}

	apptest.WantStatus(t, boss.PostForm(base+"/delete", nil), http.StatusSeeOther)
	apptest.WantStatus(t, boss.PostForm(base+"/delete", nil), http.StatusNotFound)
	apptest.WantStatus(t, boss.PostForm("/desk/webhooks/999999/pause", nil), http.StatusNotFound)
}
