package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
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
			e := apptest.New(t, apptest.Options{})
			c, _ := e.SignedIn("ada", authz.Admin)
			form := newUserForm("newbie")
			tc.change(form)
			res := c.PostForm("/desk/admin/users/new", form)
			apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
			// The message sits right after its field, inside the same .field block.
			re := regexp.MustCompile(`(?s)<div class="field">[^<]*<label[^>]*>[^<]*</label>.*?<p class="field-error" id="` + tc.wantField + `">([^<]*)</p>`)
			m := re.FindStringSubmatch(res.Body)
			if m == nil || !strings.Contains(m[1], tc.wantText) {
				t.Fatalf("no %q beside field %s\n%s", tc.wantText, tc.wantField, apptest.Snippet(res.Body))
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
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	res := c.PostForm("/desk/admin/users/new", newUserForm("newbie"))
	apptest.WantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`<code id="one-time-password">([^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no one-time password shown\n%s", apptest.Snippet(res.Body))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	newbie := e.Browser()
	if loc := newbie.SignInAs("newbie", m[1]).Location(); loc != "/desk/account/password" {
		t.Errorf("first sign-in went to %q, want the password page", loc)
	}
}

func TestCreateUserWithPassword(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	form := newUserForm("newbie")
	form.Set("password", "a chosen passphrase")
	res := c.PostForm("/desk/admin/users/new", form)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if !regexp.MustCompile(`^/desk/admin/users/\d+\?done=created$`).MatchString(res.Location()) {
		t.Fatalf("Location %q", res.Location())
	}
	apptest.WantBody(t, c.Get(res.Location()), "Created.", `value="Someone"`)
}

func TestNonAdminForbidden(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ed", authz.Editor)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/desk/admin/users"},
		{http.MethodGet, "/desk/admin/users/new"},
		{http.MethodPost, "/desk/admin/users/new"},
		{http.MethodGet, "/desk/admin/audit"},
		{http.MethodPost, "/desk/admin/departments/new"},
	} {
		var res apptest.Response
		if tc.method == http.MethodGet {
			res = c.Get(tc.path)
		} else {
			res = c.PostForm(tc.path, newUserForm("sneaky"))
		}
		if res.Status != http.StatusForbidden {
			t.Errorf("%s %s: %d, want 403", tc.method, tc.path, res.Status)
		}
		apptest.WantBody(t, res, "Not allowed", "Your role does not allow this.")
	}
	if _, err := e.Store.Accounts().UserByName(context.Background(), "sneaky"); err == nil {
		t.Error("editor created a user")
	}
	// The menu offers only what the role may use.
	home := c.Get("/desk").Body
	for id, want := range map[string]bool{"nav-dashboard": true, "nav-departments": true, "nav-users": false, "nav-audit": false} {
		if got := strings.Contains(home, `id="`+id+`"`); got != want {
			t.Errorf("menu item %s shown=%v, want %v", id, got, want)
		}
	}
}

func TestStaleUserEdit(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	target := e.User("bob", authz.Editor)
	path := fmt.Sprintf("/desk/admin/users/%d", target.ID)
	apptest.WantBody(t, c.Get(path), fmt.Sprintf(`name="version" value="%d"`, target.Version))

	// Someone else saves first.
	if _, err := e.Store.Accounts().UpdateUser(context.Background(), apptest.CLI, target.ID, account.UserUpdate{
		DisplayName: "Robert", Role: authz.Editor, Version: target.Version,
	}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"display_name": {"Bobby"}, "role": {"reviewer"}, "department_id": {"0"}, "version": {fmt.Sprint(target.Version)}}
	res := c.PostForm(path, form)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, `id="form-error"`, "Someone else changed this record")
	got, _ := e.Store.Accounts().User(context.Background(), target.ID)
	if got.DisplayName != "Robert" || got.Role != authz.Editor {
		t.Errorf("stale edit was saved: %+v", got)
	}

	// With the current version the edit goes through.
	form.Set("version", fmt.Sprint(got.Version))
	res = c.PostForm(path, form)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	got, _ = e.Store.Accounts().User(context.Background(), target.ID)
	if got.DisplayName != "Bobby" || got.Role != authz.Reviewer {
		t.Errorf("edit not saved: %+v", got)
	}
}

func TestEscapesDisplayNames(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	const evil = `<script>alert("x")</script>`
	u, err := e.Store.Accounts().CreateUser(context.Background(), apptest.CLI, account.NewUser{
		Name: "mallory", DisplayName: evil, Role: authz.Admin, Password: apptest.Password, Language: "en",
	})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Browser()
	c.SignInWithCode("mallory", apptest.Password, storetest.EnrolTOTP(t, e.Store, u))
	for _, p := range []string{"/desk", "/desk/admin/users", fmt.Sprintf("/desk/admin/users/%d", u.ID), "/desk/admin/users?q=%3Cscript%3E"} {
		body := c.Get(p).Body
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
	e := apptest.New(t, apptest.Options{})
	c, admin := e.SignedIn("ada", authz.Admin)
	bob := e.User("bob", authz.Editor)
	bobPath := fmt.Sprintf("/desk/admin/users/%d", bob.ID)

	res := c.PostForm(bobPath+"/password", nil)
	apptest.WantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`<code id="one-time-password">([^<]+)</code>`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no one-time password")
	}
	if loc := e.Browser().SignInAs("bob", m[1]).Location(); loc != "/desk/account/password" {
		t.Errorf("reset password does not force a change: %q", loc)
	}

	res = c.PostForm(bobPath+"/disable", nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, c.Get(res.Location()), "The user is disabled", `id="user-enable"`)
	if res := e.Browser().PostForm("/signin", url.Values{"name": {"bob"}, "password": {m[1]}}); res.Status != http.StatusUnauthorized {
		t.Errorf("disabled user signs in: %d", res.Status)
	}
	apptest.WantStatus(t, c.PostForm(bobPath+"/enable", nil), http.StatusSeeOther)

	res = c.PostForm(fmt.Sprintf("/desk/admin/users/%d/disable", admin.ID), nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "You cannot disable your own account.")
}

func TestAuditTrailPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)
	e.User("bob", authz.Editor)
	res := c.Get("/desk/admin/audit")
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "user.create", "session.signin", "&#34;name&#34;: &#34;bob&#34;", "Before", "After", "Created: User ", "via command line")
	// The entries in the reader's words, from the stored codes.
	for lang, want := range map[string]string{"zh-Hant": "建立：使用者 ", "zh-Hans": "创建：用户 "} {
		apptest.WantStatus(t, c.PostForm("/desk/account/language", url.Values{"language": {lang}, "next": {"/desk"}}), http.StatusSeeOther)
		apptest.WantBody(t, c.Get("/desk/admin/audit"), want, "user.create")
	}
	res = c.Get("/desk/admin/audit?entity=nothing")
	apptest.WantBody(t, res, `id="audit-empty"`)
}
