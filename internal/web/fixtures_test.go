package web_test

import (
	"context"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/plan"
)

// world is a typhoon plan signed by three people and a crisis with that
// plan activated, made through the services as real users would.
type world struct {
	editor, reviewer, approver, commander account.User
	typ                                   catalog.Type
	plan                                  plan.Plan
	crisis                                crisis.Crisis
	tasks                                 []crisis.Task
	note                                  crisis.Entry // with an attachment
}

func as(u account.User) authz.Actor { return u.Actor(authz.SourceUI) }

// typhoon returns the seeded typhoon type.
func (e *env) typhoon() catalog.Type {
	e.t.Helper()
	types, err := e.st.Plans().Types(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, t := range types {
		if t.Code == "typhoon" {
			return t
		}
	}
	e.t.Fatal("no typhoon type in the seeded catalogue")
	return catalog.Type{}
}

// planBody is a small plan: two steps at level III, one with a
// checklist, a communication row and a public template.
func planBody() plan.Body {
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

// signedPlan makes a plan and has it signed by three people.
func (e *env) signedPlan(w *world, code string) plan.Plan {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.st.Plans().Create(ctx, as(w.editor), code, w.typ.ID, "Typhoon plan", planBody())
	if err == nil {
		_, err = e.st.Plans().Submit(ctx, as(w.editor), p.ID, "")
	}
	if err == nil {
		_, err = e.st.Plans().Review(ctx, as(w.reviewer), p.ID, "")
	}
	if err == nil {
		p, err = e.st.Plans().Approve(ctx, as(w.approver), p.ID, "")
	}
	if err != nil {
		e.t.Fatalf("sign plan: %v", err)
	}
	return p
}

func (e *env) world() world {
	e.t.Helper()
	ctx := context.Background()
	w := world{
		editor: e.user("fx-editor", authz.Editor, false), reviewer: e.user("fx-reviewer", authz.Reviewer, false),
		approver: e.user("fx-approver", authz.Approver, false), commander: e.user("fx-commander", authz.Commander, false),
		typ: e.typhoon(),
	}
	w.plan = e.signedPlan(&w, "typhoon-main")
	c, err := e.st.Crises().Declare(ctx, as(w.commander), crisis.Declaration{Title: "Typhoon Mawar", TypeID: w.typ.ID,
		Level: catalog.LevelIII, Location: "Harbour", OccurredAt: time.Now().Add(-10 * time.Minute)})
	if err != nil {
		e.t.Fatalf("declare: %v", err)
	}
	if w.crisis, err = e.st.Crises().Activate(ctx, as(w.commander), c.ID, w.plan.ID); err != nil {
		e.t.Fatalf("activate: %v", err)
	}
	if w.tasks, err = e.st.Crises().Tasks(ctx, c.ID); err != nil || len(w.tasks) != 2 {
		e.t.Fatalf("tasks: %v %v", w.tasks, err)
	}
	w.note, err = e.st.Crises().AddNote(ctx, as(w.commander), c.ID, "Photo of the harbour",
		&crisis.Attachment{Name: "harbour.txt", Type: "text/plain", Body: strings.NewReader("waves")})
	if err != nil {
		e.t.Fatalf("note: %v", err)
	}
	return w
}

// getStream opens an event stream and reads it for d.
func (c *client) getStream(path string, d time.Duration) response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+path, nil)
	return c.do(req)
}
