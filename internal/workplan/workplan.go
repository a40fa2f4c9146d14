// Package workplan is the programme's work plan: a programme of tasks and
// sub-tasks, each with an owner, a start and an end, the resources it
// needs, its importance, its expected outcome and a status with a
// percentage; dependencies between tasks, refused when they would make a
// cycle; the progress of the whole; and the plan's own five tasks and ten
// sub-tasks as a template for a new programme. It is plain Go: the store
// keeps it and the surfaces show it (the timeline is drawn on the server).
package workplan

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Importance is how much a task matters to the programme.
type Importance string

// The importance of a task, lowest first.
const (
	Low      Importance = "low"
	Medium   Importance = "medium"
	High     Importance = "high"
	Critical Importance = "critical"
)

// Importances lists them in the order forms offer them.
var Importances = []Importance{Low, Medium, High, Critical}

// Status is where a task stands.
type Status string

// The statuses of a task.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	OnHold     Status = "on_hold"
	Done       Status = "done"
)

// Statuses lists them in their order.
var Statuses = []Status{NotStarted, InProgress, OnHold, Done}

// Programme is one run of the plan as a project: its tasks and timeline.
type Programme struct {
	ID        int64
	Title     string
	StartsOn  time.Time // a date (UTC midnight)
	CreatedBy int64
	CreatedAt time.Time
	Lock      int64
}

// Task is a task or, with ParentID set, a sub-task.
type Task struct {
	ID          int64
	ProgrammeID int64
	ParentID    int64 // 0 for a task of the programme
	// Key names a task of the template ("release", "release.platform");
	// its title, resources and outcome are then the catalogues'
	// ("workplan.tpl.KEY.*") until someone writes their own.
	Key        string
	Title      string
	OwnerID    int64
	Start      time.Time // first day (UTC midnight)
	End        time.Time // last day (UTC midnight), not before Start
	Resources  string
	Importance Importance
	Outcome    string
	Status     Status
	Percent    int
	DependsOn  []int64 // tasks of the same programme that must end first
	Position   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Lock       int64
}

// Due is the moment the task falls due: the end of its last day.
func (t Task) Due() time.Time { return t.End.Add(24 * time.Hour) }

// Overdue reports whether the task is unfinished after its last day.
func (t Task) Overdue(now time.Time) bool { return t.Status != Done && !now.Before(t.Due()) }

// Input is what a person writes about a task.
type Input struct {
	ParentID   int64
	Title      string
	OwnerID    int64
	Start      time.Time
	End        time.Time
	Resources  string
	Importance Importance
	Outcome    string
	Status     Status
	Percent    int
	DependsOn  []int64
}

// Day is t's calendar date as UTC midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Normalize trims the texts, keeps dates as days, and sets what the
// status implies: done is 100 %, not started is 0 %.
func (in *Input) Normalize() {
	in.Title = strings.TrimSpace(plaintext.Normalize(in.Title))
	in.Resources = strings.TrimSpace(plaintext.Normalize(in.Resources))
	in.Outcome = strings.TrimSpace(plaintext.Normalize(in.Outcome))
	if !in.Start.IsZero() {
		in.Start = Day(in.Start)
	}
	if !in.End.IsZero() {
		in.End = Day(in.End)
	}
	if in.Importance == "" {
		in.Importance = Medium
	}
	if in.Status == "" {
		in.Status = NotStarted
	}
	if in.Status == Done {
		in.Percent = 100
	}
	var deps []int64
	for _, d := range in.DependsOn {
		if d > 0 && !slices.Contains(deps, d) {
			deps = append(deps, d)
		}
	}
	slices.Sort(deps)
	in.DependsOn = deps
}

// Validate checks the input; keyed is true for a task of the template,
// whose title may stay the catalogue's.
func (in Input) Validate(keyed bool) error {
	var f fault.Fields
	if (in.Title == "" && !keyed) || utf8.RuneCountInString(in.Title) > 200 {
		f.Add("title", "name the task in at most 200 characters")
	}
	if in.Start.IsZero() {
		f.Add("start", "give the first day")
	}
	if in.End.IsZero() {
		f.Add("end", "give the last day")
	} else if !in.Start.IsZero() && in.End.Before(in.Start) {
		f.Add("end", "a task ends on or after the day it starts")
	}
	if in.OwnerID < 0 {
		f.Add("owner_id", "choose the owner")
	}
	if !slices.Contains(Importances, in.Importance) {
		f.Add("importance", "choose low, medium, high or critical")
	}
	if !slices.Contains(Statuses, in.Status) {
		f.Add("status", "choose a status")
	}
	if in.Percent < 0 || in.Percent > 100 {
		f.Add("percent", "give a percentage from 0 to 100")
	}
	if utf8.RuneCountInString(in.Resources) > 2000 {
		f.Add("resources", "list the resources in at most 2000 characters")
	}
	if utf8.RuneCountInString(in.Outcome) > 2000 {
		f.Add("outcome", "say the expected outcome in at most 2000 characters")
	}
	plaintext.CheckLine(&f, "title", in.Title)
	plaintext.Check(&f, "resources", in.Resources)
	plaintext.Check(&f, "outcome", in.Outcome)
	return f.Err()
}

// NewTask makes a task of programme p from in, written by a at now.
// others are the programme's tasks so far, for the dependency check.
func NewTask(p Programme, a authz.Actor, now time.Time, in Input, others []Task) (Task, error) {
	if err := authz.Require(a, authz.EditWork); err != nil {
		return Task{}, err
	}
	in.Normalize()
	t := Task{ProgrammeID: p.ID, CreatedAt: now}
	return apply(t, in, now, others)
}

// Edit changes task t; others are the programme's tasks.
func Edit(t Task, a authz.Actor, now time.Time, in Input, others []Task) (Task, error) {
	if err := authz.Require(a, authz.EditWork); err != nil {
		return t, err
	}
	in.Normalize()
	in.ParentID = t.ParentID
	return apply(t, in, now, others)
}

func apply(t Task, in Input, now time.Time, others []Task) (Task, error) {
	var f fault.Fields
	if err := in.Validate(t.Key != ""); err != nil {
		f = append(f, fault.FieldsOf(err)...)
	}
	byID := map[int64]Task{}
	for _, o := range others {
		byID[o.ID] = o
	}
	if in.ParentID != 0 {
		parent, ok := byID[in.ParentID]
		if !ok || parent.ParentID != 0 {
			f.Add("parent_id", "a sub-task belongs to a task of the same programme")
		}
	}
	for _, d := range in.DependsOn {
		if _, ok := byID[d]; !ok || d == t.ID {
			f.Add("depends_on", "a task depends on other tasks of the same programme")
			break
		}
	}
	if err := f.Err(); err != nil {
		return t, err
	}
	if t.ID != 0 && Cycle(others, t.ID, in.DependsOn) {
		return t, fault.Field("depends_on", "these dependencies would make a cycle")
	}
	t.ParentID, t.Title, t.OwnerID, t.Start, t.End = in.ParentID, in.Title, in.OwnerID, in.Start, in.End
	t.Resources, t.Importance, t.Outcome, t.Status, t.Percent = in.Resources, in.Importance, in.Outcome, in.Status, in.Percent
	t.DependsOn, t.UpdatedAt = in.DependsOn, now
	return t, nil
}

// Cycle reports whether giving task id the dependencies deps would make a
// cycle among tasks: whether id is reachable from any of deps.
func Cycle(tasks []Task, id int64, deps []int64) bool {
	next := map[int64][]int64{}
	for _, t := range tasks {
		next[t.ID] = t.DependsOn
	}
	next[id] = deps
	seen := map[int64]bool{}
	stack := slices.Clone(deps)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == id {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, next[n]...)
	}
	return false
}

// Progress is the programme's percentage: the mean of its tasks, where a
// task with sub-tasks counts the mean of its sub-tasks.
func Progress(tasks []Task) int {
	subs := map[int64][]Task{}
	for _, t := range tasks {
		if t.ParentID != 0 {
			subs[t.ParentID] = append(subs[t.ParentID], t)
		}
	}
	sum, n := 0, 0
	for _, t := range tasks {
		if t.ParentID != 0 {
			continue
		}
		n++
		if s := subs[t.ID]; len(s) > 0 {
			x := 0
			for _, c := range s {
				x += c.Percent
			}
			sum += x / len(s)
			continue
		}
		sum += t.Percent
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// Order sorts tasks for the plan and the timeline: each task followed by
// its sub-tasks, by position then start.
func Order(tasks []Task) []Task {
	less := func(a, b Task) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	}
	var top []Task
	subs := map[int64][]Task{}
	for _, t := range tasks {
		if t.ParentID == 0 {
			top = append(top, t)
		} else {
			subs[t.ParentID] = append(subs[t.ParentID], t)
		}
	}
	slices.SortFunc(top, less)
	out := make([]Task, 0, len(tasks))
	for _, t := range top {
		out = append(out, t)
		s := subs[t.ID]
		slices.SortFunc(s, less)
		out = append(out, s...)
	}
	return out
}

// Span is the first and last day of the tasks.
func Span(tasks []Task) (first, last time.Time) {
	for i, t := range tasks {
		if i == 0 || t.Start.Before(first) {
			first = t.Start
		}
		if i == 0 || t.End.After(last) {
			last = t.End
		}
	}
	return first, last
}

// NewProgramme checks a new programme.
func NewProgramme(a authz.Actor, now time.Time, title string, startsOn time.Time) (Programme, error) {
	if err := authz.Require(a, authz.EditWork); err != nil {
		return Programme{}, err
	}
	title = strings.TrimSpace(plaintext.Normalize(title))
	var f fault.Fields
	if title == "" || utf8.RuneCountInString(title) > 200 {
		f.Add("title", "name the programme in at most 200 characters")
	}
	if startsOn.IsZero() {
		f.Add("starts_on", "give the day it starts")
	}
	plaintext.CheckLine(&f, "title", title)
	if err := f.Err(); err != nil {
		return Programme{}, err
	}
	return Programme{Title: title, StartsOn: Day(startsOn), CreatedBy: a.UserID, CreatedAt: now}, nil
}
