package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
)

func TestDepartments(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	c, _ := e.SignedIn("ada", authz.Admin)

	res := c.PostForm("/desk/admin/departments/new", url.Values{"code": {"Bad Code!"}, "name": {""}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="code-error"`, `id="name-error"`)

	res = c.PostForm("/desk/admin/departments/new", url.Values{"code": {"health"}, "name": {"Health"}, "email": {"health@example.org"}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	m := regexp.MustCompile(`^/desk/admin/departments/(\d+)\?done=created$`).FindStringSubmatch(res.Location())
	if m == nil {
		t.Fatalf("Location %q", res.Location())
	}
	path := "/desk/admin/departments/" + m[1]

	res = c.PostForm("/desk/admin/departments/new", url.Values{"code": {"health"}, "name": {"Again"}})
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, "This code is already used by another department.")

	apptest.WantBody(t, c.Get("/desk/admin/departments"), "Health", "health@example.org")

	// Stale edit.
	d, _, err := e.Store.Accounts().ListDepartments(context.Background(), 0, 10)
	if err != nil || len(d) != 1 {
		t.Fatalf("departments %v, %v", d, err)
	}
	old := d[0].Version
	if _, err := e.Store.Accounts().UpdateDepartment(context.Background(), apptest.CLI, d[0].ID, account.DepartmentInput{Code: "health", Name: "Public Health", Version: old}); err != nil {
		t.Fatal(err)
	}
	res = c.PostForm(path, url.Values{"code": {"health"}, "name": {"Mine"}, "version": {fmt.Sprint(old)}})
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "Someone else changed this record")

	// In use: refused with a reason.
	if _, err := e.Store.Accounts().CreateUser(context.Background(), apptest.CLI, account.NewUser{Name: "nurse", Role: authz.Liaison, DepartmentID: d[0].ID, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	res = c.PostForm(path+"/delete", nil)
	apptest.WantStatus(t, res, http.StatusConflict)
	apptest.WantBody(t, res, "This department still has users.")

	// Observers may look but not change.
	obs, _ := e.SignedIn("olga", authz.Observer)
	res = obs.Get(path)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "Public Health", "disabled")
	apptest.WantStatus(t, obs.PostForm(path+"/delete", nil), http.StatusForbidden)
}
