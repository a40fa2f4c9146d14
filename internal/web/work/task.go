package work

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/workplan"
)

// taskRules explain the domain's validation of a task's form.
var taskRules = kit.FieldKeys{
	"title":      "work.err.title",
	"start":      "work.err.start",
	"end":        "work.err.end",
	"owner_id":   "work.err.owner",
	"importance": "work.err.importance",
	"status":     "work.err.status",
	"percent":    "work.err.percent",
	"resources":  "work.err.text",
	"outcome":    "work.err.text",
	"parent_id":  "work.err.parent",
	"depends_on": "work.err.depends_on",
}

// taskForm is the new-task and edit-task form.
type taskForm struct {
	ID         int64
	Lock       int64
	ParentID   int64
	Title      string
	OwnerID    int64
	Start      string
	End        string
	Resources  string
	Importance string
	Outcome    string
	Status     string
	Percent    int
	DependsOn  []int64
	Errors     kit.FieldErrors
}

// Depends reports whether the form has the task id ticked.
func (f taskForm) Depends(id int64) bool {
	for _, d := range f.DependsOn {
		if d == id {
			return true
		}
	}
	return false
}

func (h *Room) taskFormFrom(r *http.Request) taskForm {
	_ = r.ParseForm()
	f := taskForm{Lock: kit.FormInt(r, "lock"), ParentID: kit.FormInt(r, "parent_id"), Title: r.PostFormValue("title"),
		OwnerID: kit.FormInt(r, "owner_id"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		Resources: r.PostFormValue("resources"), Importance: r.PostFormValue("importance"), Outcome: r.PostFormValue("outcome"),
		Status: r.PostFormValue("status"), Percent: atoi(r.PostFormValue("percent"))}
	for _, s := range r.PostForm["depends_on"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.DependsOn = append(f.DependsOn, id)
		}
	}
	return f
}

func (f taskForm) input(h *Room) workplan.Input {
	return workplan.Input{ParentID: f.ParentID, Title: f.Title, OwnerID: f.OwnerID, Start: h.day(f.Start), End: h.day(f.End),
		Resources: f.Resources, Importance: workplan.Importance(f.Importance), Outcome: f.Outcome,
		Status: workplan.Status(f.Status), Percent: f.Percent, DependsOn: f.DependsOn}
}

// refusal turns a refused save into field messages and a status, or
// returns the error for the error page.
func (h *Room) refusal(r *http.Request, err error) (kit.FieldErrors, int, error) {
	tr := h.Kit.T(r)
	if fault.Is(err, fault.Conflict) {
		return kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict, nil
	}
	fe, ok := kit.InvalidFields(tr, err, taskRules)
	if !ok {
		return nil, 0, err
	}
	return fe, http.StatusUnprocessableEntity, nil
}

// taskView is the page of one task's form.
type taskView struct {
	Programme workplan.Programme
	Form      taskForm
	Row       TaskRow
	Others    []TaskRow // the tasks it may depend on
	People    []account.User
	Options   formOptions
}

// FormErrors implements kit.Form.
func (v taskView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// loadTask reads the programme and the task of the path.
func (h *Room) loadTask(w http.ResponseWriter, r *http.Request) (workplan.Programme, workplan.Task, bool) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return p, workplan.Task{}, false
	}
	id, err := strconv.ParseInt(r.PathValue("task"), 10, 64)
	if err != nil || id <= 0 {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return p, workplan.Task{}, false
	}
	t, err := h.Work.Task(r.Context(), id)
	if err == nil && t.ProgrammeID != p.ID {
		err = fault.New(fault.NotFound, "task %d is not in programme %d", id, p.ID)
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return p, t, false
	}
	return p, t, true
}

func (h *Room) taskPage(w http.ResponseWriter, r *http.Request) {
	p, t, ok := h.loadTask(w, r)
	if !ok {
		return
	}
	h.renderTask(w, r, http.StatusOK, p, t, taskForm{})
}

func (h *Room) renderTask(w http.ResponseWriter, r *http.Request, status int, p workplan.Programme, t workplan.Task, f taskForm) {
	rows, users, err := h.load(r, p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := taskView{Programme: p, People: users, Options: options}
	for _, row := range rows {
		if row.ID == t.ID {
			v.Row = row
		} else {
			v.Others = append(v.Others, row)
		}
	}
	if f.Errors == nil {
		f = taskForm{ID: t.ID, Lock: t.Lock, ParentID: t.ParentID, Title: v.Row.Title, OwnerID: t.OwnerID,
			Start: kit.DateText(t.Start), End: kit.DateText(t.End), Resources: v.Row.Resources, Importance: string(t.Importance),
			Outcome: v.Row.Outcome, Status: string(t.Status), Percent: t.Percent, DependsOn: t.DependsOn}
	}
	v.Form = f
	h.Kit.Render(w, r, status, "work_task", v)
}

func (h *Room) saveTask(w http.ResponseWriter, r *http.Request) {
	p, t, ok := h.loadTask(w, r)
	if !ok {
		return
	}
	f := h.taskFormFrom(r)
	f.ID, f.ParentID = t.ID, t.ParentID
	if _, err := h.Work.SaveTask(r.Context(), kit.Actor(r), t.ID, f.Lock, f.input(h)); err != nil {
		fe, status, ferr := h.refusal(r, err)
		if ferr != nil {
			h.Kit.Fail(w, r, ferr)
			return
		}
		f.Errors = fe
		h.renderTask(w, r, status, p, t, f)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(p.ID)+"?done=task_saved#task-"+kit.Itoa(t.ID))
}
