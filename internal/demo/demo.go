// Package demo loads a realistic sample into a crisisdesk database — a
// typhoon plan and a food-safety plan, each signed by three people, and one
// active typhoon with its plan activated, tasks under way and its clocks
// running — so that a newcomer sees a living system at once. Loading twice
// does no harm: it finds its own data and stops.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/store"
)

// person is a demo user.
type person struct {
	name, display, email, dept string
	role                       authz.Role
}

var people = []person{
	{"ho.commander", "何志明 Ho Chi-ming", "ho@demo.invalid", "communications", authz.Commander},
	{"chan.editor", "陳美玲 Chan Mei-ling", "chan@demo.invalid", "communications", authz.Editor},
	{"lee.reviewer", "李國強 Lee Kwok-keung", "lee@demo.invalid", "communications", authz.Reviewer},
	{"wong.approver", "黃淑芬 Wong Shuk-fan", "wong@demo.invalid", "communications", authz.Approver},
	{"lam.works", "林家豪 Lam Ka-ho", "lam@demo.invalid", "public-works", authz.Liaison},
	{"cheung.health", "張慧敏 Cheung Wai-man", "cheung@demo.invalid", "health", authz.Liaison},
	{"observer", "Audit Office", "audit@demo.invalid", "", authz.Observer},
}

var departments = []account.DepartmentInput{
	{Code: "communications", Name: "傳訊及公共事務部 Communications"},
	{Code: "public-works", Name: "工務部 Public Works"},
	{Code: "health", Name: "衛生部 Health"},
}

// Load adds the demo data unless it is there already. It writes the demo
// users' one-time password to out. It reports whether it loaded anything.
func Load(ctx context.Context, st *store.Store, now time.Time, out io.Writer) (bool, error) {
	if _, err := st.Plans().InForce(ctx, "typhoon"); err == nil {
		return false, nil
	} else if !fault.Is(err, fault.NotFound) {
		return false, err
	}
	sys := authz.System(authz.SourceCLI, "demo")
	acc := st.Accounts()
	if _, err := st.SeedCatalog(ctx); err != nil {
		return false, err
	}
	deptID := map[string]int64{}
	for _, d := range departments {
		dep, err := acc.CreateDepartment(ctx, sys, d)
		if fault.Is(err, fault.Invalid) {
			deps, _, lerr := acc.ListDepartments(ctx, 0, 500)
			if lerr != nil {
				return false, lerr
			}
			for _, x := range deps {
				if x.Code == d.Code {
					dep, err = x, nil
				}
			}
		}
		if err != nil {
			return false, fmt.Errorf("demo department %s: %w", d.Code, err)
		}
		deptID[d.Code] = dep.ID
	}
	if err := demoOffice(ctx, st, sys); err != nil {
		return false, err
	}
	password := account.GeneratePassword()
	actors := map[authz.Role]authz.Actor{}
	for _, p := range people {
		u, err := acc.CreateUser(ctx, sys, account.NewUser{Name: p.name, DisplayName: p.display, Email: p.email,
			Role: p.role, DepartmentID: deptID[p.dept], Password: password})
		if fault.Is(err, fault.Invalid) {
			u, err = acc.UserByName(ctx, p.name)
		}
		if err != nil {
			return false, fmt.Errorf("demo user %s: %w", p.name, err)
		}
		if _, ok := actors[p.role]; !ok {
			actors[p.role] = u.Actor(authz.SourceCLI)
		}
	}
	types, err := st.Plans().Types(ctx)
	if err != nil {
		return false, err
	}
	typeID := map[string]int64{}
	for _, t := range types {
		typeID[t.Code] = t.ID
	}
	typhoon, err := signedPlan(ctx, st, actors, "typhoon", typeID["typhoon"], "颱風應急預案 Typhoon contingency plan", typhoonBody())
	if err != nil {
		return false, err
	}
	food, err := signedPlan(ctx, st, actors, "food-safety", typeID["food-safety"], "食物安全事故應急預案 Food safety incident plan", foodBody())
	if err != nil {
		return false, err
	}

	cs := st.Crises()
	cmd := actors[authz.Commander]
	c, err := cs.Declare(ctx, cmd, crisis.Declaration{
		Title: "颱風「海燕」Typhoon Haiyan", TypeID: typeID["typhoon"], Level: catalog.LevelII,
		Location: "Harbour district and low-lying coast", Area: "Districts 3, 4 and 7",
		Summary:    "Signal No. 8 expected within 12 hours; storm surge forecast up to 1.2 m above normal tide.",
		OccurredAt: now.Add(-50 * time.Minute), DetectedAt: now.Add(-40 * time.Minute),
	})
	if err != nil {
		return false, fmt.Errorf("demo crisis: %w", err)
	}
	if _, err := cs.Activate(ctx, cmd, c.ID, typhoon.ID); err != nil {
		return false, fmt.Errorf("demo activation: %w", err)
	}
	tasks, err := cs.Tasks(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, t := range tasks {
		if t.Phase == plan.Warning {
			if _, err := cs.SetTaskDone(ctx, cmd, t.ID, true, t.Version); err != nil {
				return false, fmt.Errorf("demo task: %w", err)
			}
		}
	}
	for _, n := range []struct {
		role authz.Role
		text string
	}{
		{authz.Liaison, "沙包已送抵三號及四號區低窪地帶。Sandbags delivered to low-lying parts of districts 3 and 4."},
		{authz.Editor, "First public notice drafted from the level II template; waiting for approval."},
	} {
		if _, err := cs.AddNote(ctx, actors[n.role], c.ID, n.text, nil); err != nil {
			return false, fmt.Errorf("demo note: %w", err)
		}
	}
	if err := typhoonNotices(ctx, st, actors, c, now); err != nil {
		return false, err
	}
	if err := closedFoodCrisis(ctx, st, actors, typeID["food-safety"], food.ID, now); err != nil {
		return false, err
	}
	if err := demoDrills(ctx, st, actors, typhoon.ID, now); err != nil {
		return false, err
	}
	if err := demoProgramme(ctx, st, actors, now); err != nil {
		return false, err
	}
	if err := demoFeedback(ctx, st, actors, c, now); err != nil {
		return false, err
	}
	if err := demoListening(ctx, st, actors, now); err != nil {
		return false, err
	}
	if err := demoTeam(ctx, st, sys, now); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "Loaded the demo: %d people (password for all of them, shown once: %s), 2 signed plans, 1 active and 1 closed crisis, 4 published notices, 2 drills.\n", len(people), password)
	return true, nil
}

func signedPlan(ctx context.Context, st *store.Store, actors map[authz.Role]authz.Actor, code string, typeID int64, title string, body plan.Body) (plan.Plan, error) {
	ps := st.Plans()
	p, err := ps.Create(ctx, actors[authz.Editor], code, typeID, title, body)
	if err != nil {
		return p, fmt.Errorf("demo plan %s: %w", code, err)
	}
	steps := []struct {
		f    func(context.Context, authz.Actor, int64, string) (plan.Plan, error)
		role authz.Role
		note string
	}{
		{ps.Submit, authz.Editor, "Ready for review."},
		{ps.Review, authz.Reviewer, "Checked against last year's exercise findings."},
		{ps.Approve, authz.Approver, "Approved for the typhoon season."},
	}
	for _, s := range steps {
		if p, err = s.f(ctx, actors[s.role], p.ID, s.note); err != nil {
			return p, fmt.Errorf("demo plan %s: %w", code, err)
		}
	}
	return p, nil
}

// demoOffice names the demo office, a Hong Kong one, unless an admin has
// set the office up already.
func demoOffice(ctx context.Context, st *store.Store, sys authz.Actor) error {
	p, err := st.Office().Profile(ctx)
	if err != nil || p.Version != 0 {
		return err
	}
	p.Name = catalog.Text{ZhHant: "應急管理處", ZhHans: "应急管理处", En: "Emergency Management Office"}
	p.Contact = catalog.Text{ZhHant: "查詢熱線 2100 0000（24 小時）", ZhHans: "查询热线 2100 0000（24 小时）", En: "Enquiries 2100 0000 (24 hours)"}
	p.CountryCode = "852"
	if _, err := st.Office().Save(ctx, sys, p); err != nil {
		return fmt.Errorf("demo office: %w", err)
	}
	return nil
}
