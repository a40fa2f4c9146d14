package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestExpertsPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)

	for _, tc := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"nothing", url.Values{}, []string{`id="name-error"`, `id="email-error"`, `id="languages-error"`}},
		{"bad phone", url.Values{"name": {"Dr Chan"}, "phone": {"123"}, "languages": {"en"}}, []string{`id="phone-error"`}},
	} {
		res := c.PostForm("/desk/admin/experts/new", tc.form)
		apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
		apptest.WantBody(t, res, tc.fields...)
	}
	if _, total, _ := e.Store.Experts().List(context.Background(), 0, 10); total != 0 {
		t.Fatalf("refused forms stored %d experts", total)
	}

	res := c.PostForm("/desk/admin/experts/new", url.Values{"name": {"Dr Chan"}, "organisation": {"Observatory"}, "field": {"Meteorology"},
		"email": {"chan@example.org"}, "phone": {"+852 9123 4567"}, "languages": {"en"}, "active": {"1"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	m := regexp.MustCompile(`^/desk/admin/experts/(\d+)\?done=created$`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("Location %q", res.Location())
	}
	apptest.WantBody(t, c.Get("/desk/admin/experts"), "Dr Chan", "Observatory", "&#43;85291234567")
	apptest.WantBody(t, c.Get("/desk/admin/experts/"+m[1]), `value="Meteorology"`, `id="expert-active" checked`)

	ed, _ := e.SignedIn("eve", authz.Editor)
	apptest.WantStatus(t, ed.Get("/desk/admin/experts"), http.StatusForbidden)
}
