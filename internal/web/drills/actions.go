package drills

import (
	"context"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/web/kit"
)

// actionForm is the form that makes an area for improvement an action.
type actionForm struct {
	Text, Due, LinkKind, LinkRef string
	OwnerID                      int64
	Errors                       kit.FieldErrors
}

var actionRules = kit.FieldKeys{
	"text":      "drill.err.action_text",
	"owner_id":  "err.choose",
	"due":       "drill.err.action_due",
	"link_kind": "err.choose",
	"link_ref":  "drill.err.action_link",
}

func (h *Room) addAction(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	f := actionForm{Text: r.PostFormValue("text"), Due: strings.TrimSpace(r.PostFormValue("due")), LinkKind: r.PostFormValue("link_kind"),
		LinkRef: r.PostFormValue("link_ref"), OwnerID: kit.FormInt(r, "owner_id")}
	x := drill.Action{Text: f.Text, OwnerID: f.OwnerID, LinkKind: f.LinkKind, LinkRef: f.LinkRef}
	var bad fault.Fields
	if f.Due != "" {
		// A due date is the end of that day in the office's zone.
		t, err := time.ParseInLocation("2006-01-02", f.Due, h.Kit.Location())
		if err != nil {
			bad.Add("due", "not a date")
		}
		x.Due = t.Add(24*time.Hour - time.Minute).UTC()
	}
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Drills.AddAction(r.Context(), kit.Actor(r), id, x)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"/report?done=drill_action_added#report-actions")
		return
	}
	fe, invalid := kit.InvalidFields(h.Kit.T(r), err, actionRules)
	if !invalid {
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	f.Errors = fe
	v.Action = f
	h.Kit.Render(w, r, http.StatusUnprocessableEntity, "drill_report", v)
}

func (h *Room) completeAction(w http.ResponseWriter, r *http.Request) {
	h.reportAct(w, r, "drill_action_done", func(ctx context.Context, a authz.Actor, _ int64) (drill.Report, error) {
		_, err := h.Drills.CompleteAction(ctx, a, kit.FormInt(r, "action_id"))
		return drill.Report{}, err
	})
}

func (h *Room) verifyAction(w http.ResponseWriter, r *http.Request) {
	h.reportAct(w, r, "drill_action_verified", func(ctx context.Context, a authz.Actor, _ int64) (drill.Report, error) {
		_, err := h.Drills.VerifyAction(ctx, a, kit.FormInt(r, "action_id"))
		return drill.Report{}, err
	})
}
