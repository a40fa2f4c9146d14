package kit_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/httpsec"
	"crisisdesk/internal/session"
)

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	cases := []struct {
		name, path, token string
		want              int
	}{
		{"sign-out without token", "/signout", "", http.StatusForbidden},
		{"sign-out with wrong token", "/signout", "forged-token-forged-token-forged-token", http.StatusForbidden},
		{"sign-in without token", "/signin", "", http.StatusForbidden},
		{"admin form without token", "/desk/admin/departments/new", "", http.StatusForbidden},
		{"language without token", "/desk/account/language", "", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.PostForm(tc.path, url.Values{session.CSRFField: {tc.token}, "code": {"x"}, "language": {"en"}})
			apptest.WantStatus(t, res, tc.want)
			apptest.WantBody(t, res, "Not allowed", "The form had expired or did not come from this site.")
		})
	}
	// The session survived every forged post.
	apptest.WantStatus(t, c.Get("/desk"), http.StatusOK)
}

func TestCSRFHeaderForHTMX(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Editor)
	req, _ := http.NewRequest(http.MethodPost, c.Base+"/signout", nil)
	req.Header.Set(session.CSRFHeader, c.CSRF())
	req.Header.Set("HX-Request", "true")
	apptest.WantStatus(t, c.Do(req), http.StatusSeeOther)
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c := e.Browser()
	tok := c.CSRF()
	body := "csrf_token=" + tok + "&name=" + strings.Repeat("a", 2<<20)
	res := c.Post("/signin", "application/x-www-form-urlencoded", strings.NewReader(body))
	apptest.WantStatus(t, res, http.StatusRequestEntityTooLarge)
	apptest.WantBody(t, res, "Too large")
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	anon := e.Browser()
	anon.Accept = "zh-TW"
	res := anon.Get("/no/such/page")
	apptest.WantStatus(t, res, http.StatusNotFound)
	apptest.WantBody(t, res, "找不到頁面", `<html lang="zh-Hant">`)

	admin, _ := e.SignedIn("ada", authz.Admin)
	for _, p := range []string{"/desk/admin/users/999999", "/desk/admin/users/abc", "/desk/admin/departments/42"} {
		res := admin.Get(p)
		apptest.WantStatus(t, res, http.StatusNotFound)
		apptest.WantBody(t, res, "Page not found")
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c := e.Browser()
	page := c.Get("/signin").Body
	for _, name := range []string{`/static/app.`, `/static/vendor/htmx.min.`} {
		i := strings.Index(page, name)
		if i < 0 {
			t.Fatalf("page links no %s…", name)
		}
		u := page[i : i+strings.IndexByte(page[i:], '"')]
		res := c.Get(u)
		apptest.WantStatus(t, res, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
		if res.Body == "" {
			t.Errorf("%s: empty", u)
		}
	}
	apptest.WantStatus(t, c.Get("/static/app.css"), http.StatusNotFound) // only fingerprinted names
}

func TestAnonymousIsSentToSignIn(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c := e.Browser()
	res := c.Get("/desk/admin/users?q=a")
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if want := "/signin?next=" + url.QueryEscape("/desk/admin/users?q=a"); res.Location() != want {
		t.Errorf("Location %q, want %q", res.Location(), want)
	}
	res = c.Get("/desk")
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if want := "/signin?next=" + url.QueryEscape("/desk"); res.Location() != want {
		t.Errorf("Location %q, want %q", res.Location(), want)
	}
}

// TestPagesCarryTheSecurityPolicy checks the Content-Security-Policy and
// X-Frame-Options of a page, a fragment and an error page of the desk.
func TestPagesCarryTheSecurityPolicy(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	w := e.World()
	boss, _ := e.SignedIn("csp-boss", authz.Commander)
	anon := e.Browser()
	for _, res := range []apptest.Response{
		anon.Get("/signin"),
		boss.Get("/desk"),
		boss.Get(fmt.Sprintf("/desk/crises/%d/fragment/tasks", w.Crisis.ID)),
		boss.Get("/desk/no-such-page"),
	} {
		if got := res.Header.Get("Content-Security-Policy"); got != httpsec.ContentSecurityPolicy {
			t.Errorf("%d page: Content-Security-Policy %q", res.Status, got)
		}
		if got := res.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%d page: X-Frame-Options %q", res.Status, got)
		}
	}
	// The offline copy of a plan keeps the policy its inline style needs.
	if got := boss.Get(fmt.Sprintf("/desk/plans/%d/offline", w.Plan.ID)).Header.Get("Content-Security-Policy"); !strings.Contains(got, "style-src 'unsafe-inline'") {
		t.Errorf("offline plan: %q", got)
	}
}
