package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

func publicNotice(crisisID int64) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: "颱風警告", Body: "請留在室內。"},
			{Language: "en", Headline: "Typhoon warning", Body: "Stay indoors."},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Area: notice.Area{Description: "Harbour district", Polygons: []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"}}},
	}
}

// activeCrisis declares a typhoon at level II and activates the signed plan
// (which has a public cadence row at level II).
func activeCrisis(t *testing.T, o *office, exercise bool) (crisis.Crisis, plan.Plan) {
	t.Helper()
	ctx := context.Background()
	p := o.signed(t)
	c, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
		Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now().Add(-10 * time.Minute), Exercise: exercise})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = o.st.Crises().Activate(ctx, o.users[authz.Commander], c.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	return c, p
}

func TestNoticeWorkflowAndOneTransactionPublish(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		c, _ := activeCrisis(t, o, true)
		ns := o.st.Notices()
		ed, ap := o.users[authz.Editor], o.users[authz.Approver]

		bad := publicNotice(c.ID)
		bad.Contents[1].Headline = ""
		bad.CAP.Area.Polygons = []string{"22.5,114.0 22.6,114.1"}
		if _, err := ns.Create(ctx, ed, bad); !fault.Is(err, fault.Invalid) {
			t.Fatalf("invalid notice: %v", err)
		}
		if _, err := ns.Create(ctx, o.users[authz.Observer], publicNotice(c.ID)); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer drafting: %v", err)
		}
		n, err := ns.Create(ctx, ed, publicNotice(c.ID))
		if err != nil {
			t.Fatal(err)
		}
		if !n.Exercise || n.Status != notice.Draft || n.AuthorID != ed.UserID {
			t.Fatalf("draft %+v", n)
		}
		if _, err := ns.Publish(ctx, o.users[authz.Commander], n.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("publishing a draft: %v", err)
		}
		if n, err = ns.Submit(ctx, ed, n.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := ns.Approve(ctx, authz.Actor{UserID: ed.UserID, Name: ed.Name, Role: authz.Commander}, n.ID, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("author approving: %v", err)
		}
		if n, err = ns.Approve(ctx, ap, n.ID, "ok"); err != nil {
			t.Fatal(err)
		}

		o.clk.Advance(10 * time.Minute)
		// Two clicks, two replicas: exactly one publish.
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i := range results {
			wg.Go(func() { _, results[i] = ns.Publish(ctx, ap, n.ID) })
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case !fault.Is(err, fault.Conflict):
				t.Fatalf("second publish: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d publishes succeeded, want 1", ok)
		}
		n, _ = ns.Get(ctx, n.ID)
		if n.Status != notice.Published || n.PublisherID != ap.UserID {
			t.Fatalf("published %+v", n)
		}
		got, _ := o.st.Crises().Get(ctx, c.ID)
		// From the occurrence, 10 minutes before the declaration; and
		// from the declaration, the second figure.
		if got.FirstNoticeAt.IsZero() || got.TimeToFirstNotice() != 20*time.Minute || got.FirstNoticeAfterDeclaration() != 10*time.Minute {
			t.Fatalf("first notice at %v: %v from the occurrence, %v from the declaration", got.FirstNoticeAt,
				got.TimeToFirstNotice(), got.FirstNoticeAfterDeclaration())
		}
		var firstMet, cadenceMet, cadenceNext bool
		for _, k := range got.Clocks {
			switch {
			case k.Name == "first_notice":
				firstMet = k.State(o.clk.Now()) == crisis.Met
			case k.Name == "cadence:c1#1":
				cadenceMet = !k.MetAt.IsZero()
			case k.Name == "cadence:c1#2":
				cadenceNext = k.MetAt.IsZero()
			}
		}
		if !firstMet || !cadenceMet || !cadenceNext {
			t.Fatalf("clocks after publishing: first %v cadence %v next %v: %+v", firstMet, cadenceMet, cadenceNext, got.Clocks)
		}

		// Published is never edited; a correction references it.
		if _, err := ns.Save(ctx, ed, n.ID, n.Lock, notice.Changes{Audience: notice.Public, Contents: n.Contents, CAP: n.CAP}); !fault.Is(err, fault.Conflict) {
			t.Fatalf("editing a published notice: %v", err)
		}
		corrected := append([]notice.Content(nil), n.Contents...)
		corrected[1].Body = "Stay indoors until signal 3."
		corr, err := ns.Correct(ctx, ed, n.ID, notice.Factual, corrected)
		if err != nil || corr.References != n.ID || corr.Kind != notice.Correction || !corr.Exercise {
			t.Fatalf("correction %+v %v", corr, err)
		}
		corr, _ = ns.Submit(ctx, ed, corr.ID, "")
		corr, _ = ns.Approve(ctx, ap, corr.ID, "")
		if corr, err = ns.Publish(ctx, ap, corr.ID); err != nil {
			t.Fatal(err)
		}
		hist, err := ns.History(ctx, corr.ID)
		if err != nil || len(hist) != 2 || hist[0].ID != n.ID || hist[1].ID != corr.ID {
			t.Fatalf("history %v %v", hist, err)
		}
		list, total, err := ns.List(ctx, notice.Filter{CrisisID: c.ID, Status: notice.Published})
		if err != nil || total != 2 || list[0].ID != corr.ID {
			t.Fatalf("published list %d %v", total, err)
		}
		tl, _ := o.st.Crises().Timeline(ctx, c.ID)
		found := false
		for _, e := range tl {
			found = found || e.Event == "notice_published"
		}
		if !found {
			t.Error("no timeline entry for the publication")
		}
	})
}

func TestNoticeFastPath(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ps := o.st.Plans()
		body := typhoonBody()
		body.FastPathLevels = []catalog.Level{catalog.LevelI, catalog.LevelII}
		p, err := ps.Create(ctx, o.users[authz.Editor], "fast", o.typ.ID, "Fast plan", body)
		if err != nil {
			t.Fatal(err)
		}
		p, _ = ps.Submit(ctx, o.users[authz.Editor], p.ID, "")
		p, _ = ps.Review(ctx, o.users[authz.Reviewer], p.ID, "")
		if p, err = ps.Approve(ctx, o.users[authz.Approver], p.ID, ""); err != nil {
			t.Fatal(err)
		}
		c, err := o.st.Crises().Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Typhoon", TypeID: o.typ.ID,
			Level: catalog.LevelII, Location: "Harbour", OccurredAt: o.clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		ns := o.st.Notices()
		plain, _ := ns.Create(ctx, o.users[authz.Commander], publicNotice(c.ID))
		if _, err := ns.Publish(ctx, o.users[authz.Commander], plain.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("fast path without a template: %v", err)
		}
		fromTemplate := publicNotice(c.ID)
		fromTemplate.TemplatePlanID = p.ID
		n, err := ns.Create(ctx, o.users[authz.Commander], fromTemplate)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ns.Publish(ctx, o.users[authz.Approver], n.ID); !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.Conflict) {
			t.Fatalf("approver on the fast path: %v", err)
		}
		if n, err = ns.Publish(ctx, o.users[authz.Commander], n.ID); err != nil || !n.FastPath || !n.NeedsReview() {
			t.Fatalf("fast path: %+v %v", n, err)
		}
		waiting, total, _ := ns.List(ctx, notice.Filter{NeedsReview: true})
		if total != 1 || waiting[0].ID != n.ID {
			t.Fatalf("waiting for review: %d", total)
		}
		if _, err := ns.ReviewAfter(ctx, o.users[authz.Reviewer], n.ID, "accurate"); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := ns.List(ctx, notice.Filter{NeedsReview: true}); total != 0 {
			t.Fatalf("still waiting: %d", total)
		}
	})
}
