package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/press"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// TestPressStored keeps journalists, refuses bad contacts, logs an
// inquiry about a crisis and answers it, on both engines.
func TestPressStored(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ps := o.st.Press()
		ed := o.users[authz.Editor]

		good := press.Journalist{Name: "Wong Mei", Outlet: "Harbour Daily", Language: "zh-Hant", Beat: "weather",
			Email: "mei@harbour.example", Phone: "+852 9123 4567", Channels: []string{"email", "phone"}, Consent: true, Active: true}
		for _, c := range []struct {
			name  string
			edit  func(*press.Journalist)
			field string
		}{
			{"bad e-mail", func(j *press.Journalist) { j.Email = "mei at harbour" }, "email"},
			{"bad phone", func(j *press.Journalist) { j.Phone = "123" }, "phone"},
			{"no outlet", func(j *press.Journalist) { j.Outlet = "" }, "outlet"},
			{"unknown language", func(j *press.Journalist) { j.Language = "fr" }, "language"},
			{"sms without phone", func(j *press.Journalist) { j.Phone = ""; j.Channels = []string{"sms"} }, "channels"},
		} {
			j := good
			c.edit(&j)
			_, err := ps.AddJournalist(ctx, ed, j)
			if !hasField(fault.FieldsOf(err), c.field) {
				t.Errorf("%s: %v, want the field %s named", c.name, err, c.field)
			}
		}
		if _, err := ps.AddJournalist(ctx, o.users[authz.Observer], good); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an observer added a journalist: %v", err)
		}
		j, err := ps.AddJournalist(ctx, ed, good)
		if err != nil {
			t.Fatal(err)
		}
		if j.Phone != "+85291234567" || !j.Reachable() || j.Version != 1 {
			t.Fatalf("stored %+v", j)
		}
		j.Consent = false
		if j, err = ps.SaveJournalist(ctx, ed, j); err != nil || j.Reachable() || j.Version != 2 {
			t.Fatalf("saved %+v %v", j, err)
		}
		j.Version = 1
		if _, err := ps.SaveJournalist(ctx, ed, j); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale save: %v", err)
		}

		c, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		now := o.clk.Now()
		owner := o.users[authz.Liaison]
		in := press.Inquiry{CrisisID: c.ID, JournalistID: j.ID, Channel: "phone", Question: "Are the schools closed tomorrow?",
			ReceivedAt: now, OwnerID: owner.UserID, ReplyBy: now.Add(time.Hour)}
		bad := in
		bad.ReplyBy = now.Add(-time.Minute)
		if _, err := ps.LogInquiry(ctx, ed, bad); !hasField(fault.FieldsOf(err), "reply_by") {
			t.Fatalf("reply-by before it came in: %v", err)
		}
		bad = in
		bad.CrisisID = 9999
		if _, err := ps.LogInquiry(ctx, ed, bad); !hasField(fault.FieldsOf(err), "crisis_id") {
			t.Fatalf("unknown crisis: %v", err)
		}
		q, err := ps.LogInquiry(ctx, ed, in)
		if err != nil {
			t.Fatal(err)
		}
		if q.Asker != "Wong Mei" || q.Outlet != "Harbour Daily" || q.Answered() || q.Ref() != "MQ-0001" {
			t.Fatalf("logged %+v", q)
		}
		clock, err := ps.ReplyClock(ctx, q.ID)
		if err != nil || clock.Kind != press.DeadlineKind || !clock.DueAt.Equal(q.ReplyBy) || clock.OwnerID != owner.UserID ||
			clock.CrisisID != c.ID || clock.Args["ref"] != "MQ-0001" || !clock.Open() {
			t.Fatalf("reply clock %+v %v", clock, err)
		}
		open, total, err := ps.Inquiries(ctx, press.InquiryFilter{CrisisID: c.ID, OpenOnly: true})
		if err != nil || total != 1 || open[0].ID != q.ID {
			t.Fatalf("open inquiries %v %d %v", open, total, err)
		}
		if _, err := ps.AnswerInquiry(ctx, ed, q.ID, " ", nil); !hasField(fault.FieldsOf(err), "reply") {
			t.Fatalf("empty reply: %v", err)
		}
		if _, err := ps.AnswerInquiry(ctx, ed, q.ID, "Yes", []int64{4242}); !hasField(fault.FieldsOf(err), "notice_ids") {
			t.Fatalf("unknown notice: %v", err)
		}
		o.clk.Advance(20 * time.Minute)
		q, err = ps.AnswerInquiry(ctx, owner, q.ID, "All schools are closed on Thursday.", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !q.Answered() || q.Late(o.clk.Now()) || q.RepliedBy != owner.UserID {
			t.Fatalf("answered %+v", q)
		}
		if clock, err = ps.ReplyClock(ctx, q.ID); err != nil || clock.State(o.clk.Now()) != deadline.Met {
			t.Fatalf("reply clock after the answer %+v %v", clock, err)
		}
		if _, err := ps.AnswerInquiry(ctx, owner, q.ID, "Again", nil); !fault.Is(err, fault.Conflict) {
			t.Fatalf("answered twice: %v", err)
		}
		if _, total, _ := ps.Inquiries(ctx, press.InquiryFilter{OpenOnly: true}); total != 0 {
			t.Fatalf("%d open after the answer", total)
		}

		conf := press.Conference{Title: "Typhoon briefing", CrisisID: c.ID, StartsAt: now.Add(time.Hour), EndsAt: now,
			Venue: "Press room", Speakers: []string{"Director Chan", " "}, Invited: []int64{j.ID, j.ID}}
		if _, err := ps.AddConference(ctx, ed, conf); !hasField(fault.FieldsOf(err), "ends_at") {
			t.Fatalf("a conference ending before it starts: %v", err)
		}
		conf.EndsAt = now.Add(2 * time.Hour)
		if conf, err = ps.AddConference(ctx, ed, conf); err != nil || len(conf.Speakers) != 1 || len(conf.Invited) != 1 {
			t.Fatalf("conference %+v %v", conf, err)
		}
		if got, err := ps.Conference(ctx, conf.ID); err != nil || !got.StartsAt.Equal(conf.StartsAt) || got.Invited[0] != j.ID {
			t.Fatalf("stored conference %+v %v", got, err)
		}

		acc, err := ps.AddAccount(ctx, ed, press.Account{Platform: "x", Handle: "@cityoffice", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.AddAccount(ctx, ed, press.Account{Platform: "x", Handle: "@cityoffice", Active: true}); !hasField(fault.FieldsOf(err), "handle") {
			t.Fatalf("account twice: %v", err)
		}
		accs, err := ps.Accounts(ctx)
		if err != nil || !slices.ContainsFunc(accs, func(a press.Account) bool { return a.ID == acc.ID }) {
			t.Fatalf("accounts %v %v", accs, err)
		}
		if _, err := ps.RecordPost(ctx, ed, press.Post{AccountID: acc.ID, NoticeID: 1, Text: string(make([]rune, 281))}); !hasField(fault.FieldsOf(err), "text") {
			t.Fatalf("post over the limit: %v", err)
		}
	})
}
