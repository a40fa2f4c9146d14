package drill_test

import (
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
)

var (
	now       = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	author    = authz.Actor{UserID: 1, Name: "ed", Role: authz.Editor}
	approver  = authz.Actor{UserID: 2, Name: "ap", Role: authz.Approver}
	commander = authz.Actor{UserID: 3, Name: "cmd", Role: authz.Commander}
	observer  = authz.Actor{UserID: 4, Name: "ob", Role: authz.Observer}
	officer   = authz.Actor{UserID: 5, Name: "so", Role: authz.Liaison}
)

func details() drill.Details {
	return drill.Details{Title: " Drill ", PlanID: 1, Kind: drill.Tabletop, Level: catalog.LevelIII,
		Objectives: []drill.Objective{{Text: "Activate", Clocks: []string{"activation"}}, {}},
		Scenario:   "Storm", StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour), Venue: "Room 1",
		ControllerID: 3, Observers: []int64{4, 4, 0}}
}

func ready(t *testing.T) drill.Drill {
	t.Helper()
	d, err := drill.New(author, now, details(), drill.Checklist{Hazards: []string{"Falls"}, Measures: []string{"Brief"}})
	if err != nil {
		t.Fatal(err)
	}
	d.Safety.OfficerID, d.Safety.StopWord = officer.UserID, "RED"
	if d, err = drill.SignSafety(d, approver, now); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNewNormalizesAndValidates(t *testing.T) {
	t.Parallel()
	d, err := drill.New(author, now, details(), drill.Checklist{Hazards: []string{"Falls"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Drill" || len(d.Objectives) != 1 || len(d.Observers) != 1 || d.State != drill.Planned || d.Safety.Hazards[0] != "Falls" {
		t.Fatalf("new %+v", d)
	}
	cases := []struct {
		name  string
		edit  func(*drill.Details)
		field string
	}{
		{"no title", func(d *drill.Details) { d.Title = "" }, "title"},
		{"no plan", func(d *drill.Details) { d.PlanID = 0 }, "plan_id"},
		{"bad kind", func(d *drill.Details) { d.Kind = "party" }, "kind"},
		{"bad level", func(d *drill.Details) { d.Level = 9 }, "level"},
		{"unlinked objective", func(d *drill.Details) { d.Objectives = []drill.Objective{{Text: "x"}} }, "objectives"},
		{"end before start", func(d *drill.Details) { d.EndsAt = d.StartsAt }, "ends_at"},
		{"too long", func(d *drill.Details) { d.EndsAt = d.StartsAt.Add(8 * 24 * time.Hour) }, "ends_at"},
		{"no venue", func(d *drill.Details) { d.Venue = " " }, "venue"},
		{"no controller", func(d *drill.Details) { d.ControllerID = 0 }, "controller_id"},
		{"nobody observing", func(d *drill.Details) { d.Observers = nil }, "observers"},
		{"outsider without a name", func(d *drill.Details) { d.Participants = []drill.Participant{{Organisation: "Radio"}} }, "participants"},
		{"bad e-mail", func(d *drill.Details) { d.Participants = []drill.Participant{{Name: "A", Email: "nope"}} }, "participants"},
		{"control character", func(d *drill.Details) { d.Venue = "Room\x07" }, "venue"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := details()
			c.edit(&in)
			_, err := drill.New(author, now, in, drill.Checklist{})
			found := false
			for _, f := range fault.FieldsOf(err) {
				found = found || f.Field == c.field
			}
			if !found {
				t.Fatalf("want field %s, got %v", c.field, err)
			}
		})
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	type step func(drill.Drill) (drill.Drill, error)
	cases := []struct {
		name  string
		from  func(*testing.T) drill.Drill
		do    step
		code  fault.Code
		state drill.State
	}{
		{"author signs own gate", func(t *testing.T) drill.Drill {
			d, _ := drill.New(commander, now, details(), drill.Checklist{Hazards: []string{"a"}, Measures: []string{"b"}})
			d.Safety.OfficerID, d.Safety.StopWord = 5, "RED"
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.SignSafety(d, commander, now) }, fault.Forbidden, ""},
		{"observer signs", ready, func(d drill.Drill) (drill.Drill, error) { return drill.SignSafety(d, observer, now) }, fault.Forbidden, ""},
		{"start with a withdrawn plan", ready, func(d drill.Drill) (drill.Drill, error) { return drill.Start(d, commander, now, false, 9) }, fault.Invalid, ""},
		{"start", ready, func(d drill.Drill) (drill.Drill, error) { return drill.Start(d, commander, now, true, 9) }, "", drill.Running},
		{"start unsigned", func(t *testing.T) drill.Drill {
			d, _ := drill.New(author, now, details(), drill.Checklist{})
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.Start(d, commander, now, true, 9) }, fault.Conflict, ""},
		{"end before start", ready, func(d drill.Drill) (drill.Drill, error) { return drill.End(d, commander, now, "") }, fault.Conflict, ""},
		{"safety officer stops", func(t *testing.T) drill.Drill {
			d, _ := drill.Start(ready(t), commander, now, true, 9)
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.Stop(d, officer, now, "smoke") }, "", drill.Ended},
		{"observer stops", func(t *testing.T) drill.Drill {
			d, _ := drill.Start(ready(t), commander, now, true, 9)
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.Stop(d, observer, now, "smoke") }, fault.Forbidden, ""},
		{"edit a ready drill unsigns it", ready, func(d drill.Drill) (drill.Drill, error) { return drill.Edit(d, author, now, d.Details()) }, "", drill.Planned},
		{"evaluate an ended drill", func(t *testing.T) drill.Drill {
			d, _ := drill.Start(ready(t), commander, now, true, 9)
			d, _ = drill.End(d, commander, now, "")
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.Evaluate(d, approver, now) }, "", drill.Evaluated},
		{"close with open actions", func(t *testing.T) drill.Drill {
			d, _ := drill.Start(ready(t), commander, now, true, 9)
			d, _ = drill.End(d, commander, now, "")
			d, _ = drill.Evaluate(d, approver, now)
			return d
		}, func(d drill.Drill) (drill.Drill, error) { return drill.Close(d, approver, now, 2) }, fault.Conflict, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := c.from(t)
			got, err := c.do(before)
			if fault.CodeOf(err) != c.code {
				t.Fatalf("error %v, want code %q", err, c.code)
			}
			if c.code != "" {
				if got.State != before.State || len(got.Steps) != len(before.Steps) {
					t.Fatalf("a refused transition changed the drill: %s → %s", before.State, got.State)
				}
				return
			}
			if got.State != c.state || len(got.Steps) <= len(before.Steps) || got.Steps[len(got.Steps)-1].At != now {
				t.Fatalf("state %s, steps %+v", got.State, got.Steps)
			}
		})
	}
}
