package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/riverqueue/river"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// Submitting a notice alerts everyone who decides on it but its author,
// returning it alerts its author; each alert comes with its e-mail job in
// the same transaction, and a person marks only their own alerts read.
func TestNoticeAlerts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		c, _ := activeCrisis(t, o, false)
		editor, approver, reviewer, commander := o.users[authz.Editor], o.users[authz.Approver], o.users[authz.Reviewer], o.users[authz.Commander]
		n, err := o.st.Notices().Create(ctx, editor, publicNotice(c.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.st.Notices().Submit(ctx, editor, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		alerts := o.st.NoticeAlerts()
		unread := func(a authz.Actor) []notice.StaffAlert {
			t.Helper()
			list, err := alerts.Alerts(ctx, a.UserID, true, 0)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		for _, tc := range []struct {
			name string
			who  authz.Actor
			want int
		}{
			{"approver", approver, 1}, {"reviewer", reviewer, 1}, {"commander", commander, 1},
			{"the author", editor, 0}, {"an observer", o.users[authz.Observer], 0}, {"a liaison", o.users[authz.Liaison], 0},
		} {
			got := unread(tc.who)
			if len(got) != tc.want {
				t.Errorf("submitted: %s has %d alerts, want %d: %+v", tc.name, len(got), tc.want, got)
				continue
			}
			if tc.want == 1 {
				a := got[0]
				if a.Kind != notice.AlertSubmitted || a.NoticeID != n.ID || a.CrisisID != c.ID || a.ActorID != editor.UserID ||
					a.ActorName == "" || !a.CreatedAt.Equal(o.clk.Now()) || !a.ReadAt.IsZero() {
					t.Errorf("submitted: %s's alert %+v", tc.name, a)
				}
			}
		}
		jobs := storetest.Jobs[notice.AlertMailArgs](t, o.st)
		if len(jobs) != 3 {
			t.Fatalf("%d e-mail jobs for 3 alerts", len(jobs))
		}
		for _, j := range jobs {
			if j.State != "available" || j.Queue != river.QueueDefault || j.MaxAttempts != notice.AlertMailAttempts || !j.Unique {
				t.Errorf("e-mail job %+v", j)
			}
		}

		// Someone else's alert stays unread; one's own is read.
		mine := unread(approver)
		if err := alerts.MarkAlertsRead(ctx, reviewer, []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		if len(unread(approver)) != 1 {
			t.Error("the reviewer marked the approver's alert read")
		}
		if err := alerts.MarkAlertsRead(ctx, approver, []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		if len(unread(approver)) != 0 {
			t.Error("the approver's alert is still unread")
		}
		if all, err := alerts.Alerts(ctx, approver.UserID, false, 0); err != nil || len(all) != 1 || all[0].ReadAt.IsZero() {
			t.Errorf("all alerts %+v %v", all, err)
		}

		if _, err := o.st.Notices().Return(ctx, approver, n.ID, "Say where the shelters are"); err != nil {
			t.Fatal(err)
		}
		got := unread(editor)
		if len(got) != 1 || got[0].Kind != notice.AlertReturned || got[0].ActorID != approver.UserID {
			t.Fatalf("returned: the author's alerts %+v", got)
		}
		m, err := o.st.NoticeAlertMail(ctx, got[0].ID)
		if err != nil || m.User.ID != editor.UserID || m.Notice.ID != n.ID || m.Settled {
			t.Errorf("returned: mail %+v %v", m, err)
		}
		// The submitted alerts are settled now: their e-mails would be late news.
		m, err = o.st.NoticeAlertMail(ctx, unread(commander)[0].ID)
		if err != nil || !m.Settled {
			t.Errorf("submitted, then returned: mail settled %v, %v", m.Settled, err)
		}
		if n := len(storetest.Jobs[notice.AlertMailArgs](t, o.st)); n != 4 {
			t.Errorf("%d e-mail jobs after the return, want 4", n)
		}

		// A refused move alerts nobody.
		if _, err := o.st.Notices().Return(ctx, approver, n.ID, "again"); err == nil {
			t.Fatal("returned a draft")
		}
		if ids := alertIDsOf(unread(editor)); !slices.Equal(ids, []int64{got[0].ID}) {
			t.Errorf("a refused return alerted: %v", ids)
		}
	})
}

func alertIDsOf(list []notice.StaffAlert) []int64 {
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}
