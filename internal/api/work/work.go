package work

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/workplan"
)

// WorkProgramme is one run of the plan as a project.
type WorkProgramme struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	StartsOn string `json:"starts_on" format:"date"`
	Progress int    `json:"progress" doc:"Percentage: the mean of the tasks, a task with sub-tasks counting theirs"`
	Lock     int64  `json:"lock"`
}

// WorkTaskInput is what a person writes about a task.
type WorkTaskInput struct {
	ParentID   int64   `json:"parent_id,omitempty" doc:"The task a sub-task belongs to"`
	Title      string  `json:"title"`
	OwnerID    int64   `json:"owner_id,omitempty"`
	Start      string  `json:"start" format:"date" doc:"First day"`
	End        string  `json:"end" format:"date" doc:"Last day, not before the first"`
	Resources  string  `json:"resources,omitempty"`
	Importance string  `json:"importance,omitempty" enum:"low,medium,high,critical,"`
	Outcome    string  `json:"outcome,omitempty" doc:"The expected outcome"`
	Status     string  `json:"status,omitempty" enum:"not_started,in_progress,on_hold,done,"`
	Percent    int     `json:"percent,omitempty"`
	DependsOn  []int64 `json:"depends_on,omitempty" doc:"Tasks of the same programme that must end first"`
}

// day reads a date field; a bad one is refused naming field.
func day(f *fault.Fields, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Add(field, "give the day as YYYY-MM-DD")
	}
	return t
}

func (in WorkTaskInput) domain() (workplan.Input, error) {
	var f fault.Fields
	out := workplan.Input{ParentID: in.ParentID, Title: in.Title, OwnerID: in.OwnerID, Start: day(&f, "start", in.Start),
		End: day(&f, "end", in.End), Resources: in.Resources, Importance: workplan.Importance(in.Importance), Outcome: in.Outcome,
		Status: workplan.Status(in.Status), Percent: in.Percent, DependsOn: in.DependsOn}
	return out, f.Err()
}

// WorkTask is a task or sub-task.
type WorkTask struct {
	ID          int64  `json:"id"`
	ProgrammeID int64  `json:"programme_id"`
	Key         string `json:"key,omitempty" doc:"A task of the template; its texts are then in the catalogues until written"`
	WorkTaskInput
	Overdue bool  `json:"overdue"`
	Lock    int64 `json:"lock"`
}

func toTask(t workplan.Task, now time.Time) WorkTask {
	return WorkTask{ID: t.ID, ProgrammeID: t.ProgrammeID, Key: t.Key, WorkTaskInput: WorkTaskInput{ParentID: t.ParentID, Title: t.Title,
		OwnerID: t.OwnerID, Start: t.Start.Format(time.DateOnly), End: t.End.Format(time.DateOnly), Resources: t.Resources,
		Importance: string(t.Importance), Outcome: t.Outcome, Status: string(t.Status), Percent: t.Percent, DependsOn: t.DependsOn},
		Overdue: t.Overdue(now), Lock: t.Lock}
}

type programmesOutput struct {
	Body struct {
		Items []WorkProgramme `json:"items" nullable:"false"`
	}
}

func (r *Room) listProgrammes(ctx context.Context, _ *struct{}) (*programmesOutput, error) {
	ps, err := r.Work.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	out := &programmesOutput{}
	out.Body.Items = []WorkProgramme{}
	for _, p := range ps {
		tasks, err := r.Work.Tasks(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		out.Body.Items = append(out.Body.Items, toProgramme(p, tasks))
	}
	return out, nil
}

func toProgramme(p workplan.Programme, tasks []workplan.Task) WorkProgramme {
	return WorkProgramme{ID: p.ID, Title: p.Title, StartsOn: p.StartsOn.Format(time.DateOnly), Progress: workplan.Progress(tasks), Lock: p.Lock}
}

type createProgrammeInput struct {
	Body struct {
		Title        string `json:"title"`
		StartsOn     string `json:"starts_on" format:"date"`
		FromTemplate bool   `json:"from_template,omitempty" doc:"Start with the plan's five tasks and ten sub-tasks"`
	}
}

type programmeOutput struct {
	Location string `header:"Location"`
	Body     struct {
		WorkProgramme
		Tasks []WorkTask `json:"tasks" nullable:"false"`
	}
}

func (r *Room) createProgramme(ctx context.Context, in *createProgrammeInput) (*programmeOutput, error) {
	var f fault.Fields
	start := day(&f, "starts_on", in.Body.StartsOn)
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := r.Work.CreateProgramme(ctx, kit.Actor(ctx), in.Body.Title, start, in.Body.FromTemplate)
	if err != nil {
		return nil, err
	}
	out, err := r.programme(ctx, p)
	if err == nil {
		out.Location = kit.Prefix + "/work/" + strconv.FormatInt(p.ID, 10)
	}
	return out, err
}

func (r *Room) programme(ctx context.Context, p workplan.Programme) (*programmeOutput, error) {
	tasks, err := r.Work.Tasks(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	now := r.Clock.Now()
	out := &programmeOutput{}
	out.Body.WorkProgramme = toProgramme(p, tasks)
	out.Body.Tasks = []WorkTask{}
	for _, t := range tasks {
		out.Body.Tasks = append(out.Body.Tasks, toTask(t, now))
	}
	return out, nil
}

type idInput struct {
	ID int64 `path:"id"`
}

func (r *Room) getProgramme(ctx context.Context, in *idInput) (*programmeOutput, error) {
	p, err := r.Work.Programme(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return r.programme(ctx, p)
}

type addTaskInput struct {
	ID   int64 `path:"id"`
	Body WorkTaskInput
}

type taskOutput struct {
	Body WorkTask
}

func (r *Room) addTask(ctx context.Context, in *addTaskInput) (*taskOutput, error) {
	ti, err := in.Body.domain()
	if err != nil {
		return nil, err
	}
	t, err := r.Work.AddTask(ctx, kit.Actor(ctx), in.ID, ti)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: toTask(t, r.Clock.Now())}, nil
}

type saveTaskInput struct {
	ID   int64 `path:"id"`
	Body struct {
		WorkTaskInput
		Lock int64 `json:"lock" doc:"The lock the change is based on; a stale one is a conflict"`
	}
}

func (r *Room) saveTask(ctx context.Context, in *saveTaskInput) (*taskOutput, error) {
	ti, err := in.Body.WorkTaskInput.domain()
	if err != nil {
		return nil, err
	}
	t, err := r.Work.SaveTask(ctx, kit.Actor(ctx), in.ID, in.Body.Lock, ti)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: toTask(t, r.Clock.Now())}, nil
}
