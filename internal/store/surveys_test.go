package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/survey"
)

// closedCrisisWithSubscribers publishes a notice of a real crisis to
// three subscribers, adds a fourth who got nothing, and closes the
// crisis.
func closedCrisisWithSubscribers(t *testing.T, o *office) (crisisID int64, told []subscriber.Subscriber) {
	t.Helper()
	ctx := context.Background()
	for i, ch := range []string{"email", "email", "sms"} {
		addr := fmt.Sprintf("person%d@example.org", i)
		if ch == "sms" {
			addr = "+85291234567"
		}
		told = append(told, addSubscriber(t, o, subscriber.Subscriber{Channel: ch, Address: addr}))
	}
	n := publish(t, o, publicNotice(0))
	walk(t, o.st.Deliveries(), n.ID, 100)
	addSubscriber(t, o, subscriber.Subscriber{Channel: "email", Address: "late@example.org"})
	cmd := o.users[authz.Commander]
	if _, err := o.st.Crises().Recover(ctx, cmd, n.CrisisID, "winds easing"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.st.Crises().Close(ctx, cmd, n.CrisisID, "over"); err != nil {
		t.Fatal(err)
	}
	return n.CrisisID, told
}

func TestSurveyScheduledOnCloseAndSentOncePerPerson(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ss := o.st.Surveys()
		closedAt := o.clk.Now()
		crisisID, _ := closedCrisisWithSubscribers(t, o)
		s, err := ss.ByCrisis(ctx, crisisID)
		if err != nil {
			t.Fatal(err)
		}
		// The clock: out within a month of closing.
		if s.State != survey.Draft || !s.SendBy.Equal(closedAt.Add(survey.SendWithin)) || len(s.Questions) != 6 {
			t.Fatalf("scheduled %+v", s)
		}
		for _, tc := range []struct {
			after time.Duration
			late  bool
		}{{0, false}, {29 * 24 * time.Hour, false}, {survey.SendWithin, false}, {survey.SendWithin + time.Minute, true}} {
			if got := s.Late(closedAt.Add(tc.after)); got != tc.late {
				t.Errorf("late after %s = %v", tc.after, got)
			}
		}
		// The same month as a deadline: warned at 80 %, overdue after.
		subj := deadline.Subject{Kind: "survey", ID: s.ID}
		d, err := o.st.DeadlineOf(ctx, store.SurveyDeadline, subj)
		if err != nil || !d.DueAt.Equal(s.SendBy) || d.CrisisID != crisisID || d.OwnerID != o.users[authz.Commander].UserID {
			t.Fatalf("deadline: %v %+v", err, d)
		}
		for _, tc := range []struct {
			after time.Duration
			want  deadline.State
		}{{0, deadline.Running}, {23 * 24 * time.Hour, deadline.Running}, {25 * 24 * time.Hour, deadline.Warning},
			{survey.SendWithin, deadline.Overdue}} {
			if got := d.State(closedAt.Add(tc.after)); got != tc.want {
				t.Errorf("deadline after %s: %s, want %s", tc.after, got, tc.want)
			}
		}
		if _, err := ss.Create(ctx, o.users[authz.Editor], crisisID, survey.Default("again")); !fault.Is(err, fault.Invalid) {
			t.Fatalf("second survey of a crisis: %v", err)
		}
		if _, _, err := ss.Send(ctx, o.users[authz.Observer], s.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer sends: %v", err)
		}
		o.clk.Advance(3 * 24 * time.Hour)
		s, invited, err := ss.Send(ctx, o.users[authz.Editor], s.ID)
		if err != nil || invited != 3 || s.State != survey.Sent || s.Late(o.clk.Now()) {
			t.Fatalf("send: %v %d %+v", err, invited, s)
		}
		if _, _, err := ss.Send(ctx, o.users[authz.Editor], s.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("sent twice: %v", err)
		}
		if d, err = o.st.DeadlineOf(ctx, store.SurveyDeadline, subj); err != nil || d.State(o.clk.Now()) != deadline.Met {
			t.Fatalf("deadline after sending: %v %s", err, d.State(o.clk.Now()))
		}
		if jobs := storetest.Jobs[survey.SendArgs](t, o.st); len(jobs) != 1 || jobs[0].Args.SurveyID != s.ID {
			t.Fatalf("send job: %+v", jobs)
		}
		first, err := o.st.NextSurveyInvites(ctx, s.ID, 2)
		if err != nil || len(first) != 2 {
			t.Fatalf("first invites: %v %d", err, len(first))
		}
		rest, err := o.st.NextSurveyInvites(ctx, s.ID, 10)
		if err != nil || len(rest) != 1 {
			t.Fatalf("rest: %v %d", err, len(rest))
		}
		if again, err := o.st.NextSurveyInvites(ctx, s.ID, 10); err != nil || len(again) != 0 {
			t.Fatalf("invited twice: %v %d", err, len(again))
		}
		if s, _ = ss.Get(ctx, s.ID); s.Invited != 3 {
			t.Fatalf("invited %d", s.Invited)
		}
	})
}

func TestSurveyAnswers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ss := o.st.Surveys()
		crisisID, _ := closedCrisisWithSubscribers(t, o)
		s, _ := ss.ByCrisis(ctx, crisisID)
		if _, _, err := ss.Send(ctx, o.users[authz.Editor], s.ID); err != nil {
			t.Fatal(err)
		}
		invites, err := o.st.NextSurveyInvites(ctx, s.ID, 10)
		if err != nil || len(invites) != 3 {
			t.Fatalf("invites: %v %d", err, len(invites))
		}
		good := []survey.Answer{{Question: "timeliness", Scale: 4}, {Question: "clarity", Scale: 5},
			{Question: "usefulness", Scale: 3}, {Question: "trust", Scale: 4}, {Question: "channel", Choices: []string{"sms"}}}
		for _, tc := range []struct {
			name    string
			token   string
			answers []survey.Answer
			code    fault.Code
			field   string
		}{
			{"unknown token", "nope", good, fault.NotFound, ""},
			{"empty token", "", good, fault.NotFound, ""},
			{"scale out of range", invites[0].Token, append(slices.Clone(good[1:]), survey.Answer{Question: "timeliness", Scale: 9}), fault.Invalid, "timeliness"},
			{"required missing", invites[0].Token, good[1:], fault.Invalid, "timeliness"},
			{"unknown option", invites[0].Token, append(slices.Clone(good[:4]), survey.Answer{Question: "channel", Choices: []string{"pigeon"}}), fault.Invalid, "channel"},
			{"huge text", invites[0].Token, append(slices.Clone(good), survey.Answer{Question: "improve", Text: strings.Repeat("x", 20000)}), fault.Invalid, "improve"},
		} {
			err := ss.Answer(ctx, tc.token, tc.answers)
			if !fault.Is(err, tc.code) || (tc.field != "" && !hasField(fault.FieldsOf(err), tc.field)) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := ss.Invitation(ctx, invites[0].Token); err != nil {
			t.Fatalf("open invitation: %v", err)
		}
		withText := append(slices.Clone(good), survey.Answer{Question: "improve", Text: "More <b>SMS</b> please"})
		if err := ss.Answer(ctx, invites[0].Token, withText); err != nil {
			t.Fatal(err)
		}
		if err := ss.Answer(ctx, invites[0].Token, good); !fault.Is(err, fault.Conflict) {
			t.Fatalf("answered twice: %v", err)
		}
		if _, err := ss.Invitation(ctx, invites[0].Token); !fault.Is(err, fault.Conflict) {
			t.Fatalf("answered invitation opens: %v", err)
		}
		good[0].Scale = 2
		if err := ss.Answer(ctx, invites[1].Token, good); err != nil {
			t.Fatal(err)
		}
		res, err := ss.Results(ctx, s.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		q := res.Questions[0]
		if q.Answered != 2 || q.Mean != 3 || q.Counts[1].N != 1 || q.Counts[3].N != 1 || res.Survey.Responses != 2 {
			t.Fatalf("timeliness: %+v", q)
		}
		if res.Questions[5].Texts != nil {
			t.Fatal("free text shown without the right")
		}
		if res, _ = ss.Results(ctx, s.ID, true); len(res.Questions[5].Texts) != 1 || res.Questions[5].Texts[0] != "More <b>SMS</b> please" {
			t.Fatalf("texts: %+v", res.Questions[5])
		}
		trend, err := ss.Trend(ctx, 10)
		if err != nil || len(trend) != 1 || trend[0].Means["clarity"] != 5 || trend[0].Means["timeliness"] != 3 {
			t.Fatalf("trend: %v %+v", err, trend)
		}

		// Opting out keeps later surveys away; closing stops answers.
		if err := ss.OptOut(ctx, invites[2].Token); err != nil {
			t.Fatal(err)
		}
		other, err := ss.Create(ctx, o.users[authz.Editor], 0, survey.Default("all subscribers"))
		if err != nil {
			t.Fatal(err)
		}
		if _, n, err := ss.Send(ctx, o.users[authz.Editor], other.ID); err != nil || n != 3 {
			t.Fatalf("standalone send to all but the opted-out: %v %d", err, n)
		}
		if _, err := ss.Close(ctx, o.users[authz.Editor], s.ID); err != nil {
			t.Fatal(err)
		}
		if err := ss.Answer(ctx, invites[2].Token, good); !fault.Is(err, fault.Conflict) {
			t.Fatalf("answer a closed survey: %v", err)
		}
	})
}

// TestSurveyAnswerCannotBeTraced proves that an answer cannot be traced
// to the person who gave it: answering changes nothing stored about the
// invitation, the answer tables have no column that could name a person
// or an invitation, and the spent-token list shares no value with the
// invitations.
func TestSurveyAnswerCannotBeTraced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ss := o.st.Surveys()
		crisisID, told := closedCrisisWithSubscribers(t, o)
		s, _ := ss.ByCrisis(ctx, crisisID)
		if _, _, err := ss.Send(ctx, o.users[authz.Editor], s.ID); err != nil {
			t.Fatal(err)
		}
		invites, err := o.st.NextSurveyInvites(ctx, s.ID, 10)
		if err != nil || len(invites) != 3 {
			t.Fatalf("invites: %v", err)
		}
		db := o.st.Writer()
		before := dump(t, db, `SELECT id, survey_id, subscriber_id, token_hash, sent_at, failed FROM survey_invitations ORDER BY id`)
		subsBefore := dump(t, db, `SELECT * FROM subscribers ORDER BY id`)
		o.clk.Advance(time.Hour)
		answers := []survey.Answer{{Question: "timeliness", Scale: 5}, {Question: "clarity", Scale: 5},
			{Question: "usefulness", Scale: 5}, {Question: "trust", Scale: 5}, {Question: "improve", Text: "I live at 1 Harbour Road"}}
		if err := ss.Answer(ctx, invites[1].Token, answers); err != nil {
			t.Fatal(err)
		}
		// Nothing about the invitation or the subscriber changed.
		if after := dump(t, db, `SELECT id, survey_id, subscriber_id, token_hash, sent_at, failed FROM survey_invitations ORDER BY id`); after != before {
			t.Fatalf("answering changed the invitations:\n%s\n%s", before, after)
		}
		if after := dump(t, db, `SELECT * FROM subscribers ORDER BY id`); after != subsBefore {
			t.Fatal("answering changed the subscribers")
		}
		// The answer tables hold only the survey, the question and the answer.
		for table, want := range map[string][]string{
			"survey_responses": {"id", "survey_id"},
			"survey_answers":   {"question", "response_id", "survey_id", "text", "value"},
			"survey_spent":     {"mark"},
		} {
			if got := columns(t, db, table); !slices.Equal(got, want) {
				t.Errorf("%s has columns %v, want only %v", table, got, want)
			}
		}
		// No value of the answer tables appears among the invitations or the subscribers.
		answerValues := dump(t, db, `SELECT r.id, r.survey_id, a.question, a.value, a.text FROM survey_responses r
			JOIN survey_answers a ON a.response_id = r.id`)
		spent := dump(t, db, `SELECT mark FROM survey_spent`)
		for _, in := range []string{before, subsBefore} {
			if strings.Contains(in, strings.TrimSpace(spent)) {
				t.Fatal("the spent mark is stored with an invitation")
			}
		}
		for _, sub := range told {
			if strings.Contains(answerValues, sub.Address) || strings.Contains(spent, sub.Address) {
				t.Fatalf("an address is stored with the answers: %s", sub.Address)
			}
		}
		for _, inv := range invites {
			if strings.Contains(answerValues+spent, inv.Token) {
				t.Fatal("a token is stored with the answers")
			}
		}
		// And the one answer is still spent: the same token cannot answer again.
		if err := ss.Answer(ctx, invites[1].Token, answers); !fault.Is(err, fault.Conflict) {
			t.Fatalf("second answer: %v", err)
		}
	})
}

// dump reads every row of q as text.
func dump(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM ` + table + ` WHERE 1 = 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	slices.Sort(cols)
	return cols
}
