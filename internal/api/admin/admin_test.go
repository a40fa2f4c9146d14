package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/api/admin"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/app/apptest"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	for i := range 5 {
		body := fmt.Sprintf(`{"code":"d%d","name":"Department %d"}`, i, i)
		if w := e.Do("admin", "POST", "/api/v1/departments", body); w.Status != http.StatusCreated {
			t.Fatalf("create department: %d %s", w.Status, w.Body)
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
		w := e.Do("admin", "GET", c.path, "")
		if w.Status != http.StatusOK {
			t.Errorf("%s: %d %s", c.name, w.Status, w.Body)
			continue
		}
		got := apptest.Decode[struct {
			Items         []json.RawMessage
			Total, Offset int
			Limit         int
		}](t, w)
		if len(got.Items) != c.wantItems || got.Total != c.wantTotal {
			t.Errorf("%s: %d items of %d, want %d of %d", c.name, len(got.Items), got.Total, c.wantItems, c.wantTotal)
		}
		if link := w.Header.Get("Link"); link != c.wantLink {
			t.Errorf("%s: Link = %q, want %q", c.name, link, c.wantLink)
		}
	}
}

func TestCreateUserGeneratesPassword(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	w := e.Do("admin", "POST", "/api/v1/users", `{"name":"mei","display_name":"Mei","role":"liaison","language":"zh-Hant"}`)
	if w.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Status, w.Body)
	}
	u := apptest.Decode[map[string]any](t, w)
	pw, _ := u["password"].(string)
	if len(pw) < account.MinPasswordLength || u["must_change_password"] != true || u["role"] != "liaison" {
		t.Errorf("created user %v: want a generated password and must_change_password", u)
	}
	if loc := w.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/users/%v", u["id"]) {
		t.Errorf("Location = %q", loc)
	}
	// The password is shown once; the user never carries a hash.
	w = e.Do("admin", "GET", w.Header.Get("Location"), "")
	if w.Status != http.StatusOK || strings.Contains(w.Body, `"password":`) || strings.Contains(w.Body, "hash") {
		t.Errorf("get user: %d %s", w.Status, w.Body)
	}
	if _, err := e.Store.Accounts().SignIn(context.Background(), "mei", pw, account.Client{Address: "192.0.2.9", UserAgent: "test"}); err != nil {
		t.Errorf("sign in with the generated password: %v", err)
	}

	w = e.Do("admin", "POST", "/api/v1/users", `{"name":"lin","role":"editor","password":"a chosen password"}`)
	if u := apptest.Decode[map[string]any](t, w); w.Status != http.StatusCreated || u["password"] != nil || u["must_change_password"] != false {
		t.Errorf("create with password: %d %s", w.Status, w.Body)
	}
}

func TestOptimisticLocking(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	w := e.Do("admin", "POST", "/api/v1/departments", `{"code":"health","name":"Health"}`)
	d := apptest.Decode[admin.Department](t, w)
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
		w := e.Do("admin", "PATCH", path, c.body)
		if w.Status != c.want {
			t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
		}
		if w.Status >= 400 {
			apptest.WantProblem(t, w)
		}
	}
	got := apptest.Decode[admin.Department](t, e.Do("admin", "GET", path, ""))
	if got.Name != "Public Health" || got.Code != "health" || got.Version != d.Version+1 {
		t.Errorf("after patches: %+v", got)
	}

	// Users: the same, and disable/enable bump the version.
	u := e.Users["editor"]
	upath := fmt.Sprintf("/api/v1/users/%d", u.ID)
	w = e.Do("admin", "PATCH", upath, fmt.Sprintf(`{"display_name":"Ed","department_id":%d,"version":%d}`, d.ID, u.Version))
	nu := apptest.Decode[admin.User](t, w)
	if w.Status != http.StatusOK || nu.DisplayName != "Ed" || nu.DepartmentID != d.ID || nu.Role != "editor" {
		t.Fatalf("patch user: %d %s", w.Status, w.Body)
	}
	if w := e.Do("admin", "PATCH", upath, fmt.Sprintf(`{"display_name":"Eddie","version":%d}`, u.Version)); w.Status != http.StatusConflict {
		t.Errorf("stale user patch: %d %s", w.Status, w.Body)
	}
	if w := e.Do("admin", "DELETE", path, ""); w.Status != http.StatusConflict {
		t.Errorf("delete department with a member: %d %s", w.Status, w.Body)
	}
	w = e.Do("admin", "POST", upath+"/disable", "")
	if got := apptest.Decode[admin.User](t, w); w.Status != http.StatusOK || !got.Disabled {
		t.Errorf("disable: %d %s", w.Status, w.Body)
	}
	if w := e.Do("editor", "GET", "/api/v1/me", ""); w.Status != http.StatusUnauthorized {
		t.Errorf("disabled user's token: %d", w.Status)
	}
	w = e.Do("admin", "POST", upath+"/enable", "")
	if got := apptest.Decode[admin.User](t, w); w.Status != http.StatusOK || got.Disabled {
		t.Errorf("enable: %d %s", w.Status, w.Body)
	}
}

func TestDeleteDepartment(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	d := apptest.Decode[admin.Department](t, e.Do("admin", "POST", "/api/v1/departments", `{"code":"fire","name":"Fire"}`))
	path := fmt.Sprintf("/api/v1/departments/%d", d.ID)
	if w := e.Do("admin", "DELETE", path, ""); w.Status != http.StatusNoContent || len(w.Body) != 0 {
		t.Fatalf("delete: %d %s", w.Status, w.Body)
	}
	if w := e.Do("admin", "GET", path, ""); w.Status != http.StatusNotFound {
		t.Errorf("after delete: %d", w.Status)
	}
}

func TestAuditRecordsAPIChanges(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	d := apptest.Decode[admin.Department](t, e.Do(apptest.Cookie, "POST", "/api/v1/departments", `{"code":"comms","name":"Communications"}`))
	w := e.Do("observer", "GET", fmt.Sprintf("/api/v1/audit?entity=department&entity_id=%d", d.ID), "")
	got := apptest.Decode[kit.List[admin.AuditEntry]](t, w)
	if w.Status != http.StatusOK || got.Total != 1 || len(got.Items) != 1 {
		t.Fatalf("audit: %d %s", w.Status, w.Body)
	}
	if en := got.Items[0]; en.Action != "department.create" || en.Source != "api" || en.Actor != "u-admin" || string(en.Before) != "null" {
		t.Errorf("entry %+v", en)
	}
}
