package authz

import "testing"

func TestMatrix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		role   Role
		action Action
		want   bool
	}{
		{Admin, ManageUsers, true},
		{Commander, ManageUsers, false},
		{Observer, ViewDashboard, true},
		{Observer, ManageDepartment, false},
		{Editor, ViewAudit, false},
		{Observer, ViewAudit, true},
		{Role("nobody"), ViewDashboard, false},
		{Admin, Action("no.such"), false},
	}
	for _, c := range cases {
		if got := Can(c.role, c.action); got != c.want {
			t.Errorf("Can(%s, %s) = %v, want %v", c.role, c.action, got, c.want)
		}
	}
}

func TestEveryActionHasAnAdminOrIsDeliberate(t *testing.T) {
	t.Parallel()
	for _, a := range Actions() {
		if len(Allowed(a)) == 0 {
			t.Errorf("action %s allows nobody", a)
		}
		for _, r := range Allowed(a) {
			if !r.Valid() {
				t.Errorf("action %s names unknown role %q", a, r)
			}
		}
	}
}

// Allowed lists the roles that may take action.
func Allowed(action Action) []Role { return append([]Role(nil), matrix[action]...) }
