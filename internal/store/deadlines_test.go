package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// A deadline schedules its two alerts in the transaction that starts it;
// its alerts reach the owner and the watchers once per stage and stop when
// it is met; restarting replaces it, and the list leaves replaced ones out.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		owner, watcher := o.users[authz.Editor], o.users[authz.Commander]
		subj := deadline.Subject{Kind: "feedback", ID: 42}
		start := o.clk.Now()
		var d deadline.Deadline
		if err := o.st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			d, err = tx.StartDeadline(ctx, deadline.Deadline{Kind: "test", Subject: subj, OwnerID: owner.UserID,
				Watchers: []int64{watcher.UserID, owner.UserID}, Link: "/desk/feedback/42", Args: map[string]string{"ref": "FB-42"},
				DueAt: start.Add(10 * time.Hour)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		jobs := storetest.Jobs[deadline.AlertArgs](t, o.st)
		if len(jobs) != 2 || jobs[0].Args != (deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.WarnStage}) ||
			jobs[1].Args != (deadline.AlertArgs{DeadlineID: d.ID, Stage: deadline.ExpiredStage}) {
			t.Fatalf("alert jobs %+v", jobs)
		}
		got, err := o.st.DeadlineOf(ctx, "test", subj)
		if err != nil || got.ID != d.ID || got.OwnerID != owner.UserID || len(got.Watchers) != 2 || got.Args["ref"] != "FB-42" ||
			!got.StartedAt.Equal(start) || !got.DueAt.Equal(start.Add(10*time.Hour)) || got.Link != "/desk/feedback/42" {
			t.Fatalf("read back %+v %v", got, err)
		}
		if s := got.State(start.Add(9 * time.Hour)); s != deadline.Warning {
			t.Errorf("state at 90 %%: %s", s)
		}

		// The 80 % alert reaches the owner and the watcher once each.
		o.clk.Advance(8 * time.Hour)
		alerts, err := o.st.AlertDeadline(ctx, d.ID, deadline.WarnStage, true)
		if err != nil || len(alerts) != 2 {
			t.Fatalf("warn alerts %+v %v", alerts, err)
		}
		if again, err := o.st.AlertDeadline(ctx, d.ID, deadline.WarnStage, true); err != nil || len(again) != 0 {
			t.Errorf("second warn: %+v %v", again, err)
		}
		if mails := storetest.Jobs[deadline.MailArgs](t, o.st); len(mails) != 2 {
			t.Errorf("mail jobs %+v", mails)
		}
		mine, err := o.st.DeadlineAlerts(ctx, owner.UserID, true, 0)
		if err != nil || len(mine) != 1 || mine[0].Stage != deadline.WarnStage || mine[0].Deadline.Args["ref"] != "FB-42" {
			t.Fatalf("owner's alerts %+v %v", mine, err)
		}
		// Nobody marks another's alerts read.
		if err := o.st.MarkDeadlineAlertsRead(ctx, watcher.UserID, []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		if still, _ := o.st.DeadlineAlerts(ctx, owner.UserID, true, 0); len(still) != 1 {
			t.Errorf("another person read the owner's alert: %+v", still)
		}
		if err := o.st.MarkDeadlineAlertsRead(ctx, owner.UserID, []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		if still, _ := o.st.DeadlineAlerts(ctx, owner.UserID, true, 0); len(still) != 0 {
			t.Errorf("read alert still unread: %+v", still)
		}
		m, err := o.st.DeadlineAlertMail(ctx, mine[0].ID)
		if err != nil || m.User.ID != owner.UserID || m.Settled {
			t.Errorf("alert mail %+v %v", m, err)
		}

		// Met: the expiry alerts nobody, the e-mail is settled.
		o.clk.Advance(time.Hour)
		if err := o.st.InTx(ctx, func(tx *store.Tx) error { return tx.MeetDeadline(ctx, "test", subj) }); err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(2 * time.Hour)
		if late, err := o.st.AlertDeadline(ctx, d.ID, deadline.ExpiredStage, true); err != nil || len(late) != 0 {
			t.Errorf("expiry of a met deadline: %+v %v", late, err)
		}
		if m, _ := o.st.DeadlineAlertMail(ctx, mine[0].ID); !m.Settled {
			t.Error("alert of a met deadline not settled")
		}
		met, _ := o.st.DeadlineOf(ctx, "test", subj)
		if on, ok := met.OnTime(); !ok || !on || met.State(o.clk.Now()) != deadline.Met {
			t.Errorf("met deadline %+v", met)
		}

		// Started again: a new open row; restarting once more replaces it.
		for range 2 {
			if err := o.st.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.StartDeadline(ctx, deadline.Deadline{Kind: "test", Subject: subj, OwnerID: owner.UserID,
					DueAt: o.clk.Now().Add(time.Hour)})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := o.st.Deadlines(ctx, deadline.Filter{Kind: "test"})
		if err != nil || len(all) != 2 {
			t.Fatalf("deadlines: %+v %v", all, err)
		}
		open, err := o.st.Deadlines(ctx, deadline.Filter{SubjectKind: "feedback", OwnerID: owner.UserID, OpenOnly: true})
		if err != nil || len(open) != 1 || !open[0].Open() {
			t.Errorf("open deadlines: %+v %v", open, err)
		}
		if err := o.st.InTx(ctx, func(tx *store.Tx) error { return tx.CancelDeadline(ctx, "test", subj) }); err != nil {
			t.Fatal(err)
		}
		if open, _ := o.st.Deadlines(ctx, deadline.Filter{Kind: "test", OpenOnly: true}); len(open) != 0 {
			t.Errorf("cancelled deadline still open: %+v", open)
		}

		// Refused: a kind that is not a code, a due time before the start.
		for _, bad := range []struct {
			d    deadline.Deadline
			want error
		}{
			{deadline.Deadline{Kind: "Bad Kind", Subject: subj, DueAt: o.clk.Now().Add(time.Hour)}, deadline.ErrKind},
			{deadline.Deadline{Kind: "test", Subject: subj, DueAt: o.clk.Now().Add(-time.Hour)}, deadline.ErrDue},
			{deadline.Deadline{Kind: "test", Subject: deadline.Subject{Kind: "feedback"}, DueAt: o.clk.Now().Add(time.Hour)}, deadline.ErrSubject},
		} {
			err := o.st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.StartDeadline(ctx, bad.d); return err })
			if !errors.Is(err, bad.want) {
				t.Errorf("started %+v: %v, want %v", bad.d, err, bad.want)
			}
		}
		if _, err := o.st.DeadlineOf(ctx, "test", deadline.Subject{Kind: "feedback", ID: 999}); !fault.Is(err, fault.NotFound) {
			t.Errorf("missing deadline: %v", err)
		}
	})
}
