package apptest

import (
	"context"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/subscriber"
)

// World is a typhoon plan signed by three people and a crisis with that
// plan activated, made through the services as real users would.
type World struct {
	Editor, Reviewer, Approver, Commander account.User
	Type                                  catalog.Type
	Plan                                  plan.Plan
	Crisis                                crisis.Crisis
	Tasks                                 []crisis.Task // the commanders' "Open the operations room", the liaisons' "Warn the district offices"
	Note                                  crisis.Entry  // with an attachment, harbour.txt
}

// As is u acting from the staff UI.
func As(u account.User) authz.Actor { return u.Actor(authz.SourceUI) }

// Typhoon returns the seeded typhoon type.
func (e *Env) Typhoon() catalog.Type {
	e.T.Helper()
	types, err := e.Store.Plans().Types(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	for _, t := range types {
		if t.Code == "typhoon" {
			return t
		}
	}
	e.T.Fatal("apptest: no typhoon type in the seeded catalogue")
	return catalog.Type{}
}

// PlanBody is a small plan: two steps at level III, one with a checklist,
// a communication row and a public template.
func PlanBody() plan.Body {
	return plan.Body{
		Scope:      "Typhoon signal No. 8 or above",
		Activation: map[catalog.Level]string{catalog.LevelIII: "Signal No. 8"},
		Steps: []plan.Step{
			{Phase: plan.Response, Title: "Open the operations room", Levels: []catalog.Level{catalog.LevelIII, catalog.LevelII},
				OwnerRole: authz.Commander, Deadline: plan.Duration(30 * time.Minute), Checklist: []string{"Power", "Radios"}},
			{Phase: plan.Warning, Title: "Warn the district offices", Levels: []catalog.Level{catalog.LevelIII},
				OwnerRole: authz.Liaison, Deadline: plan.Duration(time.Hour)},
		},
		Matrix:    []plan.CommRow{{Level: catalog.LevelIII, Audience: "public", Content: "Situation", Channels: []string{"web"}, Cadence: plan.Duration(time.Hour)}},
		Templates: []plan.Template{{Level: catalog.LevelIII, Audience: plan.Public, Language: "en", Headline: "Typhoon at {{location}}", Body: "Stay indoors."}},
	}
}

// SignedPlan makes a plan of w's type with PlanBody, signed by w's editor,
// reviewer and approver.
func (e *Env) SignedPlan(w *World, code string) plan.Plan {
	e.T.Helper()
	ctx := context.Background()
	p, err := e.Store.Plans().Create(ctx, As(w.Editor), code, w.Type.ID, "Typhoon plan", PlanBody())
	if err == nil {
		_, err = e.Store.Plans().Submit(ctx, As(w.Editor), p.ID, "")
	}
	if err == nil {
		_, err = e.Store.Plans().Review(ctx, As(w.Reviewer), p.ID, "")
	}
	if err == nil {
		p, err = e.Store.Plans().Approve(ctx, As(w.Approver), p.ID, "")
	}
	if err != nil {
		e.T.Fatalf("apptest: sign plan: %v", err)
	}
	return p
}

// World makes a World: users fx-editor, fx-reviewer, fx-approver and
// fx-commander, the plan "typhoon-main", and the crisis "Typhoon Mawar"
// at level III, which happened an hour ago by the app's clock.
func (e *Env) World() World {
	e.T.Helper()
	ctx := context.Background()
	w := World{
		Editor: e.User("fx-editor", authz.Editor), Reviewer: e.User("fx-reviewer", authz.Reviewer),
		Approver: e.User("fx-approver", authz.Approver), Commander: e.User("fx-commander", authz.Commander),
		Type: e.Typhoon(),
	}
	w.Plan = e.SignedPlan(&w, "typhoon-main")
	c, err := e.Store.Crises().Declare(ctx, As(w.Commander), crisis.Declaration{Title: "Typhoon Mawar", TypeID: w.Type.ID,
		Level: catalog.LevelIII, Location: "Harbour", OccurredAt: e.Clock.Now().Add(-10 * time.Minute)})
	if err != nil {
		e.T.Fatalf("apptest: declare: %v", err)
	}
	if w.Crisis, err = e.Store.Crises().Activate(ctx, As(w.Commander), c.ID, w.Plan.ID); err != nil {
		e.T.Fatalf("apptest: activate: %v", err)
	}
	if w.Tasks, err = e.Store.Crises().Tasks(ctx, c.ID); err != nil || len(w.Tasks) != 2 {
		e.T.Fatalf("apptest: tasks: %v %v", w.Tasks, err)
	}
	w.Note, err = e.Store.Crises().AddNote(ctx, As(w.Commander), c.ID, "Photo of the harbour",
		&crisis.Attachment{Name: "harbour.txt", Type: "text/plain", Body: strings.NewReader("waves")})
	if err != nil {
		e.T.Fatalf("apptest: note: %v", err)
	}
	return w
}

// PublishAndFanout takes n through the workflow: w's editor writes and
// submits it, w's approver approves and publishes it. The fan-out then
// runs to its end, as the delivery job would; use it on an app from
// NewWithoutJobs, whose runner does not race it.
func (e *Env) PublishAndFanout(w World, n notice.Notice) notice.Notice {
	e.T.Helper()
	ctx := context.Background()
	ns := e.Store.Notices()
	d, err := ns.Create(ctx, As(w.Editor), n)
	if err == nil {
		_, err = ns.Submit(ctx, As(w.Editor), d.ID, "")
	}
	if err == nil {
		_, err = ns.Approve(ctx, As(w.Approver), d.ID, "")
	}
	if err == nil {
		d, err = ns.Publish(ctx, As(w.Approver), d.ID)
	}
	if err != nil {
		e.T.Fatalf("apptest: publish: %v", err)
	}
	for range 1000 {
		_, done, err := e.Store.Deliveries().FanoutBatch(ctx, d.ID, 100)
		if err != nil {
			e.T.Fatalf("apptest: fan-out: %v", err)
		}
		if done {
			return d
		}
	}
	e.T.Fatal("apptest: the fan-out never finished")
	return d
}

// AddSubscribers adds active subscribers of channel ch, as an admin's
// import would.
func (e *Env) AddSubscribers(ch string, addrs ...string) {
	e.T.Helper()
	for _, a := range addrs {
		_, err := e.Store.Subscribers().Create(context.Background(), CLI,
			subscriber.Subscriber{Channel: ch, Address: a, Language: "en", Source: subscriber.FromImport})
		if err != nil {
			e.T.Fatalf("apptest: subscribe %s: %v", a, err)
		}
	}
}

// SettleDeliveries claims every due delivery of notice noticeID on channel
// ch and records the outcome decide gives for its address, as a send job
// does after its sends.
func (e *Env) SettleDeliveries(noticeID int64, ch string, decide func(addr string) delivery.Outcome) {
	e.T.Helper()
	ctx := context.Background()
	c, err := e.Store.Deliveries().Claim(ctx, noticeID, ch, 1000, time.Minute)
	if err != nil {
		e.T.Fatal(err)
	}
	var outs []delivery.Outcome
	for _, it := range c.Items {
		o := decide(it.Address)
		o.ID = it.ID
		outs = append(outs, o)
	}
	if _, err := e.Store.Deliveries().Finish(ctx, c.Lease, outs); err != nil {
		e.T.Fatal(err)
	}
}

// SampleNotice is a valid public alert for a crisis, in English.
func SampleNotice(crisisID int64) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Alert, Audience: notice.Public,
		Contents: []notice.Content{{Language: "en", Headline: "Stay indoors", Body: "Signal 8 is hoisted."}},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Area: notice.Area{Description: "Harbour"}}}
}

// InternalBriefing is an internal update to the observers and liaisons.
func InternalBriefing(crisisID int64) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Update, Audience: notice.Internal,
		Roles:    []authz.Role{authz.Observer, authz.Liaison},
		Contents: []notice.Content{{Language: "en", Headline: "Staff briefing at 18:00", Body: "Room 3."}}}
}
