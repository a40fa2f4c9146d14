package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// office is a crisis office: one user per role and the default catalogue.
type office struct {
	st    *store.Store
	dsn   string // where st is, for a second connection
	clk   *clock.Fake
	users map[authz.Role]authz.Actor
	typ   catalog.Type
	real  int64 // a real (not exercise) active crisis, made on first use
}

func newOffice(t *testing.T, engine store.Engine) *office {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	dsn := storetest.DSN(t, engine)
	st := storetest.OpenAt(t, dsn, storetest.Options{Clock: clk})
	if n, err := st.SeedCatalog(ctx); err != nil || n == 0 {
		t.Fatalf("seed catalogue: %d %v", n, err)
	}
	if n, _ := st.SeedCatalog(ctx); n != 0 {
		t.Fatalf("seeding twice loaded %d more", n)
	}
	o := &office{st: st, dsn: dsn, clk: clk, users: map[authz.Role]authz.Actor{}}
	for _, r := range authz.Roles {
		u := mustUser(t, st, "u-"+string(r), r)
		o.users[r] = u.Actor(authz.SourceUI)
	}
	types, err := st.Plans().Types(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range types {
		if ty.Code == "typhoon" {
			o.typ = ty
		}
	}
	if o.typ.ID == 0 || types[0].Category != catalog.NaturalDisaster {
		t.Fatalf("catalogue: %+v", types)
	}
	return o
}

func typhoonBody() plan.Body {
	return plan.Body{
		Scope:      "All districts",
		Activation: map[catalog.Level]string{catalog.LevelI: "Signal 10", catalog.LevelII: "Signal 8"},
		Steps: []plan.Step{
			{Key: "w1", Phase: plan.Warning, Title: "Open the operations room", Levels: []catalog.Level{1, 2}, OwnerRole: authz.Commander, Deadline: plan.Duration(30 * time.Minute)},
			{Key: "r1", Phase: plan.Response, Title: "First public notice", Levels: []catalog.Level{1, 2}, OwnerRole: authz.Editor, Deadline: plan.Duration(30 * time.Minute),
				Checklist: []string{"Draft from template", "Get approval"}},
			{Key: "r2", Phase: plan.Response, Title: "Open shelters", Levels: []catalog.Level{1}, OwnerRole: authz.Liaison, Deadline: plan.Duration(2 * time.Hour)},
			{Key: "v1", Phase: plan.Recovery, Title: "Damage survey", Levels: []catalog.Level{1, 2}, OwnerRole: authz.Liaison, Deadline: plan.Duration(48 * time.Hour)},
		},
		Templates: []plan.Template{{Level: catalog.LevelII, Audience: plan.Public, Language: "en",
			Headline: "Typhoon warning for {{location}}", Body: "Signal issued at {{occurred_at}}."}},
		Matrix: []plan.CommRow{{Key: "c1", Level: catalog.LevelII, Audience: "public", Content: "Situation update",
			Channels: []string{"web", "sms"}, Cadence: plan.Duration(time.Hour), Phase: plan.Response}},
	}
}

// signed makes an approved typhoon plan, signed by three people.
func (o *office) signed(t *testing.T) plan.Plan {
	t.Helper()
	ctx := context.Background()
	ps := o.st.Plans()
	p, err := ps.Create(ctx, o.users[authz.Editor], "typhoon", o.typ.ID, "Typhoon plan", typhoonBody())
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		f func(context.Context, authz.Actor, int64, string) (plan.Plan, error)
		a authz.Role
	}{{ps.Submit, authz.Editor}, {ps.Review, authz.Reviewer}, {ps.Approve, authz.Approver}} {
		if p, err = step.f(ctx, o.users[step.a], p.ID, "ok"); err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
	}
	return p
}

func TestPlanSignOff(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		ps := o.st.Plans()
		ed, rv, ap := o.users[authz.Editor], o.users[authz.Reviewer], o.users[authz.Approver]

		bad := typhoonBody()
		bad.Steps[0].Deadline = 0
		bad.Templates[0].Body = "{{nonsense}}"
		_, err := ps.Create(ctx, ed, "typhoon", o.typ.ID, "Typhoon plan", bad)
		fields := fault.FieldsOf(err)
		if !fault.Is(err, fault.Invalid) || !hasField(fields, "steps[0].deadline") || !hasField(fields, "templates[0].body") {
			t.Fatalf("bad plan: %v", err)
		}
		if _, err := ps.Create(ctx, o.users[authz.Observer], "x", o.typ.ID, "X", typhoonBody()); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer drafting: %v", err)
		}
		p, err := ps.Create(ctx, ed, "typhoon", o.typ.ID, "Typhoon plan", typhoonBody())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Save(ctx, ed, p.ID, p.Lock+1, "Stale", typhoonBody()); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		if _, err := ps.Approve(ctx, ap, p.ID, ""); !fault.Is(err, fault.Conflict) {
			t.Fatalf("approve a draft: %v", err)
		}
		if p, err = ps.Submit(ctx, ed, p.ID, "ready"); err != nil {
			t.Fatal(err)
		}
		if _, err = ps.Return(ctx, rv, p.ID, ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("return without reason: %v", err)
		}
		if p, err = ps.Return(ctx, rv, p.ID, "add shelters list"); err != nil || p.Status != plan.Draft {
			t.Fatalf("return: %v %s", err, p.Status)
		}
		p, _ = ps.Submit(ctx, ed, p.ID, "")
		if p, err = ps.Review(ctx, rv, p.ID, "fine"); err != nil {
			t.Fatal(err)
		}
		// A commander may approve, but not when they are the author or reviewer.
		if _, err := ps.Approve(ctx, rv, p.ID, ""); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("reviewer approving: %v", err)
		}
		if p, err = ps.Approve(ctx, ap, p.ID, "approved"); err != nil || p.Status != plan.Approved {
			t.Fatalf("approve: %v", err)
		}
		if len(p.Signatures) != 5 || p.ReviewDue.Sub(p.ApprovedAt) < 360*24*time.Hour {
			t.Fatalf("signatures %+v, review due %v", p.Signatures, p.ReviewDue)
		}
		// Editing the approved version makes v2; v1 stays in force.
		v2, err := ps.Save(ctx, ed, p.ID, p.Lock, "Typhoon plan (rev)", typhoonBody())
		if err != nil || v2.Version != 2 || v2.Status != plan.Draft {
			t.Fatalf("new version: %+v %v", v2, err)
		}
		if inForce, err := ps.InForce(ctx, "typhoon"); err != nil || inForce.ID != p.ID {
			t.Fatalf("in force: %v", err)
		}
		for _, step := range []func(context.Context, authz.Actor, int64, string) (plan.Plan, error){ps.Submit} {
			step(ctx, ed, v2.ID, "")
		}
		ps.Review(ctx, rv, v2.ID, "")
		if _, err := ps.Approve(ctx, o.users[authz.Commander], v2.ID, ""); err != nil {
			t.Fatal(err)
		}
		old, _ := ps.Get(ctx, p.ID)
		if old.Status != plan.Superseded {
			t.Fatalf("v1 is %s after v2's approval", old.Status)
		}
		list, total, err := ps.List(ctx, plan.Filter{Current: true})
		if err != nil || total != 1 || list[0].Version != 2 {
			t.Fatalf("current plans: %d %v", total, err)
		}
		if o.clk.Advance(400 * 24 * time.Hour); !list[0].Lapsed(o.clk.Now()) {
			t.Fatal("plan not lapsed after 400 days")
		}
	})
}

func hasField(fs fault.Fields, name string) bool {
	for _, f := range fs {
		if f.Field == name {
			return true
		}
	}
	return false
}

func TestCrisisLifecycleAndClocks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		p := o.signed(t)
		cs := o.st.Crises()
		cmd := o.users[authz.Commander]
		now := o.clk.Now()

		decl := crisis.Declaration{Title: "Typhoon Koinu", TypeID: o.typ.ID, Level: catalog.LevelII, Location: "Harbour district",
			OccurredAt: now.Add(-20 * time.Minute), DetectedAt: now.Add(-10 * time.Minute)}
		if _, err := cs.Declare(ctx, o.users[authz.Editor], decl); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("editor declaring: %v", err)
		}
		bad := decl
		bad.Level, bad.OccurredAt = 5, now.Add(time.Hour)
		if _, err := cs.Declare(ctx, cmd, bad); !fault.Is(err, fault.Invalid) {
			t.Fatalf("bad declaration: %v", err)
		}
		c, err := cs.Declare(ctx, cmd, decl)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Clocks) != 0 { // Declare does not fill clocks; Get does
			t.Fatalf("clocks on declare: %v", c.Clocks)
		}
		c, _ = cs.Get(ctx, c.ID)
		byName := map[string]crisis.Clock{}
		for _, k := range c.Clocks {
			byName[k.Name] = k
		}
		// Both count from the occurrence, as the plan says.
		if k := byName["first_notice"]; !k.DueAt.Equal(decl.OccurredAt.Add(30*time.Minute)) || k.State(now) != crisis.Pending ||
			k.Basis != crisis.FromOccurrence {
			t.Fatalf("first notice clock %+v", k)
		}
		if k := byName["activation"]; !k.DueAt.Equal(decl.OccurredAt.Add(24*time.Hour)) || k.Basis != crisis.FromOccurrence {
			t.Fatalf("activation clock %+v", k)
		}
		// The escalation jobs are scheduled at 80 % and at the due time.
		scheduled := map[time.Time]bool{}
		if err := o.st.InTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT scheduled_at FROM river_job WHERE kind = 'clock_alert'`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var at time.Time
				if err := rows.Scan(&at); err != nil {
					return err
				}
				scheduled[at.UTC().Truncate(time.Second)] = true
			}
			return rows.Err()
		}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []time.Time{decl.OccurredAt.Add(24 * time.Minute), decl.OccurredAt.Add(30 * time.Minute)} {
			if !scheduled[want] {
				t.Errorf("no clock alert job scheduled at %v; have %v", want, scheduled)
			}
		}

		draft, _ := o.st.Plans().Save(ctx, o.users[authz.Editor], p.ID, p.Lock, "v2", typhoonBody())
		if _, err := cs.Activate(ctx, cmd, c.ID, draft.ID); !fault.Is(err, fault.Conflict) {
			t.Fatalf("activating a draft: %v", err)
		}
		o.clk.Advance(5 * time.Minute)
		if c, err = cs.Activate(ctx, cmd, c.ID, p.ID); err != nil || c.Status != crisis.Active {
			t.Fatalf("activate: %v", err)
		}
		if c.TimeToActivate() != 25*time.Minute || c.ActivatedAfterDeclaration() != 5*time.Minute {
			t.Fatalf("time to activate %v from the occurrence, %v from the declaration", c.TimeToActivate(), c.ActivatedAfterDeclaration())
		}
		tasks, err := cs.Tasks(ctx, c.ID)
		if err != nil || len(tasks) != 2 { // w1, r1 at level II; v1 waits for recovery
			t.Fatalf("tasks at level II: %d %v", len(tasks), err)
		}
		var r1 crisis.Task
		for _, tk := range tasks {
			if tk.StepKey == "r1" {
				r1 = tk
			}
		}
		if r1.AssigneeID != o.users[authz.Editor].UserID || len(r1.Checklist) != 2 {
			t.Fatalf("task r1 %+v", r1)
		}
		if _, err := cs.SetTaskDone(ctx, o.users[authz.Observer], r1.ID, true, r1.Version); !fault.Is(err, fault.Forbidden) {
			t.Fatalf("observer ticking: %v", err)
		}
		done, err := cs.SetTaskDone(ctx, o.users[authz.Editor], r1.ID, true, r1.Version)
		if err != nil || !done.Done() {
			t.Fatalf("tick: %v", err)
		}
		if _, err := cs.SetTaskDone(ctx, o.users[authz.Editor], r1.ID, false, r1.Version); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale tick: %v", err)
		}
		if _, err := cs.SetCheckItem(ctx, o.users[authz.Editor], r1.ID, 5, true, done.Version); !fault.Is(err, fault.Invalid) {
			t.Fatalf("bad checklist index: %v", err)
		}

		// Level I adds its steps only.
		if c, err = cs.ChangeLevel(ctx, cmd, c.ID, catalog.LevelI, "signal 10"); err != nil || c.Level != catalog.LevelI {
			t.Fatalf("level: %v", err)
		}
		tasks, _ = cs.Tasks(ctx, c.ID)
		if len(tasks) != 3 {
			t.Fatalf("tasks after level I: %d", len(tasks))
		}
		if _, err := cs.ChangeLevel(ctx, cmd, c.ID, catalog.Level(0), "x"); !fault.Is(err, fault.Invalid) {
			t.Fatalf("level 0: %v", err)
		}

		// Publishing (the release issue) meets the first-notice clock.
		if err := cs.MeetClock(ctx, cmd, c.ID, "first_notice"); err != nil {
			t.Fatal(err)
		}
		c, _ = cs.Get(ctx, c.ID)
		if c.TimeToFirstNotice() != 25*time.Minute || c.FirstNoticeAfterDeclaration() != 5*time.Minute {
			t.Fatalf("time to first notice %v, %v after declaration", c.TimeToFirstNotice(), c.FirstNoticeAfterDeclaration())
		}

		if _, err := cs.AddNote(ctx, o.users[authz.Liaison], c.ID, "Shelter at Kwun Tong open", &crisis.Attachment{
			Name: "sitrep.txt", Type: "text/plain", Body: strings.NewReader("all well")}); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.AddNote(ctx, o.users[authz.Liaison], c.ID, "  ", nil); !fault.Is(err, fault.Invalid) {
			t.Fatalf("empty note: %v", err)
		}
		if _, err := cs.Close(ctx, cmd, c.ID, ""); !fault.Is(err, fault.Invalid) {
			t.Fatalf("close without summary: %v", err)
		}
		o.clk.Advance(3 * time.Hour)
		recovering := o.clk.Now()
		if _, err := cs.Recover(ctx, cmd, c.ID, "winds easing"); err != nil {
			t.Fatal(err)
		}
		// The recovery step starts now: its deadline counts from here.
		tasks, _ = cs.Tasks(ctx, c.ID)
		if len(tasks) != 4 || tasks[3].StepKey != "v1" || !tasks[3].DueAt.Equal(recovering.Add(48*time.Hour)) {
			t.Fatalf("tasks after recovery: %+v", tasks)
		}
		c, _ = cs.Get(ctx, c.ID)
		for _, k := range c.Clocks {
			if k.Name == "task:"+strconv.FormatInt(tasks[3].ID, 10) && (k.Basis != crisis.FromRecovery || !k.StartedAt.Equal(recovering) ||
				k.Subject != "Damage survey") {
				t.Fatalf("recovery task clock %+v", k)
			}
		}
		if c, err = cs.Close(ctx, cmd, c.ID, "No casualties."); err != nil || c.Status != crisis.Closed {
			t.Fatalf("close: %v", err)
		}
		tl, err := cs.Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var events []string
		for _, e := range tl {
			events = append(events, e.Event)
		}
		joined := strings.Join(events, ",")
		for _, want := range []string{"declared", "activated", "task_done", "level", "note", "recovering", "closed"} {
			if !strings.Contains(joined, want) {
				t.Errorf("timeline lacks %s: %s", want, joined)
			}
		}
		rev, err := cs.Review(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rev.Lessons = "Open shelters earlier"
		rev.ActionItems = []crisis.ActionItem{{Text: "Pre-position sandbags"}}
		if _, err := cs.SaveReview(ctx, cmd, rev); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.SaveReview(ctx, cmd, rev); !fault.Is(err, fault.Conflict) {
			t.Fatalf("stale review: %v", err)
		}
	})
}

func TestClockAlertsAtEightyPercentAndExpiry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		extra := mustUser(t, o.st, "second-commander", authz.Commander)
		cs := o.st.Crises()
		c, err := cs.Declare(ctx, o.users[authz.Commander], crisis.Declaration{Title: "Fire", TypeID: o.typ.ID,
			Level: catalog.LevelIII, Location: "Depot", OccurredAt: o.clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		c, _ = cs.Get(ctx, c.ID)
		var fn crisis.Clock
		for _, k := range c.Clocks {
			if k.Name == "first_notice" {
				fn = k
			}
		}
		o.clk.Advance(24 * time.Minute) // 80 %
		alerts, users, err := o.st.AlertClock(ctx, fn.ID, crisis.WarnStage)
		if err != nil || len(alerts) != 2 || len(users) != 2 {
			t.Fatalf("warn: %d alerts to %d users, %v", len(alerts), len(users), err)
		}
		again, _, _ := o.st.AlertClock(ctx, fn.ID, crisis.WarnStage)
		if len(again) != 0 {
			t.Fatalf("warned twice: %v", again)
		}
		mine, err := cs.Alerts(ctx, extra.ID, true, 10)
		if err != nil || len(mine) != 1 || mine[0].Stage != crisis.WarnStage || !strings.Contains(alertText(t, mine[0]), "80%") {
			t.Fatalf("alerts of the second commander: %+v %v", mine, err)
		}
		if err := cs.MarkAlertsRead(ctx, extra.Actor(authz.SourceUI), []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		if unread, _ := cs.Alerts(ctx, extra.ID, true, 10); len(unread) != 0 {
			t.Fatalf("still unread: %v", unread)
		}
		o.clk.Advance(7 * time.Minute) // past due
		c, _ = cs.Get(ctx, c.ID)
		for _, k := range c.Clocks {
			if k.Name == "first_notice" && k.State(o.clk.Now()) != crisis.Overdue {
				t.Fatalf("first notice clock is %s after its time", k.State(o.clk.Now()))
			}
		}
		expired, _, err := o.st.AlertClock(ctx, fn.ID, crisis.ExpiredStage)
		if err != nil || len(expired) != 2 {
			t.Fatalf("expiry: %d %v", len(expired), err)
		}
		// A met clock alerts nobody.
		if err := cs.MeetClock(ctx, o.users[authz.Commander], c.ID, "activation"); err != nil {
			t.Fatal(err)
		}
		for _, k := range c.Clocks {
			if k.Name == "activation" {
				if got, _, _ := o.st.AlertClock(ctx, k.ID, crisis.WarnStage); len(got) != 0 {
					t.Fatalf("met clock alerted: %v", got)
				}
			}
		}
	})
}

func TestReviewRemindersOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		p := o.signed(t)
		window := 30 * 24 * time.Hour
		if due, err := o.st.DueReviewReminders(ctx, window); err != nil || len(due) != 0 {
			t.Fatalf("fresh plan: %v %v", due, err)
		}
		o.clk.Set(p.ReviewDue.Add(-10 * 24 * time.Hour))
		due, err := o.st.DueReviewReminders(ctx, window)
		if err != nil || len(due) != 1 || due[0].Author.ID != p.AuthorID {
			t.Fatalf("due soon: %+v %v", due, err)
		}
		if again, _ := o.st.DueReviewReminders(ctx, window); len(again) != 0 {
			t.Fatalf("reminded twice: %v", again)
		}
		o.clk.Set(p.ReviewDue.Add(24 * time.Hour))
		if lapsed, _ := o.st.DueReviewReminders(ctx, window); len(lapsed) != 1 {
			t.Fatalf("lapsed plan not reminded again: %v", lapsed)
		}
		if again, _ := o.st.DueReviewReminders(ctx, window); len(again) != 0 {
			t.Fatalf("lapsed plan reminded twice: %v", again)
		}
	})
}

// List fills in each crisis's own running clocks (read for the whole page
// at once), the same as Get gives one crisis.
func TestListGivesEachCrisisItsClocks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		o := newOffice(t, engine)
		cmd := o.users[authz.Commander]
		now := o.clk.Now()
		var ids []int64
		for i, title := range []string{"Flood north", "Flood south", "Landslide"} {
			c, err := o.st.Crises().Declare(ctx, cmd, crisis.Declaration{Title: title, TypeID: o.typ.ID, Level: catalog.LevelIII,
				Location: "District " + title, OccurredAt: now.Add(-time.Duration(i+2) * time.Minute), DetectedAt: now.Add(-time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			o.clk.Advance(time.Minute)
		}
		list, total, err := o.st.Crises().List(ctx, crisis.Filter{Limit: 10})
		if err != nil || total != len(ids) || len(list) != len(ids) {
			t.Fatalf("list: %d of %d, %v", len(list), total, err)
		}
		for _, c := range list {
			one, err := o.st.Crises().Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Clocks) == 0 || len(c.Clocks) != len(one.Clocks) {
				t.Fatalf("crisis %d: %d clocks listed, %d on Get", c.ID, len(c.Clocks), len(one.Clocks))
			}
			for i, k := range c.Clocks {
				if k.CrisisID != c.ID || k.ID != one.Clocks[i].ID {
					t.Errorf("crisis %d clock %d: listed %+v, Get %+v", c.ID, i, k, one.Clocks[i])
				}
			}
		}
	})
}
