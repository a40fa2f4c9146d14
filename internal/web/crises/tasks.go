package crises

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// taskDone ticks or unticks a task. From the page's script (htmx) it
// answers with the task list to swap in; from a plain form it returns to
// the room.
func (h *Room) taskDone(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.Crises.Task(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	_, err = h.Crises.SetTaskDone(r.Context(), kit.Actor(r), id, r.PostFormValue("done") != "", kit.FormInt(r, "version"))
	h.afterTask(w, r, t.CrisisID, id, err)
}

// taskCheck ticks or unticks item n of a task's checklist.
func (h *Room) taskCheck(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	n, err := strconv.Atoi(r.PathValue("n"))
	if !ok || err != nil || n < 0 {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.Crises.Task(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	_, err = h.Crises.SetCheckItem(r.Context(), kit.Actor(r), id, n, r.PostFormValue("done") != "", kit.FormInt(r, "version"))
	h.afterTask(w, r, t.CrisisID, id, err)
}

// afterTask answers a task change. A stale version (someone ticked it
// first) or a closed crisis is said beside the tasks, which show their
// current state.
func (h *Room) afterTask(w http.ResponseWriter, r *http.Request, crisisID, taskID int64, err error) {
	tr := h.Kit.T(r)
	fe, status := kit.FieldErrors{}, http.StatusConflict
	switch fault.CodeOf(err) {
	case "":
	case fault.Conflict:
		fe["task"] = tr.T("err.task_stale")
	case fault.Forbidden:
		status = http.StatusForbidden
		fe["task"] = tr.T("err.task_forbidden")
	case fault.Invalid:
		fe["task"] = tr.T("err.invalid")
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		v, lerr := h.loadRoom(r, crisisID)
		if lerr != nil {
			h.Kit.Fail(w, r, lerr)
			return
		}
		v.Errors = fe
		if status == http.StatusConflict { // answered with the tasks as they are now
			status = http.StatusOK
		}
		h.Kit.RenderPart(w, r, status, "crisis", "crisis-tasks", v)
		return
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(crisisID)+"#task-"+kit.Itoa(taskID))
		return
	}
	h.renderRoomRefusal(w, r, crisisID, status, fe)
}

// worker is who is asking, as crisis.CanWork needs them.
func worker(r *http.Request) crisis.Worker {
	id, _ := session.From(r.Context())
	return crisis.Worker{UserID: id.User.ID, Role: id.User.Role, DepartmentID: id.User.DepartmentID}
}
