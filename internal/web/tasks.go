package web

import (
	"net/http"
	"strconv"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
)

// taskDone ticks or unticks a task. From the page's script (htmx) it
// answers with the task list to swap in; from a plain form it returns to
// the room.
func (h *Handler) taskDone(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.crises.Task(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, err = h.crises.SetTaskDone(r.Context(), actor(r), id, r.PostFormValue("done") != "", formInt(r, "version"))
	h.afterTask(w, r, t.CrisisID, id, err)
}

// taskCheck ticks or unticks item n of a task's checklist.
func (h *Handler) taskCheck(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	n, err := strconv.Atoi(r.PathValue("n"))
	if !ok || err != nil || n < 0 {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := h.crises.Task(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, err = h.crises.SetCheckItem(r.Context(), actor(r), id, n, r.PostFormValue("done") != "", formInt(r, "version"))
	h.afterTask(w, r, t.CrisisID, id, err)
}

// afterTask answers a task change. A stale version (someone ticked it
// first) or a closed crisis is said beside the tasks, which show their
// current state.
func (h *Handler) afterTask(w http.ResponseWriter, r *http.Request, crisisID, taskID int64, err error) {
	tr := h.translator(r)
	fe, status := fieldErrors{}, http.StatusConflict
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
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		v, lerr := h.loadRoom(r, crisisID)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		v.Errors = fe
		if status == http.StatusConflict { // answered with the tasks as they are now
			status = http.StatusOK
		}
		h.renderPart(w, r, status, "crisis", "crisis-tasks", v)
		return
	}
	if err == nil {
		redirect(w, r, "/desk/crises/"+itoa64(crisisID)+"#task-"+itoa64(taskID))
		return
	}
	h.renderRoomRefusal(w, r, crisisID, status, fe)
}

// worker is who is asking, as crisis.CanWork needs them.
func worker(r *http.Request) crisis.Worker {
	id, _ := session.From(r.Context())
	return crisis.Worker{UserID: id.User.ID, Role: id.User.Role, DepartmentID: id.User.DepartmentID}
}
