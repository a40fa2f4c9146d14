package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/account"
)

func decode[T any](t *testing.T, w interface{ Bytes() []byte }) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Bytes(), &v); err != nil {
		t.Fatalf("decode: %v; body %s", err, w.Bytes())
	}
	return v
}

func TestPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for i := range 5 {
		body := fmt.Sprintf(`{"code":"d%d","name":"Department %d"}`, i, i)
		if w := e.do("admin", "POST", "/api/v1/departments", body); w.Code != http.StatusCreated {
			t.Fatalf("create department: %d %s", w.Code, w.Body)
		}
	}
	cases := []struct {
		name      string
		path      string
		wantItems int
		wantTotal int
		wantLink  string
	}{
		{"first page", "/api/v1/departments?limit=2", 2, 5, `</api/v1/departments?limit=2&offset=2>; rel="next"`},
		{"middle page", "/api/v1/departments?limit=2&offset=2", 2, 5, `</api/v1/departments?limit=2&offset=4>; rel="next"`},
		{"last page", "/api/v1/departments?limit=2&offset=4", 1, 5, ""},
		{"default limit", "/api/v1/departments", 5, 5, ""},
		{"filters kept", "/api/v1/users?q=u-&limit=3", 3, 7, `</api/v1/users?limit=3&offset=3&q=u->; rel="next"`},
		{"role filter", "/api/v1/users?role=editor", 1, 1, ""},
	}
	for _, c := range cases {
		w := e.do("admin", "GET", c.path, "")
		if w.Code != http.StatusOK {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body)
			continue
		}
		got := decode[struct {
			Items         []json.RawMessage
			Total, Offset int
			Limit         int
		}](t, w.Body)
		if len(got.Items) != c.wantItems || got.Total != c.wantTotal {
			t.Errorf("%s: %d items of %d, want %d of %d", c.name, len(got.Items), got.Total, c.wantItems, c.wantTotal)
		}
		if link := w.Header().Get("Link"); link != c.wantLink {
			t.Errorf("%s: Link = %q, want %q", c.name, link, c.wantLink)
		}
	}
}

func TestCreateUserGeneratesPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	w := e.do("admin", "POST", "/api/v1/users", `{"name":"mei","display_name":"Mei","role":"liaison","language":"zh-Hant"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	u := decode[map[string]any](t, w.Body)
	pw, _ := u["password"].(string)
	if len(pw) < account.MinPasswordLength || u["must_change_password"] != true || u["role"] != "liaison" {
		t.Errorf("created user %v: want a generated password and must_change_password", u)
	}
	if loc := w.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/users/%v", u["id"]) {
		t.Errorf("Location = %q", loc)
	}
	// The password is shown once; the user never carries a hash.
	w = e.do("admin", "GET", w.Header().Get("Location"), "")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"password":`) || strings.Contains(w.Body.String(), "hash") {
		t.Errorf("get user: %d %s", w.Code, w.Body)
	}
	if _, err := e.st.Accounts().SignIn(context.Background(), "mei", pw, account.Client{Address: "192.0.2.9", UserAgent: "test"}); err != nil {
		t.Errorf("sign in with the generated password: %v", err)
	}

	w = e.do("admin", "POST", "/api/v1/users", `{"name":"lin","role":"editor","password":"a chosen password"}`)
	if u := decode[map[string]any](t, w.Body); w.Code != http.StatusCreated || u["password"] != nil || u["must_change_password"] != false {
		t.Errorf("create with password: %d %s", w.Code, w.Body)
	}
}

func TestOptimisticLocking(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	w := e.do("admin", "POST", "/api/v1/departments", `{"code":"health","name":"Health"}`)
	d := decode[Department](t, w.Body)
	path := fmt.Sprintf("/api/v1/departments/%d", d.ID)

	cases := []struct {
		name string
		body string
		want int
	}{
		{"current version", fmt.Sprintf(`{"name":"Public Health","version":%d}`, d.Version), 200},
		{"stale version", fmt.Sprintf(`{"name":"Health Bureau","version":%d}`, d.Version), 409},
		{"no version", `{"name":"Health Bureau"}`, 422},
	}
	for _, c := range cases {
		w := e.do("admin", "PATCH", path, c.body)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d; %s", c.name, w.Code, c.want, w.Body)
		}
		if w.Code >= 400 {
			decodeProblem(t, w)
		}
	}
	got := decode[Department](t, e.do("admin", "GET", path, "").Body)
	if got.Name != "Public Health" || got.Code != "health" || got.Version != d.Version+1 {
		t.Errorf("after patches: %+v", got)
	}

	// Users: the same, and disable/enable bump the version.
	u := e.users["editor"]
	upath := fmt.Sprintf("/api/v1/users/%d", u.ID)
	w = e.do("admin", "PATCH", upath, fmt.Sprintf(`{"display_name":"Ed","department_id":%d,"version":%d}`, d.ID, u.Version))
	nu := decode[User](t, w.Body)
	if w.Code != http.StatusOK || nu.DisplayName != "Ed" || nu.DepartmentID != d.ID || nu.Role != "editor" {
		t.Fatalf("patch user: %d %s", w.Code, w.Body)
	}
	if w := e.do("admin", "PATCH", upath, fmt.Sprintf(`{"display_name":"Eddie","version":%d}`, u.Version)); w.Code != http.StatusConflict {
		t.Errorf("stale user patch: %d %s", w.Code, w.Body)
	}
	if w := e.do("admin", "DELETE", path, ""); w.Code != http.StatusConflict {
		t.Errorf("delete department with a member: %d %s", w.Code, w.Body)
	}
	w = e.do("admin", "POST", upath+"/disable", "")
	if got := decode[User](t, w.Body); w.Code != http.StatusOK || !got.Disabled {
		t.Errorf("disable: %d %s", w.Code, w.Body)
	}
	if w := e.do("editor", "GET", "/api/v1/me", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("disabled user's token: %d", w.Code)
	}
	w = e.do("admin", "POST", upath+"/enable", "")
	if got := decode[User](t, w.Body); w.Code != http.StatusOK || got.Disabled {
		t.Errorf("enable: %d %s", w.Code, w.Body)
	}
}

func TestDeleteDepartment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := decode[Department](t, e.do("admin", "POST", "/api/v1/departments", `{"code":"fire","name":"Fire"}`).Body)
	path := fmt.Sprintf("/api/v1/departments/%d", d.ID)
	if w := e.do("admin", "DELETE", path, ""); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if w := e.do("admin", "GET", path, ""); w.Code != http.StatusNotFound {
		t.Errorf("after delete: %d", w.Code)
	}
}

func TestAuditRecordsAPIChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := decode[Department](t, e.do(cookie, "POST", "/api/v1/departments", `{"code":"comms","name":"Communications"}`).Body)
	w := e.do("observer", "GET", fmt.Sprintf("/api/v1/audit?entity=department&entity_id=%d", d.ID), "")
	got := decode[List[AuditEntry]](t, w.Body)
	if w.Code != http.StatusOK || got.Total != 1 || len(got.Items) != 1 {
		t.Fatalf("audit: %d %s", w.Code, w.Body)
	}
	if en := got.Items[0]; en.Action != "department.create" || en.Source != "api" || en.Actor != "u-admin" || string(en.Before) != "null" {
		t.Errorf("entry %+v", en)
	}
}

// failing is an account service whose reads fail or panic.
type failing struct {
	account.Service
}

func (failing) ListDepartments(context.Context, int, int) ([]account.Department, int, error) {
	return nil, 0, errors.New("disk on fire at /var/lib/crisisdesk")
}

func (failing) Department(context.Context, int64) (account.Department, error) {
	panic("unreachable state")
}

func TestInternalErrorsStayInside(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s account.Service) account.Service { return failing{s} })
	for _, path := range []string{"/api/v1/departments", "/api/v1/departments/1"} {
		w := e.do("admin", "GET", path, "")
		if w.Code != http.StatusInternalServerError {
			t.Errorf("%s: %d, want 500", path, w.Code)
			continue
		}
		p := decodeProblem(t, w)
		if p.Detail != "internal error" || strings.Contains(w.Body.String(), "fire") || strings.Contains(w.Body.String(), "unreachable") {
			t.Errorf("%s: leaks the cause: %s", path, w.Body)
		}
	}
}
