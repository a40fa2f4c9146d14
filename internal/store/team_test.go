package store_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/expert"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/team"
)

// wantField fails unless err is invalid and names field first.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	fs := fault.FieldsOf(err)
	if len(fs) == 0 && fault.Is(err, fault.Invalid) {
		fs = fault.Fields{fault.As(err)}
	}
	if len(fs) == 0 || fs[0].Field != field {
		t.Errorf("%s: %v, want the field %s named", what, err, field)
	}
}

// TestTeamStored adds members (staff, outside, a linked expert), refuses
// bad input naming the field, keeps the rota free of overlaps, answers
// who is on duty (a deputy when nobody is), records swaps, warns of a
// lacking certificate, hires a candidate and anonymises a deleted member,
// on both engines.
func TestTeamStored(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ts := o.st.Team()
		cmd, ed := o.users[authz.Commander], o.users[authz.Editor]
		now := o.clk.Now()

		for _, c := range []struct {
			name  string
			in    team.Input
			field string
		}{
			{"no name", team.Input{Kind: team.Outside, Email: "a@example.org"}, "name"},
			{"bad e-mail", team.Input{Kind: team.Outside, Name: "Amy", Email: "amy at example"}, "email"},
			{"bad phone", team.Input{Kind: team.Outside, Name: "Amy", Phone: "12"}, "phone"},
			{"no contact", team.Input{Kind: team.Outside, Name: "Amy"}, "email"},
			{"staff without account", team.Input{Kind: team.Staff, Name: "Amy"}, "user_id"},
			{"unknown role", team.Input{Kind: team.Outside, Name: "Amy", Email: "amy@example.org", Roles: []string{"juggler"}}, "roles"},
		} {
			_, err := ts.AddMember(ctx, cmd, c.in)
			wantField(t, c.name, err, c.field)
		}
		if _, err := ts.AddMember(ctx, ed, team.Input{Kind: team.Outside, Name: "Amy", Email: "amy@example.org"}); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("an editor added a member: %v", err)
		}

		staff, err := ts.AddMember(ctx, cmd, team.Input{UserID: o.users[authz.Editor].UserID, Roles: []string{team.Spokesperson}, Languages: []string{"zh-Hant", "yue"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if staff.Kind != team.Staff || staff.Name == "" || !staff.HasRole(team.Spokesperson) {
			t.Fatalf("staff member %+v", staff)
		}
		if _, err := ts.AddMember(ctx, cmd, team.Input{UserID: o.users[authz.Editor].UserID}); err == nil {
			t.Fatal("one account twice on the team")
		}
		x, err := o.st.Experts().Create(ctx, cmd, expert.Input{Name: "Dr Lee", Email: "lee@example.org", Languages: []string{"en"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		linked, err := ts.AddMember(ctx, cmd, team.Input{Kind: team.Outside, ExpertID: x.ID, Roles: []string{team.Translator}, Active: true})
		if err != nil || linked.Name != "Dr Lee" || linked.Email != "lee@example.org" {
			t.Fatalf("linked expert %+v %v", linked, err)
		}
		out, err := ts.AddMember(ctx, cmd, team.Input{Kind: team.Outside, Name: "Wong Ka-yan", Phone: "+852 9123 4567", Skills: []string{"Sign language"},
			Roles: []string{team.Spokesperson}, Active: true})
		if err != nil || out.Phone != "+85291234567" {
			t.Fatalf("outside member %+v %v", out, err)
		}

		// The rota: a shift, an overlap refused, who is on duty.
		day := now.Truncate(24 * time.Hour)
		s1, err := ts.AddShift(ctx, cmd, team.Shift{RoleKey: team.Spokesperson, MemberID: staff.ID, StartsAt: day, EndsAt: day.Add(12 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.AddShift(ctx, cmd, team.Shift{RoleKey: team.Translator, MemberID: staff.ID, StartsAt: day.Add(11 * time.Hour), EndsAt: day.Add(14 * time.Hour)})
		wantField(t, "overlapping shift", err, "starts_at")
		_, err = ts.AddShift(ctx, cmd, team.Shift{RoleKey: team.Spokesperson, MemberID: out.ID, StartsAt: day.Add(time.Hour), EndsAt: day})
		wantField(t, "end before start", err, "ends_at")
		if _, err := ts.AddShift(ctx, cmd, team.Shift{RoleKey: team.Spokesperson, MemberID: out.ID, StartsAt: day.Add(12 * time.Hour), EndsAt: day.Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if m, err := ts.OnDuty(ctx, team.Spokesperson, day.Add(time.Hour)); err != nil || m.ID != staff.ID {
			t.Fatalf("on duty at 01:00: %+v %v", m, err)
		}
		if m, err := ts.OnDuty(ctx, team.Spokesperson, day.Add(13*time.Hour)); err != nil || m.ID != out.ID {
			t.Fatalf("on duty at 13:00: %+v %v", m, err)
		}
		if _, err := ts.OnDuty(ctx, team.Hotline, day); !fault.Is(err, fault.NotFound) {
			t.Fatalf("nobody on the hotline: %v", err)
		}
		// A deputy stands in when nobody is on duty.
		r, err := ts.Role(ctx, team.Hotline)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.SaveRole(ctx, cmd, team.Hotline, team.RoleInput{Deputies: []int64{linked.ID}, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		if m, err := ts.OnDuty(ctx, team.Hotline, day); err != nil || m.ID != linked.ID {
			t.Fatalf("deputy on the hotline: %+v %v", m, err)
		}

		// A swap hands the shift over and is recorded.
		sw, err := ts.SwapShift(ctx, cmd, s1.ID, linked.ID, "sick")
		if err != nil || sw.MemberID != linked.ID {
			t.Fatalf("swap %+v %v", sw, err)
		}
		if swaps, err := ts.Swaps(ctx, 10); err != nil || len(swaps) != 1 || swaps[0].FromMemberID != staff.ID || swaps[0].Reason != "sick" {
			t.Fatalf("swaps %+v %v", swaps, err)
		}

		// Training: a course the role requires; the rota warns until the
		// person on duty holds a valid certificate.
		course, err := ts.AddCourse(ctx, cmd, team.Course{Title: "Media training", ValidMonths: 12})
		if err != nil {
			t.Fatal(err)
		}
		sp, _ := ts.Role(ctx, team.Spokesperson)
		if _, err := ts.SaveRole(ctx, cmd, team.Spokesperson, team.RoleInput{Requires: []int64{course.ID}, Version: sp.Version}); err != nil {
			t.Fatal(err)
		}
		board, err := ts.Board(ctx, day.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if board[0].RoleKey != team.Spokesperson || board[0].Member.ID != linked.ID || len(board[0].Lacks) != 1 {
			t.Fatalf("board %+v", board[0])
		}
		_, err = ts.AddCertificate(ctx, cmd, team.Certificate{MemberID: linked.ID, CourseID: course.ID, IssuedAt: day, ExpiresAt: day.Add(-time.Hour)})
		wantField(t, "expires before issue", err, "expires_at")
		sess, err := ts.AddSession(ctx, cmd, team.Session{CourseID: course.ID, StartsAt: day.Add(-48 * time.Hour), Trainer: "Ms Ho", Venue: "Room 2"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.SetAttendance(ctx, cmd, sess.ID, []int64{linked.ID, out.ID}, true); err != nil {
			t.Fatal(err)
		}
		if board, _ = ts.Board(ctx, day.Add(time.Hour)); len(board[0].Lacks) != 0 {
			t.Fatalf("still lacking after the course: %+v", board[0].Lacks)
		}
		// The renewal clock: alerts 60 and 30 days before the lapse, to the
		// person; a newer certificate meets it.
		cert, err := ts.AddCertificate(ctx, cmd, team.Certificate{MemberID: staff.ID, CourseID: course.ID, IssuedAt: day, ExpiresAt: day.AddDate(0, 6, 0)})
		if err != nil {
			t.Fatal(err)
		}
		dl, err := o.st.DeadlineOf(ctx, team.ExpiryKind, deadline.Subject{Kind: "certificate", ID: cert.ID})
		if err != nil || dl.OwnerID != staff.UserID || !dl.DueAt.Equal(cert.ExpiresAt.Add(-30*24*time.Hour)) ||
			dl.WarnAt().Sub(cert.ExpiresAt.Add(-60*24*time.Hour)).Abs() > time.Second {
			t.Fatalf("renewal clock %+v (warn %s) %v", dl, dl.WarnAt(), err)
		}
		renewed, err := ts.AddCertificate(ctx, cmd, team.Certificate{MemberID: staff.ID, CourseID: course.ID, IssuedAt: day.Add(time.Hour), ExpiresAt: day.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if dl, err = o.st.DeadlineOf(ctx, team.ExpiryKind, deadline.Subject{Kind: "certificate", ID: cert.ID}); err != nil || dl.MetAt.IsZero() {
			t.Fatalf("renewal did not meet the clock: %+v %v", dl, err)
		}
		_ = renewed
		if lapsing, err := ts.Lapsing(ctx, now, 400*24*time.Hour); err != nil || len(lapsing) != 4 {
			t.Fatalf("lapsing %+v %v", lapsing, err)
		}
		if rec, err := ts.Training(ctx, out.ID); err != nil || len(rec) != 1 || rec[0].Kind != "session" {
			t.Fatalf("training record %+v %v", rec, err)
		}

		// The library keeps versions.
		m, err := ts.Upload(ctx, ed, 0, "Spokesperson handbook", "", "handbook.pdf", "application/pdf", strings.NewReader("v1"), 2)
		if err != nil {
			t.Fatal(err)
		}
		if m, err = ts.Upload(ctx, ed, m.ID, "Spokesperson handbook", "Second edition", "handbook-2.pdf", "application/pdf", strings.NewReader("v2!"), 3); err != nil || m.Version != 2 || len(m.Versions) != 2 {
			t.Fatalf("second version %+v %v", m, err)
		}
		if v, body, err := ts.MaterialFile(ctx, m.ID, 1); err != nil || v.FileName != "handbook.pdf" || !bytes.Equal(body, []byte("v1")) {
			t.Fatalf("version 1 %+v %q %v", v, body, err)
		}
		_, err = ts.Upload(ctx, ed, 0, "Huge", "", "huge.bin", "", strings.NewReader(""), team.MaxMaterial+1)
		wantField(t, "too big", err, "file")

		// Recruitment: a hired candidate becomes a member.
		op, err := ts.AddOpening(ctx, cmd, team.Opening{RoleKey: team.Hotline, Title: "Hotline operator"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.AddCandidate(ctx, cmd, team.Candidate{OpeningID: op.ID, Name: "Chan", Email: "bad", Channel: "referral"})
		wantField(t, "candidate e-mail", err, "email")
		cand, err := ts.AddCandidate(ctx, cmd, team.Candidate{OpeningID: op.ID, Name: "Chan Siu-ming", Email: "chan@example.org", Channel: "referral"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.AddInterview(ctx, cmd, team.Interview{CandidateID: cand.ID, At: now, Panel: []string{"Ms Ho"}, Score: 9})
		wantField(t, "score", err, "score")
		if _, err := ts.AddInterview(ctx, cmd, team.Interview{CandidateID: cand.ID, At: now, Panel: []string{"Ms Ho", "Mr Lam"}, Score: 4}); err != nil {
			t.Fatal(err)
		}
		hired, err := ts.Decide(ctx, cmd, cand.ID, team.Hired, "strong")
		if err != nil || hired.MemberID == 0 {
			t.Fatalf("hired %+v %v", hired, err)
		}
		if nm, err := ts.Member(ctx, hired.MemberID); err != nil || !nm.HasRole(team.Hotline) || nm.Email != "chan@example.org" {
			t.Fatalf("hired member %+v %v", nm, err)
		}

		// Deleting keeps the history, anonymised; the audit trail never
		// held the outside person's phone.
		if err := ts.DeleteMember(ctx, cmd, out.ID); err != nil {
			t.Fatal(err)
		}
		gone, err := ts.Member(ctx, out.ID)
		if err != nil || !gone.Anonymised || gone.Name != "" || gone.Phone != "" {
			t.Fatalf("deleted %+v %v", gone, err)
		}
		if certs, _ := ts.Certificates(ctx, out.ID); len(certs) != 1 || certs[0].MemberName != "#"+strconv.FormatInt(out.ID, 10) {
			t.Fatalf("certificates of the deleted %+v", certs)
		}
		entries, _, err := o.st.Audit().List(ctx, audit.Filter{Entity: "team_member", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(string(e.Before)+string(e.After), "91234567") {
				t.Fatalf("the audit trail holds a phone number: %s", e.Action)
			}
		}
	})
}
