package work

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/workplan"
)

// programmeView is a programme's page: its progress, timeline and tasks,
// and the form for a new task.
type programmeView struct {
	Programme workplan.Programme
	Progress  int
	Rows      []TaskRow
	Gantt     Gantt
	Overdue   int
	Form      taskForm
	People    []account.User
	Parents   []TaskRow // the tasks a new sub-task may belong to
	Options   formOptions
	CanEdit   bool
}

// FormErrors implements kit.Form: the new task's.
func (v programmeView) FormErrors() kit.FieldErrors { return v.Form.Errors }

// formOptions are the choices a task form offers.
type formOptions struct {
	Importances []workplan.Importance
	Statuses    []workplan.Status
}

var options = formOptions{Importances: workplan.Importances, Statuses: workplan.Statuses}

func (h *Room) programmePage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	h.renderProgramme(w, r, http.StatusOK, p, taskForm{Importance: string(workplan.Medium), Status: string(workplan.NotStarted)})
}

func (h *Room) load(r *http.Request, p workplan.Programme) ([]TaskRow, []account.User, error) {
	ctx := r.Context()
	tasks, err := h.Work.Tasks(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	users, names, err := h.people(ctx)
	if err != nil {
		return nil, nil, err
	}
	return rowsOf(h.Kit.T(r), tasks, names, h.Kit.Now()), users, nil
}

func (h *Room) renderProgramme(w http.ResponseWriter, r *http.Request, status int, p workplan.Programme, f taskForm) {
	rows, users, err := h.load(r, p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := programmeView{Programme: p, Rows: rows, Gantt: NewGantt(rows, h.Kit.Now()), Form: f, People: users, Options: options,
		CanEdit: authz.Can(kit.Role(r), authz.EditWork)}
	tasks := make([]workplan.Task, len(rows))
	for i, row := range rows {
		tasks[i] = row.Task
		if row.Overdue {
			v.Overdue++
		}
		if row.ParentID == 0 {
			v.Parents = append(v.Parents, row)
		}
	}
	v.Progress = workplan.Progress(tasks)
	h.Kit.Render(w, r, status, "work_programme", v)
}

func (h *Room) addTask(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	f := h.taskFormFrom(r)
	if _, err := h.Work.AddTask(r.Context(), kit.Actor(r), p.ID, f.input(h)); err != nil {
		fe, status, ferr := h.refusal(r, err)
		if ferr != nil {
			h.Kit.Fail(w, r, ferr)
			return
		}
		f.Errors = fe
		h.renderProgramme(w, r, status, p, f)
		return
	}
	kit.Redirect(w, r, Path+"/"+kit.Itoa(p.ID)+"?done=task_added")
}

// export writes the programme's tasks as a workbook.
func (h *Room) export(w http.ResponseWriter, r *http.Request) {
	p, ok := h.loadProgramme(w, r)
	if !ok {
		return
	}
	rows, _, err := h.load(r, p)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, "xlsx", tr.T("work.title"), func(sw sheet.Writer) error {
		if err := sw.Write(tr.T("work.task"), tr.T("work.parent"), tr.T("work.owner"), tr.T("work.start"), tr.T("work.end"),
			tr.T("work.status"), tr.T("work.percent"), tr.T("work.importance"), tr.T("work.resources"), tr.T("work.outcome"),
			tr.T("work.depends_on"), tr.T("work.overdue")); err != nil {
			return err
		}
		titles := map[int64]string{}
		for _, row := range rows {
			titles[row.ID] = row.Title
		}
		for _, row := range rows {
			overdue := ""
			if row.Overdue {
				overdue = tr.T("work.overdue")
			}
			if err := sw.Write(row.Title, titles[row.ParentID], row.Owner, kit.DateText(row.Start), kit.DateText(row.End),
				tr.T("work.status."+string(row.Status)), strconv.Itoa(row.Percent), tr.T("work.importance."+string(row.Importance)),
				row.Resources, row.Outcome, strings.Join(row.Depends, "; "), overdue); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, "xlsx", "work-plan-"+kit.Itoa(p.ID), buf.Bytes())
}
