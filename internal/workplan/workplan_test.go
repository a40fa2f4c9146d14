package workplan

import (
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
)

func TestCycle(t *testing.T) {
	t.Parallel()
	tasks := []Task{{ID: 1}, {ID: 2, DependsOn: []int64{1}}, {ID: 3, DependsOn: []int64{2}}, {ID: 4}}
	cases := []struct {
		name string
		id   int64
		deps []int64
		want bool
	}{
		{"none", 1, nil, false},
		{"on itself", 4, []int64{4}, true},
		{"two steps back", 1, []int64{3}, true},
		{"one step back", 2, []int64{3}, true},
		{"sideways", 4, []int64{3}, false},
		{"already so", 3, []int64{1, 2}, false},
	}
	for _, c := range cases {
		if got := Cycle(tasks, c.id, c.deps); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	tasks := []Task{
		{ID: 1, Percent: 99}, {ID: 2, ParentID: 1, Percent: 100}, {ID: 3, ParentID: 1, Percent: 50},
		{ID: 4, Percent: 20},
	}
	if got := Progress(tasks); got != (75+20)/2 {
		t.Fatalf("progress %d", got)
	}
	if Progress(nil) != 0 {
		t.Fatal("no tasks")
	}
}

func TestTaskRefusals(t *testing.T) {
	t.Parallel()
	ed := authz.Actor{UserID: 1, Role: authz.Editor}
	now := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	day := Day(now)
	p := Programme{ID: 1}
	cases := []struct {
		name  string
		in    Input
		field string
	}{
		{"ends before it starts", Input{Title: "x", Start: day, End: day.AddDate(0, 0, -1)}, "end"},
		{"no start", Input{Title: "x", End: day}, "start"},
		{"no title", Input{Start: day, End: day}, "title"},
		{"percent above 100", Input{Title: "x", Start: day, End: day, Percent: 101}, "percent"},
		{"unknown importance", Input{Title: "x", Start: day, End: day, Importance: "urgent"}, "importance"},
		{"unknown dependency", Input{Title: "x", Start: day, End: day, DependsOn: []int64{9}}, "depends_on"},
	}
	for _, c := range cases {
		_, err := NewTask(p, ed, now, c.in, nil)
		found := false
		for _, f := range fault.FieldsOf(err) {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	one, err := NewTask(p, ed, now, Input{Title: "x", Start: day, End: day}, nil)
	if err != nil || one.Status != NotStarted || one.Importance != Medium {
		t.Fatalf("one-day task: %+v %v", one, err)
	}
	// One day: due at the end of it.
	if one.Overdue(day.Add(23*time.Hour)) || !one.Overdue(day.Add(24*time.Hour)) {
		t.Fatal("a one-day task is overdue from the next day")
	}
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	var tasks, subs int
	keys := map[string]bool{}
	for _, tt := range Template {
		keys[tt.Key] = true
		if tt.Parent == "" {
			tasks++
		} else {
			subs++
			if !keys[tt.Parent] {
				t.Errorf("%s comes before its task %s", tt.Key, tt.Parent)
			}
		}
		for _, d := range tt.DependsOn {
			if !keys[d] {
				t.Errorf("%s depends on %s, which comes later", tt.Key, d)
			}
		}
	}
	if tasks != 5 || subs != 10 {
		t.Fatalf("%d tasks, %d sub-tasks", tasks, subs)
	}
}
