package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/api"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/app"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestScenarios(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	big := `{"name":"` + strings.Repeat("a", kit.MaxBodyBytes) + `"}`
	cases := []struct {
		name   string
		who    string
		method string
		path   string
		body   string
		want   int
		loc    string // for problems: an errors[].location that must be present
	}{
		{"no credentials", apptest.Anonymous, "GET", "/api/v1/me", "", 401, ""},
		{"unknown token", apptest.BadToken, "GET", "/api/v1/me", "", 401, ""},
		{"token me", "observer", "GET", "/api/v1/me", "", 200, ""},
		{"cookie me", apptest.CookieNoCSRF, "GET", "/api/v1/me", "", 200, ""},
		{"editor may not list users", "editor", "GET", "/api/v1/users", "", 403, ""},
		{"commander lists users", "commander", "GET", "/api/v1/users", "", 200, ""},
		{"commander may not create users", "commander", "POST", "/api/v1/users", `{"name":"x1","role":"editor"}`, 403, ""},
		{"anonymous create is 401 before body checks", apptest.Anonymous, "POST", "/api/v1/users", `{`, 401, ""},
		{"observer reads audit", "observer", "GET", "/api/v1/audit", "", 200, ""},
		{"editor may not read audit", "editor", "GET", "/api/v1/audit", "", 403, ""},
		{"liaison lists departments", "liaison", "GET", "/api/v1/departments", "", 200, ""},
		{"liaison may not create departments", "liaison", "POST", "/api/v1/departments", `{"code":"fire","name":"Fire"}`, 403, ""},
		{"token needs no CSRF", "admin", "POST", "/api/v1/departments", `{"code":"health","name":"Health"}`, 201, ""},
		{"cookie without CSRF header", apptest.CookieNoCSRF, "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 403, ""},
		{"cookie with CSRF header", apptest.Cookie, "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 201, ""},
		{"taken code", "admin", "POST", "/api/v1/departments", `{"code":"works","name":"Works"}`, 422, "body.code"},
		{"domain names the field", "admin", "POST", "/api/v1/users", `{"name":"X!","role":"editor","password":"long enough password"}`, 422, "body.name"},
		{"short password", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","password":"short"}`, 422, "body.password"},
		{"missing property named", "admin", "POST", "/api/v1/users", `{"role":"editor"}`, 422, "body.name"},
		{"unknown role", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"king"}`, 422, "body.role"},
		{"unknown property", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","shoe":1}`, 422, "body.shoe"},
		{"unknown department", "admin", "POST", "/api/v1/users", `{"name":"pat","role":"editor","department_id":999}`, 422, "body.department_id"},
		{"malformed JSON", "admin", "POST", "/api/v1/users", `{"name":`, 400, "body"},
		{"body too large", "admin", "POST", "/api/v1/users", big, 413, ""},
		{"limit over 200", "admin", "GET", "/api/v1/users?limit=201", "", 422, "query.limit"},
		{"id not a number", "admin", "GET", "/api/v1/users/abc", "", 422, "path.id"},
		{"no such user", "admin", "GET", "/api/v1/users/99999", "", 404, ""},
		{"no such path", "admin", "GET", "/api/v1/nothing", "", 404, ""},
		{"no such path anonymous", apptest.Anonymous, "GET", "/api/v1/nothing/at/all", "", 404, ""},
		{"wrong method", "admin", "DELETE", "/api/v1/users", "", 405, ""},
		{"cannot disable oneself", "admin", "POST", fmt.Sprintf("/api/v1/users/%d/disable", e.Users[authz.Admin].ID), "", 422, ""},
		{"openapi is public", apptest.Anonymous, "GET", "/api/v1/openapi.json", "", 200, ""},
	}
	for _, c := range cases {
		// Sequential: later cases build on earlier ones (the taken code).
		w := e.Do(c.who, c.method, c.path, c.body)
		if w.Status != c.want {
			t.Errorf("%s: %s %s as %q = %d, want %d; body %.300s", c.name, c.method, c.path, c.who, w.Status, c.want, w.Body)
			continue
		}
		if w.Status < 400 {
			continue
		}
		p := apptest.WantProblem(t, w)
		if strings.Contains(w.Body, "goroutine") || strings.Contains(w.Body, ".go:") {
			t.Errorf("%s: body looks like a stack trace: %s", c.name, w.Body)
		}
		if c.loc != "" {
			found := false
			for _, d := range p.Errors {
				found = found || d.Location == c.loc
			}
			if !found {
				t.Errorf("%s: no error located at %s in %s", c.name, c.loc, w.Body)
			}
		}
		switch w.Status {
		case http.StatusUnauthorized:
			if w.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", c.name)
			}
		case http.StatusMethodNotAllowed:
			if got := w.Header.Get("Allow"); got != "GET, POST" {
				t.Errorf("%s: Allow = %q, want GET, POST", c.name, got)
			}
		case http.StatusBadRequest: // the parse error is shown, the body not echoed
			if !strings.Contains(p.Errors[0].Message, "unexpected end of JSON input") || p.Errors[0].Value != nil {
				t.Errorf("%s: parse error not shown: %s", c.name, w.Body)
			}
		}
	}
}

// TestEveryRouteEveryRole walks the route table: anonymous callers get 401,
// roles the matrix refuses get 403, and roles it allows get past the guard.
func TestEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	for _, rt := range e.App.API.Routes() {
		path := strings.ReplaceAll(rt.Pattern, "{id}", "99999")
		body := ""
		if rt.Method == http.MethodPost || rt.Method == http.MethodPatch {
			body = "{}"
		}
		w := e.Do(apptest.Anonymous, rt.Method, path, body)
		if rt.Public {
			// Anybody gets past the guards: an empty body is refused on
			// its own terms, never as a matter of who asks.
			if w.Status == http.StatusUnauthorized || w.Status == http.StatusForbidden || w.Status >= 500 {
				t.Errorf("public %s %s = %d; body %s", rt.Method, rt.Pattern, w.Status, w.Body)
			}
			continue
		}
		if w.Status != http.StatusUnauthorized {
			t.Errorf("anonymous %s %s = %d, want 401", rt.Method, rt.Pattern, w.Status)
		}
		for _, r := range authz.Roles {
			w := e.Do(string(r), rt.Method, path, body)
			allowed := rt.SignedIn || authz.Can(r, rt.Action)
			switch {
			case allowed && (w.Status == http.StatusUnauthorized || w.Status == http.StatusForbidden):
				t.Errorf("%s %s %s = %d, want it let through; body %s", r, rt.Method, rt.Pattern, w.Status, w.Body)
			case !allowed && w.Status != http.StatusForbidden:
				t.Errorf("%s %s %s = %d, want 403", r, rt.Method, rt.Pattern, w.Status)
			}
		}
	}
}

func TestRouteTableDeclaresEveryNeed(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	seen := map[string]bool{}
	for _, rt := range e.App.API.Routes() {
		n := 0
		for _, b := range []bool{rt.Public, rt.SignedIn, rt.Action != ""} {
			if b {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s %s declares %d needs, want exactly one", rt.Method, rt.Pattern, n)
		}
		if !strings.HasPrefix(rt.Pattern, api.Prefix+"/") {
			t.Errorf("%s %s is outside %s", rt.Method, rt.Pattern, api.Prefix)
		}
		key := rt.Method + " " + rt.Pattern
		if seen[key] {
			t.Errorf("%s declared twice", key)
		}
		seen[key] = true
	}
}

func TestOpenAPI(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{Options: func(o *app.Options) { o.Version = "test" }})
	w := e.Do(apptest.Anonymous, "GET", "/api/v1/openapi.json", "")
	if w.Status != http.StatusOK {
		t.Fatalf("status %d", w.Status)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Servers    []struct{ URL string } `json:"servers"`
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(w.Body), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || doc.Info.Title != "crisisdesk" || doc.Info.Version != "test" {
		t.Errorf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != api.Prefix {
		t.Errorf("servers = %+v, want %s", doc.Servers, api.Prefix)
	}
	for _, s := range []string{"bearer", "cookie"} {
		if _, ok := doc.Components.SecuritySchemes[s]; !ok {
			t.Errorf("no security scheme %q", s)
		}
	}
	for _, rt := range e.App.API.Routes() {
		path := strings.TrimPrefix(rt.Pattern, api.Prefix)
		op, ok := doc.Paths[path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, path)
			continue
		}
		if rt.Action != "" && !strings.Contains(string(op), `"x-crisisdesk-action":"`+string(rt.Action)+`"`) {
			t.Errorf("%s %s does not document its action", rt.Method, path)
		}
	}
	for _, forbidden := range []string{"password_hash", "secret_hash"} {
		if strings.Contains(w.Body, forbidden) {
			t.Errorf("OpenAPI document mentions %s", forbidden)
		}
	}
}
