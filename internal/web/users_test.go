package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store/storetest"
)

func newUserForm(name string) url.Values {
	return url.Values{"name": {name}, "display_name": {"Someone"}, "role": {"editor"}, "department_id": {"0"}, "language": {""}}
}

func TestCreateUserFieldErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		change    func(url.Values)
		wantField string // id of the error paragraph
		wantText  string
	}{
		{"bad name", func(v url.Values) { v.Set("name", "Not A Name!") }, "name-error", "Use 2–63 characters"},
		{"taken name", func(v url.Values) { v.Set("name", "ada") }, "name-error", "This user name is already taken."},
		{"bad email", func(v url.Values) { v.Set("email", "not-an-address") }, "email-error", "This is not an e-mail address."},
		{"bad role", func(v url.Values) { v.Set("role", "king") }, "role-error", "Choose a role from the list."},
		{"short password", func(v url.Values) { v.Set("password", "short") }, "password-error", "Use at least 12 characters"},
		{"unknown department", func(v url.Values) { v.Set("department_id", "4242") }, "department_id-error", "Choose a department from the list."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			c, _ := e.signedIn("ada", authz.Admin)
			form := newUserForm("newbie")
			tc.change(form)
			res := c.post("/admin/users/new", form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			// The message sits right after its field, inside the same .field block.
			re := regexp.MustCompile(`(?s)<div class="field">[^<]*<label[^>]*>[^<]*</label>.*?<p class="field-error" id="` + tc.wantField + `">([^<]*)</p>`)
			m := re.FindStringSubmatch(res.Body)
			if m == nil || !strings.Contains(m[1], tc.wantText) {
				t.Fatalf("no %q beside field %s\n%s", tc.wantText, tc.wantField, snippet(res.Body))
			}
			// What was typed is kept, except the password.
			if !strings.Contains(res.Body, `value="`+form.Get("name")+`"`) {
				t.Error("form lost the typed name")
			}
			if strings.Contains(res.Body, `value="short"`) {
				t.Error("password echoed back")
			}
		})
	}
}

func TestCreateUserWithGeneratedPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)
	res := c.post("/admin/users/new", newUserForm("newbie"))
	wantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`<code id="one-time-password">([^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no one-time password shown\n%s", snippet(res.Body))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	newbie := e.client()
	if loc := newbie.signIn("newbie", m[1]).location(); loc != "/account/password" {
		t.Errorf("first sign-in went to %q, want the password page", loc)
	}
}

func TestCreateUserWithPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)
	form := newUserForm("newbie")
	form.Set("password", "a chosen passphrase")
	res := c.post("/admin/users/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	if !regexp.MustCompile(`^/admin/users/\d+\?done=created$`).MatchString(res.location()) {
		t.Fatalf("Location %q", res.location())
	}
	wantBody(t, c.get(res.location()), "Created.", `value="Someone"`)
}

func TestNonAdminForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ed", authz.Editor)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/admin/users"},
		{http.MethodGet, "/admin/users/new"},
		{http.MethodPost, "/admin/users/new"},
		{http.MethodGet, "/admin/audit"},
		{http.MethodPost, "/admin/departments/new"},
	} {
		var res response
		if tc.method == http.MethodGet {
			res = c.get(tc.path)
		} else {
			res = c.post(tc.path, newUserForm("sneaky"))
		}
		if res.Status != http.StatusForbidden {
			t.Errorf("%s %s: %d, want 403", tc.method, tc.path, res.Status)
		}
		wantBody(t, res, "Not allowed", "Your role does not allow this.")
	}
	if _, err := e.st.Accounts().UserByName(context.Background(), "sneaky"); err == nil {
		t.Error("editor created a user")
	}
	// The menu offers only what the role may use.
	home := c.get("/desk").Body
	for id, want := range map[string]bool{"nav-dashboard": true, "nav-departments": true, "nav-users": false, "nav-audit": false} {
		if got := strings.Contains(home, `id="`+id+`"`); got != want {
			t.Errorf("menu item %s shown=%v, want %v", id, got, want)
		}
	}
}

func TestStaleUserEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)
	target := e.user("bob", authz.Editor, false)
	path := fmt.Sprintf("/admin/users/%d", target.ID)
	wantBody(t, c.get(path), fmt.Sprintf(`name="version" value="%d"`, target.Version))

	// Someone else saves first.
	if _, err := e.st.Accounts().UpdateUser(context.Background(), cli, target.ID, account.UserUpdate{
		DisplayName: "Robert", Role: authz.Editor, Version: target.Version,
	}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"display_name": {"Bobby"}, "role": {"reviewer"}, "department_id": {"0"}, "version": {fmt.Sprint(target.Version)}}
	res := c.post(path, form)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, `id="form-error"`, "Someone else changed this record")
	got, _ := e.st.Accounts().User(context.Background(), target.ID)
	if got.DisplayName != "Robert" || got.Role != authz.Editor {
		t.Errorf("stale edit was saved: %+v", got)
	}

	// With the current version the edit goes through.
	form.Set("version", fmt.Sprint(got.Version))
	res = c.post(path, form)
	wantStatus(t, res, http.StatusSeeOther)
	got, _ = e.st.Accounts().User(context.Background(), target.ID)
	if got.DisplayName != "Bobby" || got.Role != authz.Reviewer {
		t.Errorf("edit not saved: %+v", got)
	}
}

func TestEscapesDisplayNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const evil = `<script>alert("x")</script>`
	u, err := e.st.Accounts().CreateUser(context.Background(), cli, account.NewUser{
		Name: "mallory", DisplayName: evil, Role: authz.Admin, Password: password, Language: "en",
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signInWithCode("mallory", password, storetest.EnrolTOTP(t, e.st, u))
	for _, p := range []string{"/desk", "/admin/users", fmt.Sprintf("/admin/users/%d", u.ID), "/admin/users?q=%3Cscript%3E"} {
		body := c.get(p).Body
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s: display name not escaped", p)
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s: escaped display name missing", p)
		}
	}
}

func TestResetAndDisable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, admin := e.signedIn("ada", authz.Admin)
	bob := e.user("bob", authz.Editor, false)
	bobPath := fmt.Sprintf("/admin/users/%d", bob.ID)

	res := c.post(bobPath+"/password", nil)
	wantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`<code id="one-time-password">([^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no one-time password")
	}
	if loc := e.client().signIn("bob", m[1]).location(); loc != "/account/password" {
		t.Errorf("reset password does not force a change: %q", loc)
	}

	res = c.post(bobPath+"/disable", nil)
	wantStatus(t, res, http.StatusSeeOther)
	wantBody(t, c.get(res.location()), "The user is disabled", `id="user-enable"`)
	if res := e.client().post("/signin", url.Values{"name": {"bob"}, "password": {m[1]}}); res.Status != http.StatusUnauthorized {
		t.Errorf("disabled user signs in: %d", res.Status)
	}
	wantStatus(t, c.post(bobPath+"/enable", nil), http.StatusSeeOther)

	res = c.post(fmt.Sprintf("/admin/users/%d/disable", admin.ID), nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "You cannot disable your own account.")
}

func TestAuditTrailPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)
	e.user("bob", authz.Editor, false)
	res := c.get("/admin/audit")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "user.create", "session.signin", "&#34;name&#34;: &#34;bob&#34;", "Before", "After")
	res = c.get("/admin/audit?entity=nothing")
	wantBody(t, res, `id="audit-empty"`)
}
