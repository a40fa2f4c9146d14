package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
)

func TestDepartments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.signedIn("ada", authz.Admin)

	res := c.post("/admin/departments/new", url.Values{"code": {"Bad Code!"}, "name": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, `id="code-error"`, `id="name-error"`)

	res = c.post("/admin/departments/new", url.Values{"code": {"health"}, "name": {"Health"}, "email": {"health@example.org"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := regexp.MustCompile(`^/admin/departments/(\d+)\?done=created$`).FindStringSubmatch(res.location())
	if m == nil {
		t.Fatalf("Location %q", res.location())
	}
	path := "/admin/departments/" + m[1]

	res = c.post("/admin/departments/new", url.Values{"code": {"health"}, "name": {"Again"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "This code is already used by another department.")

	wantBody(t, c.get("/admin/departments"), "Health", "health@example.org")

	// Stale edit.
	d, _, err := e.st.Accounts().ListDepartments(context.Background(), 0, 10)
	if err != nil || len(d) != 1 {
		t.Fatalf("departments %v, %v", d, err)
	}
	old := d[0].Version
	if _, err := e.st.Accounts().UpdateDepartment(context.Background(), cli, d[0].ID, account.DepartmentInput{Code: "health", Name: "Public Health", Version: old}); err != nil {
		t.Fatal(err)
	}
	res = c.post(path, url.Values{"code": {"health"}, "name": {"Mine"}, "version": {fmt.Sprint(old)}})
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "Someone else changed this record")

	// In use: refused with a reason.
	if _, err := e.st.Accounts().CreateUser(context.Background(), cli, account.NewUser{Name: "nurse", Role: authz.Liaison, DepartmentID: d[0].ID, Password: password}); err != nil {
		t.Fatal(err)
	}
	res = c.post(path+"/delete", nil)
	wantStatus(t, res, http.StatusConflict)
	wantBody(t, res, "This department still has users.")

	// Observers may look but not change.
	obs, _ := e.signedIn("olga", authz.Observer)
	res = obs.get(path)
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "Public Health", "disabled")
	wantStatus(t, obs.post(path+"/delete", nil), http.StatusForbidden)
}
