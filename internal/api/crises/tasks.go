package crises

import (
	"context"
	"strconv"
	"time"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/crisis"
)

// CheckItem is one line of a task's checklist.
type CheckItem struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

// Task is a plan step made concrete for a crisis.
type Task struct {
	ID                int64       `json:"id"`
	CrisisID          int64       `json:"crisis_id"`
	StepKey           string      `json:"step_key" doc:"The plan step it was made from"`
	Phase             kit.Phase   `json:"phase"`
	Title             string      `json:"title"`
	Level             kit.Level   `json:"level" doc:"The level whose steps made it"`
	OwnerRole         string      `json:"owner_role" doc:"The role that owns it, if any"`
	OwnerDepartmentID int64       `json:"owner_department_id" doc:"The department that owns it; 0 for none"`
	AssigneeID        int64       `json:"assignee_id" doc:"0 when nobody holds the role or belongs to the department"`
	AssigneeName      string      `json:"assignee_name"`
	DueAt             time.Time   `json:"due_at"`
	State             clockState  `json:"state" doc:"Its deadline's state now"`
	Done              bool        `json:"done"`
	DoneAt            *time.Time  `json:"done_at"`
	DoneBy            int64       `json:"done_by" doc:"0 until done, and when the task completed itself on its event"`
	CompletesOn       string      `json:"completes_on" doc:"The event that completes it by itself (the plan step's); empty for a task people tick"`
	DoneBySystem      bool        `json:"done_by_system" doc:"Completed by itself when its event happened"`
	Checklist         []CheckItem `json:"checklist" nullable:"false"`
	Version           int64       `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func (r *Room) toTask(t crisis.Task) Task {
	deadline := crisis.Clock{DueAt: t.DueAt, MetAt: t.DoneAt}
	return Task{ID: t.ID, CrisisID: t.CrisisID, StepKey: t.StepKey, Phase: kit.Phase(t.Phase), Title: t.Title,
		Level: kit.ToLevel(t.Level), OwnerRole: string(t.OwnerRole), OwnerDepartmentID: t.OwnerDeptID,
		AssigneeID: t.AssigneeID, AssigneeName: t.AssigneeName, DueAt: t.DueAt, State: clockState(deadline.State(r.Clock.Now())),
		Done: t.Done(), DoneAt: kit.TimePtr(t.DoneAt), DoneBy: t.DoneBy, CompletesOn: string(t.CompletesOn), DoneBySystem: t.DoneBySystem(),
		Checklist: kit.Convert(t.Checklist, func(c crisis.CheckItem) CheckItem { return CheckItem(c) }), Version: t.Version}
}

type taskOutput struct {
	Body Task
}

type taskIDInput struct {
	ID int64 `path:"id"`
}

// A crisis has tens of tasks and a timeline of hundreds of entries: the
// service returns them whole and the API pages them.
type crisisListInput struct {
	ID int64 `path:"id"`
	kit.Page
}

func (r *Room) listTasks(ctx context.Context, in *crisisListInput) (*kit.ListOutput[Task], error) {
	if _, err := r.Crises.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	tasks, err := r.Crises.Tasks(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return kit.NewList(crisisPath(in.ID, "tasks"), nil, in.Page, kit.Window(tasks, in.Page), len(tasks), r.toTask), nil
}

// crisisPath is the path, under Prefix, of a crisis's sub-resource.
func crisisPath(id int64, sub string) string {
	return "/crises/" + strconv.FormatInt(id, 10) + "/" + sub
}

func (r *Room) getTask(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
	t, err := r.Crises.Task(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: r.toTask(t)}, nil
}

// taskPatch ticks or unticks a task.
type taskPatch struct {
	Done    bool  `json:"done"`
	Version int64 `json:"version" doc:"The version the change is based on"`
}

type updateTaskInput struct {
	ID   int64 `path:"id"`
	Body taskPatch
}

func (r *Room) updateTask(ctx context.Context, in *updateTaskInput) (*taskOutput, error) {
	t, err := r.Crises.SetTaskDone(ctx, kit.Actor(ctx), in.ID, in.Body.Done, in.Body.Version)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: r.toTask(t)}, nil
}
