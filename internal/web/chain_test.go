package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
)

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)
	cases := []struct {
		name, path, token string
		want              int
	}{
		{"sign-out without token", "/signout", "", http.StatusForbidden},
		{"sign-out with wrong token", "/signout", "forged-token-forged-token-forged-token", http.StatusForbidden},
		{"sign-in without token", "/signin", "", http.StatusForbidden},
		{"admin form without token", "/admin/departments/new", "", http.StatusForbidden},
		{"language without token", "/account/language", "", http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post(tc.path, url.Values{session.CSRFField: {tc.token}, "code": {"x"}, "language": {"en"}})
			wantStatus(t, res, tc.want)
			wantBody(t, res, "Not allowed", "The form had expired or did not come from this site.")
		})
	}
	// The session survived every forged post.
	wantStatus(t, c.get("/desk"), http.StatusOK)
}

func TestCSRFHeaderForHTMX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Editor)
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+"/signout", nil)
	req.Header.Set(session.CSRFHeader, c.csrf())
	req.Header.Set("HX-Request", "true")
	wantStatus(t, c.do(req), http.StatusSeeOther)
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	tok := c.csrf()
	body := "csrf_token=" + tok + "&name=" + strings.Repeat("a", 2<<20)
	res := c.postRaw("/signin", body)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantBody(t, res, "Too large")
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anon := e.client()
	anon.accept = "zh-TW"
	res := anon.get("/no/such/page")
	wantStatus(t, res, http.StatusNotFound)
	wantBody(t, res, "找不到頁面", `<html lang="zh-Hant">`)

	admin, _ := e.signedIn("ada", authz.Admin)
	for _, p := range []string{"/admin/users/999999", "/admin/users/abc", "/admin/departments/42"} {
		res := admin.get(p)
		wantStatus(t, res, http.StatusNotFound)
		wantBody(t, res, "Page not found")
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	page := c.get("/signin").Body
	for _, name := range []string{`/static/app.`, `/static/vendor/htmx.min.`} {
		i := strings.Index(page, name)
		if i < 0 {
			t.Fatalf("page links no %s…", name)
		}
		u := page[i : i+strings.IndexByte(page[i:], '"')]
		res := c.get(u)
		wantStatus(t, res, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
		if res.Body == "" {
			t.Errorf("%s: empty", u)
		}
	}
	wantStatus(t, c.get("/static/app.css"), http.StatusNotFound) // only fingerprinted names
}
