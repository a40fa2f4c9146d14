package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// declareFire declares a crisis in the office and returns it with the
// clock named name.
func declareFire(t *testing.T, o *office, name string) (crisis.Crisis, crisis.Clock) {
	t.Helper()
	ctx := context.Background()
	c, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Fire", TypeID: o.typ.ID,
		Level: catalog.LevelIII, Location: "Depot", OccurredAt: o.clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = o.st.Crises().Get(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Clocks {
		if k.Name == name {
			return c, k
		}
	}
	t.Fatalf("crisis has no %s clock: %+v", name, c.Clocks)
	return c, crisis.Clock{}
}

func alertIDs(alerts []crisis.Alert) []int64 {
	var ids []int64
	for _, a := range alerts {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	return ids
}

func mailJobIDs(jobs []storetest.Job[crisis.AlertMailArgs]) []int64 {
	var ids []int64
	for _, j := range jobs {
		ids = append(ids, j.Args.AlertID)
	}
	slices.Sort(ids)
	return ids
}

// Each alert recorded with mail gets one e-mail job, written in the
// alert's own transaction: an alert not recorded (again, met, or in-app
// only) has no job.
func TestAlertMailJobsComeWithTheAlerts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		mustUser(t, o.st, "second-commander", authz.Commander)
		c, fn := declareFire(t, o, "first_notice")

		o.clk.Advance(24 * time.Minute)
		inApp, _, err := o.st.AlertClock(ctx, fn.ID, crisis.WarnStage)
		if err != nil || len(inApp) == 0 {
			t.Fatalf("in-app warning: %v %v", inApp, err)
		}
		if jobs := storetest.Jobs[crisis.AlertMailArgs](t, o.st); len(jobs) != 0 {
			t.Fatalf("in-app alerts enqueued e-mails: %+v", jobs)
		}

		o.clk.Advance(7 * time.Minute)
		expired, users, err := o.st.AlertClockAndMail(ctx, fn.ID, crisis.ExpiredStage)
		if err != nil || len(expired) != 2 || len(users) != 2 {
			t.Fatalf("expiry: %d alerts to %d users, %v", len(expired), len(users), err)
		}
		jobs := storetest.Jobs[crisis.AlertMailArgs](t, o.st)
		if got, want := mailJobIDs(jobs), alertIDs(expired); !slices.Equal(got, want) {
			t.Fatalf("e-mail jobs for alerts %v, want one for each of %v", got, want)
		}
		for _, j := range jobs {
			if j.State != "available" || j.Queue != river.QueueDefault || j.Priority != 1 ||
				j.MaxAttempts != crisis.AlertMailAttempts || !j.Unique {
				t.Errorf("e-mail job %+v", j)
			}
		}

		// Nothing recorded, nothing enqueued.
		for _, tc := range []struct {
			name  string
			clock func() int64
			stage crisis.Stage
		}{
			{"alerted at this stage already", func() int64 { return fn.ID }, crisis.ExpiredStage},
			{"met", func() int64 {
				if err := o.st.Crises().MeetClock(ctx, o.users[authz.Commander], c.ID, "activation"); err != nil {
					t.Fatal(err)
				}
				for _, k := range c.Clocks {
					if k.Name == "activation" {
						return k.ID
					}
				}
				t.Fatal("no activation clock")
				return 0
			}, crisis.WarnStage},
			{"gone", func() int64 { return 1 << 40 }, crisis.WarnStage},
		} {
			t.Run(tc.name, func(t *testing.T) {
				alerts, _, err := o.st.AlertClockAndMail(ctx, tc.clock(), tc.stage)
				if err != nil || len(alerts) != 0 {
					t.Fatalf("alerts %v, %v", alerts, err)
				}
				if got := storetest.Jobs[crisis.AlertMailArgs](t, o.st); len(got) != len(jobs) {
					t.Fatalf("%d e-mail jobs, want still %d", len(got), len(jobs))
				}
			})
		}
	})
}

// AlertMail reads what an alert's e-mail job needs as things are when it
// runs: the person now (disabled since?) and whether the clock was met.
func TestAlertMailReadsTheAlertAsItIsNow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		second := mustUser(t, o.st, "second-commander", authz.Commander)
		c, fn := declareFire(t, o, "first_notice")
		o.clk.Advance(24 * time.Minute)
		alerts, _, err := o.st.AlertClockAndMail(ctx, fn.ID, crisis.WarnStage)
		if err != nil || len(alerts) != 2 {
			t.Fatalf("warning: %v %v", alerts, err)
		}
		var mine crisis.Alert
		for _, a := range alerts {
			if a.UserID == second.ID {
				mine = a
			}
		}
		m, err := o.st.AlertMail(ctx, mine.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Alert.ID != mine.ID || m.Alert.Text != mine.Text || m.Alert.Stage != crisis.WarnStage ||
			m.Alert.CrisisID != c.ID || !m.Alert.DueAt.Equal(fn.DueAt) || m.User.ID != second.ID || m.User.Disabled || m.Settled {
			t.Fatalf("alert mail %+v, want alert %+v of user %d, unsettled", m, mine, second.ID)
		}

		if err := o.st.Accounts().SetDisabled(ctx, cli, second.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := o.st.Crises().MeetClock(ctx, o.users[authz.Commander], c.ID, "first_notice"); err != nil {
			t.Fatal(err)
		}
		if m, err = o.st.AlertMail(ctx, mine.ID); err != nil || !m.User.Disabled || !m.Settled {
			t.Fatalf("after disabling and meeting: %+v %v", m, err)
		}
		if _, err := o.st.AlertMail(ctx, 1<<40); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown alert: %v", err)
		}
	})
}
