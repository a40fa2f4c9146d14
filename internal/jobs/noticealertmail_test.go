package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
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
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/jobs"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// Submitting a notice e-mails the people who decide on it, each in their
// own language, with a link to its staff page; returning it e-mails its
// author. Without a mail server the alerts stay in the app.
func TestNoticeAlertMails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		if _, err := st.SeedCatalog(ctx); err != nil {
			t.Fatal(err)
		}
		sys := authz.System(authz.SourceCLI, "test")
		users := map[string]account.User{}
		for _, u := range []account.NewUser{
			{Name: "ed", Email: "ed@example.org", Role: authz.Editor, Language: "en"},
			{Name: "ann", Email: "ann@example.org", Role: authz.Approver, Language: "zh-Hant"},
			{Name: "rex", Email: "rex@example.org", Role: authz.Reviewer, Language: "en"},
			{Name: "cy", Role: authz.Commander, Language: "en"}, // no address: no e-mail
		} {
			u.Password = "correct horse battery"
			made, err := st.Accounts().CreateUser(ctx, sys, u)
			if err != nil {
				t.Fatal(err)
			}
			users[u.Name] = made
		}
		types, _ := st.Plans().Types(ctx)
		c, err := st.Crises().Declare(ctx, users["cy"].Actor(authz.SourceUI), crisis.Declaration{Title: "Flood",
			TypeID: types[0].ID, Level: catalog.LevelII, Location: "Riverside", OccurredAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.Notices().Create(ctx, users["ed"].Actor(authz.SourceUI), notice.Notice{CrisisID: c.ID, Kind: notice.Alert,
			Audience: notice.Public, Contents: []notice.Content{{Language: "en", Headline: "Leave the riverside", Body: "Water rising."}},
			CAP: notice.CAPInfo{Event: "Flood", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
				Area: notice.Area{Description: "Riverside"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Notices().Submit(ctx, users["ed"].Actor(authz.SourceUI), n.ID, ""); err != nil {
			t.Fatal(err)
		}
		in := channeltest.NewInbox(t)
		mailer, err := email.New(in.URL(), "crisisdesk@example.org")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { mailer.Close() })
		cat, err := i18n.New()
		if err != nil {
			t.Fatal(err)
		}
		work := func(w *jobs.NoticeAlertMailWorker) {
			t.Helper()
			for _, j := range storetest.Jobs[notice.AlertMailArgs](t, st) {
				if err := w.Work(ctx, &river.Job[notice.AlertMailArgs]{JobRow: &rivertype.JobRow{ID: j.ID, Attempt: 1, MaxAttempts: j.MaxAttempts},
					Args: j.Args}); err != nil {
					t.Fatal(err)
				}
			}
		}
		work(&jobs.NoticeAlertMailWorker{Store: st, Catalog: cat, Logger: slog.New(slog.DiscardHandler)})
		if got := in.Received(); got != 0 {
			t.Fatalf("without a mail server %d e-mails went", got)
		}
		work(&jobs.NoticeAlertMailWorker{Store: st, Mailer: mailer, Catalog: cat, BaseURL: "https://crisis.example.org/",
			Logger: slog.New(slog.DiscardHandler)})
		mail := in.Mail()
		if len(mail) != 2 {
			t.Fatalf("%d e-mails for the approver and the reviewer: %+v", len(mail), mail)
		}
		link := "https://crisis.example.org/desk/notices/"
		for _, m := range mail {
			_, raw, _ := strings.Cut(m.Data, "\n\n")
			decoded, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
			if err != nil {
				t.Fatal(err)
			}
			body := string(decoded)
			switch m.To[0] {
			case "ann@example.org":
				if !strings.Contains(body, "待您決定") || !strings.Contains(body, link) {
					t.Errorf("the approver's e-mail is not in her language with the link:\n%s", body)
				}
			case "rex@example.org":
				if !strings.Contains(body, "for your decision") || !strings.Contains(body, "Leave the riverside") || !strings.Contains(body, link) {
					t.Errorf("the reviewer's e-mail:\n%s", body)
				}
			default:
				t.Errorf("e-mailed %v, who does not decide on the notice", m.To)
			}
		}
	})
}
