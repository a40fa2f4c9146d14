package web

import (
	"net/http"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

// The commander's actions. A refusal shows the room again with the
// reason beside the form that was refused and what was typed kept.

// crisisRefusals explain the field errors of the actions.
var crisisRefusals = fieldKeys{
	"plan_id": "err.plan_choice",
	"level":   "err.level_same",
	"reason":  "err.reason",
	"summary": "err.closing_summary",
}

func (h *Handler) activatePlan(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "activate", "activated", func(id int64) error {
		planID := formInt(r, "plan_id")
		if planID == 0 {
			return fault.Field("plan_id", "choose a plan")
		}
		_, err := h.crises.Activate(r.Context(), actor(r), id, planID)
		return err
	})
}

func (h *Handler) changeLevel(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "level", "level", func(id int64) error {
		l, err := catalog.ParseLevel(r.PostFormValue("level"))
		if err != nil {
			return err
		}
		_, err = h.crises.ChangeLevel(r.Context(), actor(r), id, l, r.PostFormValue("reason"))
		return err
	})
}

func (h *Handler) recoverCrisis(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "recover", "recovering", func(id int64) error {
		_, err := h.crises.Recover(r.Context(), actor(r), id, r.PostFormValue("note"))
		return err
	})
}

func (h *Handler) closeCrisis(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "close", "closed", func(id int64) error {
		_, err := h.crises.Close(r.Context(), actor(r), id, r.PostFormValue("summary"))
		return err
	})
}

// command runs one action on the crisis of the route. form names the
// action's form, where a refusal without a field is shown.
func (h *Handler) command(w http.ResponseWriter, r *http.Request, form, done string, run func(id int64) error) {
	id, ok := pathID(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound)
		return
	}
	err := run(id)
	if err == nil {
		redirect(w, r, "/desk/crises/"+itoa64(id)+"?done="+done)
		return
	}
	tr := h.translator(r)
	status, fe := http.StatusUnprocessableEntity, fieldErrors{}
	switch fault.CodeOf(err) {
	case fault.Invalid:
		field := fault.As(err).Field
		key, known := crisisRefusals[field]
		if !known {
			key, field = "err.invalid", form
		}
		if _, perr := catalog.ParseLevel(r.PostFormValue("level")); field == "level" && perr != nil {
			key = "err.level"
		}
		msg, isText := textMessage(tr, err)
		if !isText {
			msg = tr.T(key)
		}
		fe[field] = msg
	case fault.Conflict:
		status, fe[form] = http.StatusConflict, tr.T("err.crisis_state")
	default:
		h.fail(w, r, err)
		return
	}
	h.renderRoomRefusal(w, r, id, status, fe)
}

// renderRoomRefusal shows the room with messages and the typed text.
func (h *Handler) renderRoomRefusal(w http.ResponseWriter, r *http.Request, id int64, status int, fe fieldErrors) {
	v, err := h.loadRoom(r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Errors = fe
	v.Form = roomForm{Level: r.PostFormValue("level"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Summary: strings.TrimSpace(r.PostFormValue("summary")), Note: strings.TrimSpace(r.PostFormValue("text"))}
	h.render(w, r, status, "crisis", v)
}
