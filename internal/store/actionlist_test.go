package store_test

import (
	"context"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestActionList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		acc := st.Accounts()
		dep, err := acc.CreateDepartment(ctx, cli, account.DepartmentInput{Code: "works", Name: "工務局"})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := acc.CreateUser(ctx, cli, account.NewUser{Name: "owner", Role: authz.Liaison, Password: pw, DepartmentID: dep.ID})
		if err != nil {
			t.Fatal(err)
		}
		actor := func(u account.User) authz.Actor { return authz.Actor{UserID: u.ID, Name: u.Name, Role: u.Role} }
		ed := actor(mustUser(t, st, "editor", authz.Editor))
		ap := actor(mustUser(t, st, "approver", authz.Approver))
		ow := actor(owner)
		al := st.Actions()
		due := clk.Now().Add(7 * 24 * time.Hour)
		good := action.Action{Source: action.Source{Kind: action.FromMeeting, ID: 3}, Text: "Check the shelters' generators", OwnerID: owner.ID, Due: due}

		bad := []struct {
			name  string
			actor authz.Actor
			in    func(action.Action) action.Action
			code  fault.Code
			field string
		}{
			{"no owner", ed, func(x action.Action) action.Action { x.OwnerID = 0; return x }, fault.Invalid, "owner_id"},
			{"unknown owner", ed, func(x action.Action) action.Action { x.OwnerID = 9999; return x }, fault.Invalid, "owner_id"},
			{"no text", ed, func(x action.Action) action.Action { x.Text = "  "; return x }, fault.Invalid, "text"},
			{"past due", ed, func(x action.Action) action.Action { x.Due = clk.Now().Add(-time.Hour); return x }, fault.Invalid, "due"},
			{"no source", ed, func(x action.Action) action.Action { x.Source = action.Source{Kind: "rumour", ID: 1}; return x }, fault.Invalid, "source"},
			{"a liaison adds", ow, func(x action.Action) action.Action { return x }, fault.Forbidden, ""},
		}
		for _, c := range bad {
			_, err := al.Add(ctx, c.actor, c.in(good))
			if !fault.Is(err, c.code) || (c.field != "" && !hasField(fault.FieldsOf(err), c.field)) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		x, err := al.Add(ctx, ed, good)
		if err != nil || x.State != action.Open || x.DepartmentID != dep.ID || x.CreatedBy != ed.UserID || x.Link != "/desk/meetings/3" {
			t.Fatalf("add %+v %v", x, err)
		}
		other := good
		other.Text, other.OwnerID, other.Due = "Write to the schools", ap.UserID, clk.Now().Add(time.Hour)
		if _, err := al.Add(ctx, ed, other); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    action.Filter
			want int
		}{
			{"all", action.Filter{}, 2},
			{"mine", action.Filter{OwnerID: owner.ID, OpenOnly: true}, 1},
			{"department", action.Filter{DepartmentID: dep.ID}, 1},
			{"meeting 3", action.Filter{Source: action.FromMeeting, SourceID: 3}, 2},
			{"meeting 4", action.Filter{Source: action.FromMeeting, SourceID: 4}, 0},
			{"drills", action.Filter{Source: action.FromDrill}, 0},
			{"due soon", action.Filter{DueBefore: clk.Now().Add(2 * time.Hour)}, 1},
		} {
			if got, err := al.List(ctx, c.f); err != nil || len(got) != c.want {
				t.Errorf("%s: %d actions (%v), want %d", c.name, len(got), err, c.want)
			}
		}
		clk.Advance(8 * 24 * time.Hour)
		owed := action.Tally(mustList(t, al), clk.Now(), func(x action.Action) int64 { return x.OwnerID })
		if len(owed) != 2 || owed[0].Overdue+owed[1].Overdue != 2 {
			t.Fatalf("owed %+v", owed)
		}
		if _, err := al.Verify(ctx, ap, x.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("verify an open action: %v", err)
		}
		if _, err := al.Complete(ctx, actor(mustUser(t, st, "someone", authz.Liaison)), x.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("someone else's action: %v", err)
		}
		if d, err := st.DeadlineOf(ctx, action.DeadlineKind, deadline.Subject{Kind: "action", ID: x.ID}); err != nil ||
			!d.DueAt.Equal(due) || d.OwnerID != owner.ID || !d.Open() {
			t.Fatalf("the action's clock %+v %v", d, err)
		}
		if x, err = al.Complete(ctx, ow, x.ID); err != nil || x.State != action.Done || x.DoneBy != owner.ID || x.OnTime() {
			t.Fatalf("done %+v %v", x, err)
		}
		if d, err := st.DeadlineOf(ctx, action.DeadlineKind, deadline.Subject{Kind: "action", ID: x.ID}); err != nil || d.MetAt.IsZero() {
			t.Fatalf("the clock of a done action %+v %v", d, err)
		}
		if _, err := al.Complete(ctx, ow, x.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("done twice: %v", err)
		}
		if x, err = al.Verify(ctx, ap, x.ID); err != nil || !x.Closed() || x.VerifiedBy != ap.UserID {
			t.Fatalf("verified %+v %v", x, err)
		}
		if got, _ := al.List(ctx, action.Filter{OwnerID: owner.ID, OpenOnly: true}); len(got) != 0 {
			t.Fatalf("a verified action is still owed: %+v", got)
		}
		if _, err := al.Get(ctx, 9999); !fault.Is(err, fault.NotFound) {
			t.Fatalf("missing action: %v", err)
		}
	})
}

func mustList(t *testing.T, al action.Service) []action.Action {
	t.Helper()
	list, err := al.List(context.Background(), action.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}
