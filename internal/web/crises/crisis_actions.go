package crises

import (
	"net/http"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// The commander's actions. A refusal shows the room again with the
// reason beside the form that was refused and what was typed kept.

// crisisRefusals explain the field errors of the actions.
var crisisRefusals = kit.FieldKeys{
	"plan_id": "err.plan_choice",
	"level":   "err.level_same",
	"reason":  "err.reason",
	"summary": "err.closing_summary",
	"confirm": "err.public_confirm",
}

func (h *Room) activatePlan(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "activate", "activated", func(id int64) error {
		planID := kit.FormInt(r, "plan_id")
		if planID == 0 {
			return fault.Field("plan_id", "choose a plan")
		}
		_, err := h.Crises.Activate(r.Context(), kit.Actor(r), id, planID)
		return err
	})
}

func (h *Room) changeLevel(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "level", "level", func(id int64) error {
		l, err := catalog.ParseLevel(r.PostFormValue("level"))
		if err != nil {
			return err
		}
		_, err = h.Crises.ChangeLevel(r.Context(), kit.Actor(r), id, l, r.PostFormValue("reason"))
		return err
	})
}

func (h *Room) recoverCrisis(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "recover", "recovering", func(id int64) error {
		_, err := h.Crises.Recover(r.Context(), kit.Actor(r), id, r.PostFormValue("note"))
		return err
	})
}

func (h *Room) closeCrisis(w http.ResponseWriter, r *http.Request) {
	h.command(w, r, "close", "closed", func(id int64) error {
		_, err := h.Crises.Close(r.Context(), kit.Actor(r), id, r.PostFormValue("summary"))
		return err
	})
}

// command runs one action on the crisis of the route. form names the
// action's form, where a refusal without a field is shown.
func (h *Room) command(w http.ResponseWriter, r *http.Request, form, done string, run func(id int64) error) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	err := run(id)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done="+done)
		return
	}
	tr := h.Kit.T(r)
	status, fe := http.StatusUnprocessableEntity, kit.FieldErrors{}
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
		msg, isText := kit.TextMessage(tr, err)
		if !isText {
			msg = tr.T(key)
		}
		fe[field] = msg
	case fault.Conflict:
		status, fe[form] = http.StatusConflict, tr.T("err.crisis_state")
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderRoomRefusal(w, r, id, status, fe)
}

// renderRoomRefusal shows the room with messages and the typed text.
func (h *Room) renderRoomRefusal(w http.ResponseWriter, r *http.Request, id int64, status int, fe kit.FieldErrors) {
	v, err := h.loadRoom(r, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors = fe
	v.Form = roomForm{Level: r.PostFormValue("level"), Reason: strings.TrimSpace(r.PostFormValue("reason")),
		Summary: strings.TrimSpace(r.PostFormValue("summary")), Note: strings.TrimSpace(r.PostFormValue("text"))}
	h.Kit.Render(w, r, status, "crisis", v)
}
