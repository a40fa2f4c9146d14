package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestTaskOwnership ticks and unticks tasks as people inside and outside
// each task's ownership, and checks that the store decides by the
// department a person is in when they tick, not when their page was made.
func TestTaskOwnership(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		acc := o.st.Accounts()
		dept := func(code string) int64 {
			d, err := acc.CreateDepartment(ctx, cli, account.DepartmentInput{Code: code, Name: code})
			if err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		works, health := dept("works"), dept("health")
		person := func(name string, role authz.Role, deptID int64) authz.Actor {
			u, err := acc.CreateUser(ctx, cli, account.NewUser{Name: name, Role: role, DepartmentID: deptID, Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			return u.Actor(authz.SourceUI)
		}
		worksLiaison := person("works-liaison", authz.Liaison, works) // the sandbag task's assignee
		worksEditor := person("works-editor", authz.Editor, works)
		healthEditor := person("health-editor", authz.Editor, health)
		loneApprover := person("lone-approver", authz.Approver, 0)

		body := typhoonBody()
		body.Steps = append(body.Steps, plan.Step{Key: "d1", Phase: plan.Response, Title: "Lay sandbags", Levels: []catalog.Level{2},
			OwnerDept: "works", Deadline: plan.Duration(time.Hour), Checklist: []string{"Depot A"}})
		ps := o.st.Plans()
		p, err := ps.Create(ctx, o.users[authz.Editor], "typhoon", o.typ.ID, "Typhoon plan", body)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			f func(context.Context, authz.Actor, int64, string) (plan.Plan, error)
			a authz.Role
		}{{ps.Submit, authz.Editor}, {ps.Review, authz.Reviewer}, {ps.Approve, authz.Approver}} {
			if p, err = step.f(ctx, o.users[step.a], p.ID, "ok"); err != nil {
				t.Fatal(err)
			}
		}
		cs := o.st.Crises()
		c, err := cs.Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now().Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Activate(ctx, o.users[authz.Commander], c.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		tasks, err := cs.Tasks(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]crisis.Task{}
		for _, tk := range tasks {
			byKey[tk.StepKey] = tk
		}
		if d1 := byKey["d1"]; d1.OwnerDeptID != works || d1.AssigneeID != worksLiaison.UserID || d1.AssigneeDeptID != works {
			t.Fatalf("the sandbag task %+v", d1)
		}

		for _, tc := range []struct {
			name string
			who  authz.Actor
			key  string
			ok   bool
		}{
			{"the owning department's liaison", worksLiaison, "d1", true},
			{"an editor of the owning department", worksEditor, "d1", true},
			{"an editor of another department", healthEditor, "d1", false},
			{"an approver of no department", loneApprover, "d1", false},
			{"the commander", o.users[authz.Commander], "d1", true},
			{"an observer", o.users[authz.Observer], "d1", false},
			{"the admin", o.users[authz.Admin], "d1", false},
			{"any editor, on the editors' task", healthEditor, "r1", true},
			{"a liaison, on the editors' task", worksLiaison, "r1", false},
			{"the commander, on the editors' task", o.users[authz.Commander], "r1", true},
		} {
			tk, err := cs.Task(ctx, byKey[tc.key].ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, done := range []bool{true, false} {
				got, err := cs.SetTaskDone(ctx, tc.who, tk.ID, done, tk.Version)
				switch {
				case tc.ok && err != nil:
					t.Errorf("%s: tick %v: %v", tc.name, done, err)
				case !tc.ok && !fault.Is(err, fault.Forbidden):
					t.Errorf("%s: tick %v: %v, want forbidden", tc.name, done, err)
				case tc.ok:
					tk = got
				}
			}
			if _, err := cs.SetCheckItem(ctx, tc.who, tk.ID, 0, true, tk.Version); tc.ok != (err == nil) ||
				(err != nil && !fault.Is(err, fault.Forbidden)) {
				t.Errorf("%s: checklist: %v", tc.name, err)
			}
			if tk, err = cs.Task(ctx, tk.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := cs.SetCheckItem(ctx, o.users[authz.Commander], tk.ID, 0, false, tk.Version); err != nil && tc.key == "d1" {
				t.Fatal(err)
			}
		}

		// An editor moved to another department no longer owns the task,
		// though the actor they hold says nothing about departments.
		moved, err := acc.User(ctx, worksEditor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := acc.UpdateUser(ctx, cli, moved.ID, account.UserUpdate{DisplayName: moved.DisplayName, Role: moved.Role,
			DepartmentID: health, Version: moved.Version}); err != nil {
			t.Fatal(err)
		}
		d1, err := cs.Task(ctx, byKey["d1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.SetTaskDone(ctx, worksEditor, d1.ID, true, d1.Version); !fault.Is(err, fault.Forbidden) {
			t.Errorf("an editor moved out of the department ticks: %v", err)
		}
	})
}
