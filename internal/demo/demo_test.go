package demo_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/action"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
	"crisisdesk/internal/report"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/survey"
)

func TestLoadTwice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		var out strings.Builder
		loaded, err := demo.Load(ctx, st, st.Clock().Now(), &out)
		if err != nil || !loaded || !strings.Contains(out.String(), "shown once") {
			t.Fatalf("first load: %v %v %q", loaded, err, out.String())
		}
		if again, err := demo.Load(ctx, st, st.Clock().Now(), io.Discard); err != nil || again {
			t.Fatalf("second load: %v %v", again, err)
		}
		if o, err := st.Office().Profile(ctx); err != nil || o.Version != 1 || o.Name.En != "Emergency Management Office" || o.CountryCode != "852" {
			t.Fatalf("demo office: %+v %v", o, err)
		}
		plans, total, err := st.Plans().List(ctx, plan.Filter{Status: plan.Approved})
		if err != nil || total != 2 {
			t.Fatalf("approved plans: %d %v", total, err)
		}
		for _, p := range plans {
			if p.AuthorID == p.ReviewerID || p.ReviewerID == p.ApproverID || p.AuthorID == p.ApproverID {
				t.Errorf("plan %s not signed by three people: %d %d %d", p.Code, p.AuthorID, p.ReviewerID, p.ApproverID)
			}
		}
		notExercise := false // the drills' exercise crises aside
		cs, n, err := st.Crises().List(ctx, crisis.Filter{Open: true, Exercise: &notExercise})
		if err != nil || n != 1 || cs[0].Status != crisis.Active || len(cs[0].Clocks) < 3 {
			t.Fatalf("demo crisis: %d %+v %v", n, cs, err)
		}
		tasks, _ := st.Crises().Tasks(ctx, cs[0].ID)
		done := 0
		for _, tk := range tasks {
			if tk.Done() {
				done++
			}
		}
		if len(tasks) < 4 || done == 0 || done == len(tasks) {
			t.Fatalf("demo tasks: %d, %d done", len(tasks), done)
		}
		drills, n, err := st.Drills().List(ctx, drill.Filter{})
		if err != nil || n != 2 {
			t.Fatalf("demo drills: %d %v", n, err)
		}
		for _, d := range drills {
			actions, _ := st.Drills().Actions(ctx, d.ID)
			injects, _ := st.Drills().Injects(ctx, d.ID)
			switch d.Kind {
			case drill.Tabletop:
				if r, err := st.Drills().Report(ctx, d.ID); d.State != drill.Evaluated || err != nil || r.ApprovedAt.IsZero() || len(actions) != 2 || actions[0].Closed() {
					t.Errorf("tabletop drill %s, report %v, actions %+v", d.State, err, actions)
				}
			case drill.Functional:
				if d.State != drill.Planned || len(injects) != 3 || !d.StartsAt.After(st.Clock().Now()) {
					t.Errorf("functional drill %s with %d injects at %v", d.State, len(injects), d.StartsAt)
				}
			}
		}
		pub, n, err := st.Notices().List(ctx, notice.Filter{Status: notice.Published})
		if err != nil || n != 5 { // the typhoon's two, the food crisis's two, and the rumour's clarification
			t.Fatalf("published notices: %d %v", n, err)
		}
		kinds := map[notice.Kind]int{}
		for _, p := range pub {
			kinds[p.Kind]++
		}
		if kinds[notice.Correction] != 1 || kinds[notice.AllClear] != 1 || kinds[notice.Alert] != 2 || kinds[notice.Update] != 1 {
			t.Fatalf("notice kinds %v", kinds)
		}
		if _, closed, _ := st.Crises().List(ctx, crisis.Filter{Exercise: &notExercise}); closed != 2 {
			t.Fatalf("%d crises, want the active and the closed one", closed)
		}
		if cl, err := st.Rumours().Clarifications(ctx, 10); err != nil || len(cl) != 1 {
			t.Fatalf("demo clarifications: %v %v", cl, err)
		}
		if sv, _, err := st.Surveys().List(ctx, survey.Filter{}); err != nil || len(sv) != 1 || sv[0].Responses != 9 {
			t.Fatalf("demo survey: %+v %v", sv, err)
		}
		tl, _ := st.Crises().Timeline(ctx, cs[0].ID)
		if len(tl) < 5 {
			t.Fatalf("demo timeline has %d entries", len(tl))
		}
		// The programme: last week's approved minutes with their actions,
		// this week's meeting scheduled, last month's approved report.
		series, err := st.Meetings().ListSeries(ctx)
		if err != nil || len(series) != 1 {
			t.Fatalf("meeting series %+v %v", series, err)
		}
		ms, _ := st.Meetings().Meetings(ctx, series[0].ID)
		if len(ms) != 2 || ms[1].State != meeting.Approved || !ms[1].StartsAt.Before(st.Clock().Now()) || ms[0].State != meeting.Scheduled {
			t.Fatalf("demo meetings %+v", ms)
		}
		if acts, _ := st.Actions().List(ctx, action.Filter{Source: action.FromMeeting, SourceID: ms[1].ID}); len(acts) != 2 {
			t.Fatalf("demo meeting actions %+v", acts)
		}
		reps, err := st.Reports(time.UTC, report.Policy{}).List(ctx)
		if err != nil || len(reps) != 1 || reps[0].State != report.Approved || reps[0].ApprovedBy == reps[0].AuthorID {
			t.Fatalf("demo reports %+v %v", reps, err)
		}
	})
}
