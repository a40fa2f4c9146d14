package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
)

// formerly are the staff pages' former path prefixes and where they went
// when every staff URL moved under /desk.
var formerly = []struct{ from, to string }{
	{"/plans", "/desk/plans"},
	{"/catalog", "/desk/catalog"},
	{"/admin", "/desk/admin"},
	{"/account", "/desk/account"},
	{"/tasks", "/desk/tasks"},
	{"/alerts/read", "/desk/alerts/read"},
}

// TestFormerPathsRedirect walks every route under a moved prefix by its
// former path: GET and HEAD answer 301, anything else 308 (which a browser
// repeats with the same method and body), to the same path under /desk
// with the query kept, before any sign-in.
func TestFormerPathsRedirect(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	anon := e.Browser()
	const query = "?q=a%2Fb&page=2"
	walked := map[string]int{}
	for _, rt := range e.App.Web.Routes() {
		for _, f := range formerly {
			rest, ok := strings.CutPrefix(rt.Pattern, f.to)
			if !ok || rest != "" && rest[0] != '/' {
				continue
			}
			rest = strings.NewReplacer("{id}", "7", "{entry}", "8", "{n}", "0", "{$}", "").Replace(rest)
			methods := []string{rt.Method}
			if rt.Method == http.MethodGet {
				methods = append(methods, http.MethodHead)
			}
			for _, m := range methods {
				req, err := http.NewRequest(m, e.URL+f.from+rest+query, nil)
				if err != nil {
					t.Fatal(err)
				}
				res := anon.Do(req)
				want := http.StatusPermanentRedirect
				if m == http.MethodGet || m == http.MethodHead {
					want = http.StatusMovedPermanently
				}
				if res.Status != want || res.Location() != f.to+rest+query {
					t.Errorf("%s %s: %d to %q, want %d to %q", m, f.from+rest, res.Status, res.Location(), want, f.to+rest+query)
				}
			}
			walked[f.from]++
		}
	}
	for _, f := range formerly {
		if walked[f.from] == 0 {
			t.Errorf("no route under %s to walk", f.to)
		}
	}

	// Only former paths move: a path the desk never had stays unknown.
	apptest.WantStatus(t, anon.Get("/alerts/other"), http.StatusNotFound)

	// A bookmark opens the page; a form posted to a former path is posted
	// again to the new one, body and all.
	b, _ := e.SignedIn("ed", authz.Editor)
	res := b.Get("/plans")
	apptest.WantStatus(t, res, http.StatusMovedPermanently)
	apptest.WantStatus(t, b.Get(res.Location()), http.StatusOK)
	form := url.Values{"language": {"zh-Hans"}, "next": {"/desk"}, session.CSRFField: {b.CSRF()}}
	res = b.Post("/account/language", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	apptest.WantStatus(t, res, http.StatusPermanentRedirect)
	res = b.Post(res.Location(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if res.Status != http.StatusSeeOther || res.Location() != "/desk" {
		t.Errorf("the language form posted again: %d to %q", res.Status, res.Location())
	}
	apptest.WantBody(t, b.Get("/desk"), `<html lang="zh-Hans">`)
}
