package demo_test

import (
	"context"
	"io"
	"testing"

	"crisisdesk/internal/action"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/meeting"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// The weekly meeting's generated agenda reads the work plan, the risk
// register and the feedback too: on the demo, the two overdue sub-tasks,
// the typhoon risk rated up and the three overdue replies.
func TestAgendaReadsEveryArea(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenWith(t, store.SQLite, storetest.Options{})
	now := st.Clock().Now()
	if _, err := demo.Load(ctx, st, now, io.Discard); err != nil {
		t.Fatal(err)
	}
	ag, err := meeting.Generate(ctx, st.AgendaSources(), now.AddDate(0, 0, -7), now)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, s := range ag.Sections {
		for _, it := range s.Items {
			count[it.Key]++
		}
	}
	for key, least := range map[string]int{"agenda.work_overdue": 2, "agenda.risk_rose": 1, "agenda.feedback_backlog": 1, "agenda.feedback_overdue": 3} {
		if count[key] < least {
			t.Errorf("%s: %d items, want at least %d (agenda %+v)", key, count[key], least, count)
		}
	}
}

// The risks' mitigations with an owner are on the one action list, read
// through from the register.
func TestMitigationsOnTheActionList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenWith(t, store.SQLite, storetest.Options{})
	if _, err := demo.Load(ctx, st, st.Clock().Now(), io.Discard); err != nil {
		t.Fatal(err)
	}
	list, err := st.Actions().List(ctx, action.Filter{Source: action.FromRisk})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no mitigation on the action list")
	}
	for _, x := range list {
		if !x.ReadOnly || x.OwnerID == 0 || x.Link == "" || (x.Text == "" && x.TextKey == "") {
			t.Errorf("mitigation as an action: %+v", x)
		}
	}
}
