package api

import (
	"context"
	"strconv"
	"time"

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
	Phase             phase       `json:"phase"`
	Title             string      `json:"title"`
	Level             level       `json:"level" doc:"The level whose steps made it"`
	OwnerRole         string      `json:"owner_role" doc:"The role that owns it, if any"`
	OwnerDepartmentID int64       `json:"owner_department_id" doc:"The department that owns it; 0 for none"`
	AssigneeID        int64       `json:"assignee_id" doc:"0 when nobody holds the role or belongs to the department"`
	AssigneeName      string      `json:"assignee_name"`
	DueAt             time.Time   `json:"due_at"`
	State             clockState  `json:"state" doc:"Its deadline's state now"`
	Done              bool        `json:"done"`
	DoneAt            *time.Time  `json:"done_at"`
	DoneBy            int64       `json:"done_by" doc:"0 until done"`
	Checklist         []CheckItem `json:"checklist" nullable:"false"`
	Version           int64       `json:"version" doc:"Send it back with a change; a stale one is refused with 409"`
}

func (a *API) toTask(t crisis.Task) Task {
	deadline := crisis.Clock{DueAt: t.DueAt, MetAt: t.DoneAt}
	return Task{ID: t.ID, CrisisID: t.CrisisID, StepKey: t.StepKey, Phase: phase(t.Phase), Title: t.Title,
		Level: toLevel(t.Level), OwnerRole: string(t.OwnerRole), OwnerDepartmentID: t.OwnerDeptID,
		AssigneeID: t.AssigneeID, AssigneeName: t.AssigneeName, DueAt: t.DueAt, State: clockState(deadline.State(a.clock.Now())),
		Done: t.Done(), DoneAt: timePtr(t.DoneAt), DoneBy: t.DoneBy,
		Checklist: convert(t.Checklist, func(c crisis.CheckItem) CheckItem { return CheckItem(c) }), Version: t.Version}
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
	Page
}

func (a *API) listTasks(ctx context.Context, in *crisisListInput) (*listOutput[Task], error) {
	if _, err := a.crises.Get(ctx, in.ID); err != nil {
		return nil, err
	}
	tasks, err := a.crises.Tasks(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return newList(crisisPath(in.ID, "tasks"), nil, in.Page, window(tasks, in.Page), len(tasks), a.toTask), nil
}

// crisisPath is the path, under Prefix, of a crisis's sub-resource.
func crisisPath(id int64, sub string) string {
	return "/crises/" + strconv.FormatInt(id, 10) + "/" + sub
}

func (a *API) getTask(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
	t, err := a.crises.Task(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: a.toTask(t)}, nil
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

func (a *API) updateTask(ctx context.Context, in *updateTaskInput) (*taskOutput, error) {
	t, err := a.crises.SetTaskDone(ctx, actor(ctx), in.ID, in.Body.Done, in.Body.Version)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: a.toTask(t)}, nil
}
