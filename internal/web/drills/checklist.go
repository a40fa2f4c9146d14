package drills

import (
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/web/kit"
)

// checklistView is the office's default safety checklist.
type checklistView struct {
	Hazards  string
	Measures string
	CanEdit  bool
	Errors   kit.FieldErrors
}

func (h *Room) checklistPage(w http.ResponseWriter, r *http.Request) {
	c, err := h.Drills.Checklist(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "drill_checklist", checklistView{Hazards: strings.Join(c.Hazards, "\n"),
		Measures: strings.Join(c.Measures, "\n"), CanEdit: authz.Can(kit.Role(r), authz.SignDrill)})
}

func (h *Room) saveChecklist(w http.ResponseWriter, r *http.Request) {
	v := checklistView{Hazards: r.PostFormValue("hazards"), Measures: r.PostFormValue("measures"), CanEdit: true}
	_, err := h.Drills.SaveChecklist(r.Context(), kit.Actor(r), drill.Checklist{Hazards: kit.SplitLines(v.Hazards), Measures: kit.SplitLines(v.Measures)})
	if err == nil {
		kit.Redirect(w, r, ChecklistPath+"?done=drill_checklist")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, safetyRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors = fe
	h.Kit.Render(w, r, http.StatusUnprocessableEntity, "drill_checklist", v)
}
