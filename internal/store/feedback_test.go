package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/feedback"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func TestFeedbackSubmitRefusesBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		fs := o.st.Feedback()
		cases := []struct {
			name  string
			in    feedback.Submission
			field string
		}{
			{"empty message", feedback.Submission{Message: "  ", Channel: feedback.Web}, "message"},
			{"20,000 characters", feedback.Submission{Message: strings.Repeat("水", 20000), Channel: feedback.Web}, "message"},
			{"contact neither mail nor phone", feedback.Submission{Message: "Is school open?", Contact: "call me", Channel: feedback.Web}, "contact"},
			{"crisis that does not exist", feedback.Submission{Message: "Is school open?", CrisisID: 99999, Channel: feedback.Web}, "crisis_id"},
			{"expert that does not exist", feedback.Submission{Message: "Dam level?", Source: feedback.Expert, SourceID: 99999, Channel: feedback.Link}, "source_id"},
		}
		for _, c := range cases {
			if _, err := fs.Submit(ctx, c.in); !hasField(fault.FieldsOf(err), c.field) {
				t.Errorf("%s: want a refusal naming %s, got %v", c.name, c.field, err)
			}
		}
		if _, err := fs.ByRef(ctx, "FB-0000-0000"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("unknown reference: %v", err)
		}
		if _, err := fs.Lookup(ctx, "not a reference"); !fault.Is(err, fault.NotFound) {
			t.Fatalf("malformed reference: %v", err)
		}
	})
}

// TestFeedbackSurgeLosesNothing submits many at once: every one is
// acknowledged with its own id and reference, and every one is stored.
func TestFeedbackSurgeLosesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		fs := o.st.Feedback()
		const n = 400
		var wg sync.WaitGroup
		got := make([]feedback.Feedback, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				got[i], errs[i] = fs.Submit(ctx, feedback.Submission{Message: fmt.Sprintf("question %d", i), Channel: feedback.API,
					Contact: fmt.Sprintf("p%d@example.org", i)})
			})
		}
		wg.Wait()
		ids, refs := map[int64]bool{}, map[string]bool{}
		for i := range n {
			if errs[i] != nil || got[i].ID == 0 || got[i].Message != fmt.Sprintf("question %d", i) {
				t.Fatalf("submission %d: %+v %v", i, got[i], errs[i])
			}
			ids[got[i].ID], refs[got[i].Ref] = true, true
		}
		if len(ids) != n || len(refs) != n {
			t.Fatalf("%d ids and %d references for %d submissions", len(ids), len(refs), n)
		}
		_, total, err := fs.List(ctx, feedback.Filter{})
		if err != nil || total != n {
			t.Fatalf("stored %d, want %d: %v", total, n, err)
		}
		back, err := fs.ByRef(ctx, strings.ToLower(got[7].Ref))
		if err != nil || back.ID != got[7].ID || back.Contact != "p7@example.org" || back.State != feedback.New {
			t.Fatalf("by reference: %+v %v", back, err)
		}
	})
}

func TestFeedbackLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		fs := o.st.Feedback()
		ed, obs, ap := o.users[authz.Editor], o.users[authz.Observer], o.users[authz.Approver]
		n := publish(t, o, publicNotice(0))
		crisisID := n.CrisisID

		f, err := fs.Submit(ctx, feedback.Submission{Message: "The notice says road A is closed but it is open <b>?</b>",
			Contact: "+852 9123 4567", Language: "en", Channel: feedback.Web, CrisisID: crisisID, NoticeID: n.ID})
		if err != nil {
			t.Fatal(err)
		}
		if f.Contact != "+85291234567" || f.ReplyDue != o.clk.Now().Add(24*time.Hour) || f.Category != feedback.Question {
			t.Fatalf("received %+v", f)
		}
		// Its reply-by clock runs from reception: a question within a day,
		// alerted at 80 % (19h12m) and at expiry.
		subj := deadline.Subject{Kind: feedback.SubjectKind, ID: f.ID}
		clk, err := o.st.DeadlineOf(ctx, feedback.DeadlineKind, subj)
		if err != nil || !clk.DueAt.Equal(f.ReplyDue) || !clk.WarnAt().Equal(f.CreatedAt.Add(19*time.Hour+12*time.Minute)) ||
			clk.Args["ref"] != f.Ref || clk.Link != fmt.Sprintf("/desk/feedback/%d", f.ID) {
			t.Fatalf("reply-by clock %+v %v", clk, err)
		}
		if st := clk.State(o.clk.Now().Add(20 * time.Hour)); st != deadline.Warning {
			t.Fatalf("at 20 h the clock is %s", st)
		}
		dup, err := fs.Submit(ctx, feedback.Submission{Message: "Road A open?", Channel: feedback.Web})
		if err != nil {
			t.Fatal(err)
		}

		// Triage: an observer may not; a bad owner is named.
		tri := feedback.Triage{Category: feedback.Error, CrisisID: crisisID, Priority: feedback.High, OwnerID: ed.UserID, Tags: []string{"Roads", "roads, closures"}}
		if _, err := fs.Triage(ctx, obs, f.ID, f.Lock, tri); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer triage: %v", err)
		}
		bad := tri
		bad.OwnerID = 99999
		if _, err := fs.Triage(ctx, ed, f.ID, f.Lock, bad); !hasField(fault.FieldsOf(err), "owner_id") {
			t.Fatalf("unknown owner: %v", err)
		}
		f, err = fs.Triage(ctx, ed, f.ID, f.Lock, tri)
		if err != nil || f.State != feedback.Triaged || f.ReplyDue != f.CreatedAt.Add(4*time.Hour) || strings.Join(f.Tags, ",") != "roads,closures" {
			t.Fatalf("triaged %+v %v", f, err)
		}
		// A reported error is due within four hours: the clock moves, with its owner.
		if clk, err = o.st.DeadlineOf(ctx, feedback.DeadlineKind, subj); err != nil || !clk.DueAt.Equal(f.CreatedAt.Add(4*time.Hour)) || clk.OwnerID != ed.UserID {
			t.Fatalf("clock after triage %+v %v", clk, err)
		}
		if _, err := fs.Triage(ctx, ed, f.ID, f.Lock-1, tri); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale lock: %v", err)
		}
		o.clk.Advance(5 * time.Hour)
		overdue, total, err := fs.List(ctx, feedback.Filter{Overdue: true, Now: o.clk.Now()})
		if err != nil || total != 1 || overdue[0].ID != f.ID {
			t.Fatalf("overdue %v %d %v", overdue, total, err)
		}
		if _, total, _ := fs.List(ctx, feedback.Filter{Tag: "roads"}); total != 1 {
			t.Fatalf("by tag: %d", total)
		}

		// Publishing needs a reply first.
		if _, err := fs.Publish(ctx, ap, f.ID, "Is road A open?", "Yes."); !fault.Is(err, fault.Conflict) {
			t.Fatalf("publish before reply: %v", err)
		}
		f, err = fs.Reply(ctx, ed, f.ID, "Road A is open; the notice is corrected.")
		if err != nil || f.State != feedback.Replied || f.ReplyChannel != feedback.SMS {
			t.Fatalf("reply %+v %v", f, err)
		}
		if clk, err = o.st.DeadlineOf(ctx, feedback.DeadlineKind, subj); err != nil || clk.State(o.clk.Now()) != deadline.MetLate {
			t.Fatalf("clock after a late reply %+v %v", clk, err)
		}
		jobs := storetest.Jobs[feedback.ReplyArgs](t, o.st)
		if len(jobs) != 1 || jobs[0].Args.FeedbackID != f.ID {
			t.Fatalf("reply jobs %+v", jobs)
		}
		if f, err = fs.TakeAction(ctx, ed, f.ID, "Asked the roads office to confirm"); err != nil || f.ActionAt.IsZero() {
			t.Fatalf("action %+v %v", f, err)
		}
		if f, err = fs.Publish(ctx, ap, f.ID, "Is road A open?", "Yes, road A is open."); err != nil || !f.FAQ.Published() {
			t.Fatalf("publish %+v %v", f, err)
		}
		faq, err := fs.FAQ(ctx, crisisID)
		if err != nil || len(faq) != 1 || faq[0].Answer != "Yes, road A is open." {
			t.Fatalf("FAQ %+v %v", faq, err)
		}

		// The correction it caused: an alert is refused, the correction taken.
		if _, err := fs.LinkCorrection(ctx, ap, f.ID, n.ID); !hasField(fault.FieldsOf(err), "correction_id") {
			t.Fatalf("linking an alert: %v", err)
		}
		corr, err := o.st.Notices().Correct(ctx, ed, n.ID, notice.Factual, n.Contents)
		if err != nil {
			t.Fatal(err)
		}
		if f, err = fs.LinkCorrection(ctx, ap, f.ID, corr.ID); err != nil || f.CorrectionID != corr.ID {
			t.Fatalf("link %+v %v", f, err)
		}

		// The duplicate shows the reply of the one it was merged into.
		if _, err := fs.Merge(ctx, ed, dup.ID, dup.ID); !hasField(fault.FieldsOf(err), "into") {
			t.Fatalf("merge into itself: %v", err)
		}
		if dup, err = fs.Merge(ctx, ed, dup.ID, f.ID); err != nil || dup.State != feedback.Merged || dup.MergedInto != f.ID {
			t.Fatalf("merge %+v %v", dup, err)
		}
		if clk, err := o.st.DeadlineOf(ctx, feedback.DeadlineKind, deadline.Subject{Kind: feedback.SubjectKind, ID: dup.ID}); err != nil || clk.CancelledAt.IsZero() {
			t.Fatalf("the duplicate's clock %+v %v", clk, err)
		}
		seen, err := fs.Lookup(ctx, dup.Ref)
		if err != nil || seen.Reply != f.Reply || seen.State != feedback.Replied {
			t.Fatalf("lookup of the duplicate %+v %v", seen, err)
		}
		if _, err := fs.Reply(ctx, ed, dup.ID, "again"); !fault.Is(err, fault.Conflict) {
			t.Fatalf("reply to merged: %v", err)
		}

		// The audit trail never holds the full contact.
		var n2 int
		if err := o.st.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'feedback' AND (before_state LIKE '%91234567%' OR after_state LIKE '%91234567%')`).Scan(&n2); err != nil || n2 != 0 {
			t.Fatalf("audit rows with the contact: %d %v", n2, err)
		}
	})
}

func TestFeedbackPersonalLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		fs := o.st.Feedback()
		adm := o.users[authz.Admin]
		if _, _, err := fs.CreateLink(ctx, o.users[authz.Editor], feedback.Department, 1, "x"); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor making a link: %v", err)
		}
		if _, _, err := fs.CreateLink(ctx, adm, feedback.Expert, 4242, "x"); !hasField(fault.FieldsOf(err), "source_id") {
			t.Fatalf("unknown expert: %v", err)
		}
		d, err := o.st.Accounts().CreateDepartment(ctx, adm, account.DepartmentInput{Code: "works", Name: "Works"})
		if err != nil {
			t.Fatal(err)
		}
		dept := d.ID
		l, token, err := fs.CreateLink(ctx, adm, feedback.Department, dept, "Works department")
		if err != nil || token == "" {
			t.Fatal(err)
		}
		got, err := fs.LinkByToken(ctx, token)
		if err != nil || got.ID != l.ID || got.SourceID != dept {
			t.Fatalf("by token %+v %v", got, err)
		}
		if err := fs.RevokeLink(ctx, adm, l.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fs.LinkByToken(ctx, token); !fault.Is(err, fault.NotFound) {
			t.Fatalf("revoked link: %v", err)
		}
	})
}
