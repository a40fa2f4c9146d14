package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/jobs"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// A crisis declared (on the injected clock) 31 minutes ago has passed both
// the 80 % point and the end of its 30-minute first-notice clock: River
// runs both scheduled alerts at once, and the commander gets both in the
// app and by e-mail.
func TestClockAlertsReachTheCommander(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		clk := clock.NewFake(time.Now().Add(-31 * time.Minute))
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		if _, err := st.SeedCatalog(ctx); err != nil {
			t.Fatal(err)
		}
		sys := authz.System(authz.SourceCLI, "test")
		cmd, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: "mei", Email: "mei@example.org",
			Role: authz.Commander, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		types, _ := st.Plans().Types(ctx)
		c, err := st.Crises().Declare(ctx, cmd.Actor(authz.SourceUI), crisis.Declaration{Title: "Warehouse fire",
			TypeID: types[0].ID, Level: catalog.LevelII, Location: "Depot 4", OccurredAt: clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		in := channeltest.NewInbox(t)
		mailer, err := email.New(in.URL(), "crisisdesk@example.org")
		if err != nil {
			t.Fatal(err)
		}
		startRunner(t, st, mailer)
		mail := in.WaitFor(2, 30*time.Second)
		if len(mail) != 2 {
			t.Fatalf("got %d e-mails, want the warning and the expiry", len(mail))
		}
		all := mail[0].Data + mail[1].Data
		for _, want := range []string{"first public notice", "80%", "OVERDUE", "https://crisis.example.org/desk/crises/"} {
			if !strings.Contains(all, want) {
				t.Errorf("e-mails lack %q:\n%s", want, all)
			}
		}
		alerts, err := st.Crises().Alerts(ctx, cmd.ID, true, 10)
		if err != nil || len(alerts) != 2 {
			t.Fatalf("in-app alerts: %+v %v", alerts, err)
		}
		for _, a := range alerts {
			if a.CrisisID != c.ID || a.ClockName != "first_notice" {
				t.Errorf("alert %+v", a)
			}
		}
	})
}

// startRunner runs the job runner with mailer until the test ends.
func startRunner(t *testing.T, st *store.Store, mailer *email.Sender) {
	t.Helper()
	ctx := context.Background()
	r, err := jobs.New(ctx, jobs.Options{Store: st, Mailer: mailer, BaseURL: "https://crisis.example.org",
		PollInterval: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(sctx)
	})
}
