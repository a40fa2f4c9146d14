package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the store's golden files")

// fixedSource is an area the lead plugs in later (the work plan), here
// with fixed items: the agenda shows it in its place.
type fixedSource struct{}

func (fixedSource) Section() string { return "work" }
func (fixedSource) Items(context.Context, time.Time, time.Time) ([]meeting.Item, error) {
	return []meeting.Item{{Key: "agenda.work_overdue", Args: map[string]string{"task": "Train the spokespeople"},
		Due: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}, nil
}

func TestMeetingAgendaMinutesAndApproval(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ms := o.st.Meetings(fixedSource{})
		ed, ap, lia, cmd := o.users[authz.Editor], o.users[authz.Approver], o.users[authz.Liaison], o.users[authz.Commander]
		start := o.clk.Now().Add(2*24*time.Hour + 2*time.Hour)
		in := meeting.Series{Title: "每週項目會議", Location: "Room 5", FirstStart: start, Duration: time.Hour,
			Invitees: []int64{lia.UserID, ap.UserID, cmd.UserID}}
		for _, c := range []struct {
			name  string
			who   authz.Actor
			in    func(meeting.Series) meeting.Series
			code  fault.Code
			field string
		}{
			{"a liaison", lia, func(s meeting.Series) meeting.Series { return s }, fault.Forbidden, ""},
			{"past start", ed, func(s meeting.Series) meeting.Series { s.FirstStart = o.clk.Now().Add(-time.Hour); return s }, fault.Invalid, "first_start"},
			{"nobody invited", ed, func(s meeting.Series) meeting.Series { s.Invitees = nil; return s }, fault.Invalid, "invitees"},
			{"unknown invitee", ed, func(s meeting.Series) meeting.Series { s.Invitees = []int64{999}; return s }, fault.Invalid, "invitees"},
			{"five minutes", ed, func(s meeting.Series) meeting.Series { s.Duration = 5 * time.Minute; return s }, fault.Invalid, "duration"},
		} {
			if _, _, err := ms.CreateSeries(ctx, c.who, c.in(in)); !fault.Is(err, c.code) || (c.field != "" && !hasField(fault.FieldsOf(err), c.field)) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		ser, m, err := ms.CreateSeries(ctx, ed, in)
		if err != nil || m.State != meeting.Scheduled || !m.StartsAt.Equal(start) || ser.RRule(time.UTC) != "FREQ=WEEKLY;BYDAY=FR" {
			t.Fatalf("series %+v meeting %+v %v", ser, m, err)
		}
		if n := jobsOfKind(t, o.st, "meeting_mail"); n != 3 {
			t.Fatalf("%d invitations queued, want 3", n)
		}

		// What changes before the meeting: an action from elsewhere, a
		// drill planned, a crisis whose clocks are missed.
		if _, err := o.st.Actions().Add(ctx, ed, action.Action{Source: action.Source{Kind: action.FromRisk, ID: 1},
			Text: "Review the panic-risk mitigation", OwnerID: lia.UserID, Due: o.clk.Now().Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		o.readyDrill(t)
		if _, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: "Typhoon Koinu", TypeID: o.typ.ID, Level: catalog.LevelII,
			Location: "Harbour district", OccurredAt: o.clk.Now()}); err != nil {
			t.Fatal(err)
		}
		o.clk.Advance(2 * 24 * time.Hour)

		if _, err := ms.GenerateAgenda(ctx, lia, m.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("a liaison generates the agenda: %v", err)
		}
		if m, err = ms.GenerateAgenda(ctx, ed, m.ID); err != nil || m.Agenda.Empty() {
			t.Fatalf("agenda %+v %v", m.Agenda, err)
		}
		got, err := json.MarshalIndent(m.Agenda, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden := "testdata/agenda.json"
		if *updateGolden && engine == store.SQLite {
			if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(bytes.TrimSpace(want), got) {
			t.Errorf("agenda differs from %s (go test -run Meeting -update-golden):\n%s", golden, got)
		}

		// The minutes.
		if _, err := ms.SaveMinutes(ctx, ed, m.ID, meeting.Minutes{Lock: m.Lock}); !hasField(fault.FieldsOf(err), "attendees") {
			t.Fatalf("minutes without attendance: %v", err)
		}
		if m, err = ms.SaveMinutes(ctx, ed, m.ID, meeting.Minutes{Attendees: []int64{lia.UserID, ap.UserID}, Lock: m.Lock,
			Decisions: []string{"Open the shelters' review", " "}, Notes: "Typhoon season is over."}); err != nil || m.State != meeting.Held ||
			len(m.Decisions) != 1 || m.AuthorID != ed.UserID {
			t.Fatalf("minutes %+v %v", m, err)
		}
		if _, err := ms.SaveMinutes(ctx, ed, m.ID, meeting.Minutes{Attendees: []int64{lia.UserID}, Lock: m.Lock - 1}); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale minutes: %v", err)
		}
		due := o.clk.Now().Add(7 * 24 * time.Hour)
		if _, err := ms.AddAction(ctx, ed, m.ID, action.Action{Text: "Check the generators", Due: due}); !hasField(fault.FieldsOf(err), "owner_id") {
			t.Fatalf("an action without an owner: %v", err)
		}
		x, err := ms.AddAction(ctx, ed, m.ID, action.Action{Text: "Check the generators", OwnerID: lia.UserID, Due: due})
		if err != nil || x.Source != (action.Source{Kind: action.FromMeeting, ID: m.ID}) {
			t.Fatalf("meeting action %+v %v", x, err)
		}
		if _, err := ms.Approve(ctx, ed, m.ID); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("who kept the minutes approves them: %v", err)
		}
		before := jobsOfKind(t, o.st, "meeting_mail")
		if m, err = ms.Approve(ctx, ap, m.ID); err != nil || m.State != meeting.Approved || m.SentAt.IsZero() {
			t.Fatalf("approved %+v %v", m, err)
		}
		if n := jobsOfKind(t, o.st, "meeting_mail") - before; n != 2 {
			t.Fatalf("minutes queued to %d attendees, want 2", n)
		}
		if _, err := ms.AddAction(ctx, ed, m.ID, action.Action{Text: "Late", OwnerID: lia.UserID, Due: due}); !fault.Is(err, fault.Conflict) {
			t.Fatalf("an action on approved minutes: %v", err)
		}
		list, err := ms.Meetings(ctx, ser.ID)
		if err != nil || len(list) != 2 || !list[0].StartsAt.Equal(start.Add(7*24*time.Hour)) || list[0].State != meeting.Scheduled {
			t.Fatalf("the next meeting is not scheduled: %+v %v", list, err)
		}
		mail, err := o.st.MeetingMail(ctx, m.ID, lia.UserID)
		if err != nil || len(mail.Actions) != 1 || mail.Names[lia.UserID] == "" {
			t.Fatalf("mail %+v %v", mail, err)
		}
	})
}

// jobsOfKind counts the queued River jobs of kind.
func jobsOfKind(t *testing.T, st *store.Store, kind string) int {
	t.Helper()
	var n int
	if err := st.Writer().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
