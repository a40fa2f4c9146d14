package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"mime/quotedprintable"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel/channeltest"
	"crisisdesk/internal/channel/email"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/jobs"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// alertDesk is a crisis office whose first-notice clock has run out: the
// clock alert job has run, so the alerts are recorded and their e-mail
// jobs wait in the queue. Three commanders are alerted: mei and ada by
// e-mail, bo has no address.
type alertDesk struct {
	st     *store.Store
	in     *channeltest.Inbox
	worker *jobs.AlertMailWorker
	users  map[string]account.User
	jobs   []storetest.Job[crisis.AlertMailArgs]
	log    *bytes.Buffer
}

func newAlertDesk(t *testing.T, engine store.Engine) *alertDesk {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Now().Add(-31 * time.Minute))
	st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
	if _, err := st.SeedCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	sys := authz.System(authz.SourceCLI, "test")
	d := &alertDesk{st: st, in: channeltest.NewInbox(t), users: map[string]account.User{}, log: &bytes.Buffer{}}
	for name, addr := range map[string]string{"mei": "mei@example.org", "ada": "ada@example.org", "bo": ""} {
		u, err := st.Accounts().CreateUser(ctx, sys, account.NewUser{Name: name, Email: addr,
			Role: authz.Commander, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		d.users[name] = u
	}
	types, _ := st.Plans().Types(ctx)
	c, err := st.Crises().Declare(ctx, d.users["mei"].Actor(authz.SourceUI), crisis.Declaration{Title: "Warehouse fire",
		TypeID: types[0].ID, Level: catalog.LevelII, Location: "Depot 4", OccurredAt: clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = st.Crises().Get(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	var fn crisis.Clock
	for _, k := range c.Clocks {
		if k.Name == "first_notice" {
			fn = k
		}
	}
	clk.Set(time.Now())
	alerter := &jobs.ClockAlertWorker{Store: st, Mail: true}
	if err := alerter.Work(ctx, &river.Job[crisis.ClockAlertArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1},
		Args: crisis.ClockAlertArgs{ClockID: fn.ID, Stage: crisis.ExpiredStage}}); err != nil {
		t.Fatal(err)
	}
	if d.jobs = storetest.Jobs[crisis.AlertMailArgs](t, st); len(d.jobs) != 3 {
		t.Fatalf("%d e-mail jobs, want one for each of the 3 commanders", len(d.jobs))
	}
	mailer, err := email.New(d.in.URL(), "crisisdesk@example.org")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mailer.Close() })
	d.worker = &jobs.AlertMailWorker{Store: st, Mailer: mailer, BaseURL: "https://crisis.example.org/",
		Logger: slog.New(slog.NewTextHandler(d.log, nil))}
	return d
}

// work runs every e-mail job once, as River's attempt number attempt,
// and returns what each returned.
func (d *alertDesk) work(t *testing.T, attempt int) []error {
	t.Helper()
	var errs []error
	for _, j := range d.jobs {
		errs = append(errs, d.worker.Work(context.Background(), &river.Job[crisis.AlertMailArgs]{
			JobRow: &rivertype.JobRow{ID: j.ID, Kind: j.Args.Kind(), Attempt: attempt, MaxAttempts: j.MaxAttempts},
			Args:   j.Args}))
	}
	return errs
}

func recipients(mail []channeltest.Mail) []string {
	var to []string
	for _, m := range mail {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	return to
}

func cancelled(err error) bool {
	var c *river.JobCancelError
	return errors.As(err, &c)
}

// A mail server that answers 451 for a while delays the alert e-mails but
// loses none: River retries the failed jobs, and each person gets exactly
// one e-mail once the server accepts again. A 550 cancels the job: retrying
// a refusal only repeats it. A person without an address, or disabled
// since the alert, is skipped without an error.
func TestAlertMailsSurviveAnSMTPHiccup(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		for _, tc := range []struct {
			name     string
			codes    []int // the server's answer to RCPT at each attempt; 0 accepts
			disable  string
			wantTo   []string
			wantLogs []string
		}{
			{name: "accepted", codes: []int{0}, wantTo: []string{"ada@example.org", "mei@example.org"}},
			{name: "temporary failures, then accepted", codes: []int{451, 421, 0},
				wantTo: []string{"ada@example.org", "mei@example.org"}, wantLogs: []string{"will retry"}},
			{name: "refused", codes: []int{550}, wantLogs: []string{"refused"}},
			{name: "disabled since the alert", codes: []int{0}, disable: "ada", wantTo: []string{"mei@example.org"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				d := newAlertDesk(t, engine)
				if tc.disable != "" {
					if err := d.st.Accounts().SetDisabled(ctx, authz.System(authz.SourceCLI, "test"), d.users[tc.disable].ID, true); err != nil {
						t.Fatal(err)
					}
				}
				var last []error
				for attempt, code := range tc.codes {
					d.in.Reject(code)
					last = d.work(t, attempt+1)
					// A job is tried again only if it returned an error
					// that is not a cancellation, as River would.
					var again []storetest.Job[crisis.AlertMailArgs]
					for i, err := range last {
						switch {
						case err == nil:
						case cancelled(err):
							if code < 500 {
								t.Fatalf("job %d cancelled after a temporary %d: %v", d.jobs[i].ID, code, err)
							}
						case code == 0:
							t.Fatalf("job %d failed with the server accepting: %v", d.jobs[i].ID, err)
						case code >= 500:
							t.Fatalf("job %d after %d: %v, want it cancelled", d.jobs[i].ID, code, err)
						default:
							again = append(again, d.jobs[i])
						}
					}
					if code != 0 && len(d.in.Mail()) != 0 {
						t.Fatalf("mail arrived though the server answered %d", code)
					}
					d.jobs = again
				}
				if len(d.jobs) != 0 {
					t.Fatalf("%d jobs left to retry: %v", len(d.jobs), last)
				}
				mail := d.in.Mail()
				if got := recipients(mail); !slices.Equal(got, tc.wantTo) {
					t.Fatalf("e-mailed %v, want %v", got, tc.wantTo)
				}
				for _, m := range mail {
					for _, want := range []string{"Subject: [crisisdesk] OVERDUE: Warehouse fire",
						"Open the crisis room: https://crisis.example.org/desk/crises/", "X-Crisisdesk-Crisis: "} {
						if !strings.Contains(m.Data, want) {
							t.Errorf("e-mail to %v lacks %q:\n%s", m.To, want, m.Data)
						}
					}
				}
				for _, want := range tc.wantLogs {
					if !strings.Contains(d.log.String(), want) {
						t.Errorf("log lacks %q:\n%s", want, d.log)
					}
				}
			})
		}
	})
}

// The clock met while the server was failing: the overdue e-mail is no
// news any more and is not sent.
func TestAlertMailSkipsAClockMetMeanwhile(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		d := newAlertDesk(t, engine)
		d.in.Reject(451)
		failed := 0
		for _, err := range d.work(t, 1) {
			if cancelled(err) {
				t.Fatalf("after 451: %v, want a retry", err)
			}
			if err != nil {
				failed++
			}
		}
		if failed != 2 {
			t.Fatalf("%d e-mails failed, want mei's and ada's", failed)
		}
		m, err := d.st.AlertMail(ctx, d.jobs[0].Args.AlertID)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.st.Crises().MeetClock(ctx, d.users["mei"].Actor(authz.SourceUI), m.Alert.CrisisID, "first_notice"); err != nil {
			t.Fatal(err)
		}
		d.in.Reject(0)
		for _, err := range d.work(t, 2) {
			if err != nil {
				t.Fatal(err)
			}
		}
		if mail := d.in.Mail(); len(mail) != 0 {
			t.Fatalf("e-mailed %v about a met clock", recipients(mail))
		}
	})
}

// Through River: the expiry alert's e-mails (recorded by newAlertDesk) are
// refused by the server, and each refused e-mail job is tried once and
// cancelled; the clock's 80 % job, run after the clock's due time, alerts
// nobody, since the expiry alert said it already. bo has no address: his
// job completes without trying.
func TestRefusedAlertMailIsCancelledByRiver(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		d := newAlertDesk(t, engine)
		d.in.Reject(550)
		startRunner(t, d.st, d.worker.Mailer)
		// One round of three jobs: the expiry's; none for the 80 % point.
		want := map[string]int{"cancelled": 2, "completed": 1}
		var got map[string]int
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			got = map[string]int{}
			for _, j := range storetest.Jobs[crisis.AlertMailArgs](t, d.st) {
				got[j.State]++
				if j.Attempt > 1 {
					t.Fatalf("job %d tried %d times", j.ID, j.Attempt)
				}
			}
			if maps.Equal(got, want) {
				break
			}
		}
		if !maps.Equal(got, want) {
			t.Fatalf("e-mail jobs by state %v, want %v", got, want)
		}
		// Once the first-notice clock's own alert jobs have run (the 80 %
		// one included, due long ago), still no more e-mails.
		m, err := d.st.AlertMail(context.Background(), d.jobs[0].Args.AlertID)
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.st.Crises().Get(context.Background(), m.Alert.CrisisID)
		if err != nil {
			t.Fatal(err)
		}
		var first int64
		for _, k := range c.Clocks {
			if k.Name == "first_notice" {
				first = k.ID
			}
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			pending := 0
			for _, j := range storetest.Jobs[crisis.ClockAlertArgs](t, d.st) {
				if j.Args.ClockID == first && j.State != "completed" {
					pending++
				}
			}
			if pending == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("clock alert jobs still pending: %+v", storetest.Jobs[crisis.ClockAlertArgs](t, d.st))
			}
		}
		if n := len(storetest.Jobs[crisis.AlertMailArgs](t, d.st)); n != 3 {
			t.Fatalf("%d e-mail jobs after the 80 %% job ran, want the expiry's 3", n)
		}
		if mail := d.in.Mail(); len(mail) != 0 {
			t.Fatalf("refused mail arrived: %v", recipients(mail))
		}
	})
}

// With the catalogue, a clock alert e-mail is worded in its person's
// language from the alert's fields, not in the English stored with it.
func TestAlertMailInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		d := newAlertDesk(t, engine)
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		d.worker.Catalog = cat
		for _, tc := range []struct{ name, lang string }{{"mei", "zh-Hant"}, {"ada", "en"}} {
			u := d.users[tc.name]
			if err := d.st.Accounts().SetLanguage(ctx, u.Actor(authz.SourceUI), tc.lang); err != nil {
				t.Fatal(err)
			}
		}
		for _, err := range d.work(t, 1) {
			if err != nil {
				t.Fatal(err)
			}
		}
		want := map[string][]string{
			"mei@example.org": {"逾時", "開啟危機室：https://crisis.example.org/desk/crises/"},
			"ada@example.org": {"First public notice in “Warehouse fire” ran out at", "Open the crisis room: https://crisis.example.org/desk/crises/"},
		}
		mail := d.in.Mail()
		if len(mail) != 2 {
			t.Fatalf("%d e-mails, want 2", len(mail))
		}
		for _, m := range mail {
			_, raw, _ := strings.Cut(m.Data, "\n\n")
			body, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range want[m.To[0]] {
				if !strings.Contains(string(body), s) {
					t.Errorf("e-mail to %v lacks %q:\n%s", m.To, s, body)
				}
			}
		}
	})
}
