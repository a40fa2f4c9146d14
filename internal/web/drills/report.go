package drills

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// reportView is the after-action report page and its print view.
type reportView struct {
	Drill        drill.Drill
	Report       drill.Report
	Observations []drill.Observation
	Names        map[int64]string
	Strengths    string // one per line, for the form
	Improvements string
	Summary      string
	Errors       kit.FieldErrors
	CanEdit      bool
	CanApprove   bool

	Actions   []drill.Action
	Action    actionForm
	People    []account.User // owners to choose from
	CanAct    bool           // may add actions
	CanVerify bool
	Me        int64
	Figures   drill.Figures
	OnTimePct int
	// CanRaiseRisk offers to raise a risk from the report, linked to the drill.
	CanRaiseRisk bool
}

var reportRules = kit.FieldKeys{"summary": "drill.err.summary_report"}

func (h *Room) loadReport(w http.ResponseWriter, r *http.Request) (reportView, bool) {
	d, ok := h.load(w, r)
	if !ok {
		return reportView{}, false
	}
	rp, err := h.Drills.Report(r.Context(), d.ID)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			h.Kit.ErrorPageKey(w, r, http.StatusNotFound, "drill.err.no_report")
		} else {
			h.Kit.Fail(w, r, err)
		}
		return reportView{}, false
	}
	obs, err := h.Drills.Observations(r.Context(), kit.Actor(r), d.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	me := kit.Actor(r)
	v := reportView{Drill: d, Report: rp, Observations: obs, Names: map[int64]string{},
		Summary: rp.Summary, Strengths: strings.Join(rp.Strengths, "\n"), Improvements: strings.Join(rp.Improvements, "\n"),
		CanEdit:    d.State == drill.Ended && d.IsEvaluator(me.UserID) && authz.Can(me.Role, authz.EvaluateDrill),
		CanApprove: d.State == drill.Ended && authz.Can(me.Role, authz.ApproveDrill) && me.UserID != rp.AuthorID}
	if v.Actions, err = h.Drills.Actions(r.Context(), d.ID); err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	users, _, err := h.Accounts.ListUsers(r.Context(), account.UserFilter{Limit: peopleLimit})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	for _, u := range users {
		v.Names[u.ID] = label(u)
		if !u.Disabled {
			v.People = append(v.People, u)
		}
	}
	v.Me = me.UserID
	v.Figures = drill.FiguresOf(d, rp, v.Actions)
	v.OnTimePct = int(v.Figures.OnTimeShare*100 + 0.5)
	v.CanRaiseRisk = authz.Can(me.Role, authz.EditRisks)
	v.CanAct = (d.State == drill.Ended || d.State == drill.Evaluated) && d.IsEvaluator(me.UserID) && authz.Can(me.Role, authz.EvaluateDrill)
	v.CanVerify = authz.Can(me.Role, authz.ApproveDrill)
	v.Action.LinkKind = "plan_step"
	return v, true
}

func (h *Room) reportPage(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadReport(w, r); ok {
		h.Kit.Render(w, r, http.StatusOK, "drill_report", v)
	}
}

func (h *Room) reportPrint(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadReport(w, r); ok {
		h.Kit.Render(w, r, http.StatusOK, "drill_report_print", v)
	}
}

func (h *Room) saveReport(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	summary, strengths, improvements := r.PostFormValue("summary"), r.PostFormValue("strengths"), r.PostFormValue("improvements")
	_, err := h.Drills.SaveReport(r.Context(), kit.Actor(r), id, kit.FormInt(r, "lock"), summary, kit.SplitLines(strengths), kit.SplitLines(improvements))
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"/report?done=drill_report_saved")
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, reportRules)
	status := http.StatusUnprocessableEntity
	switch {
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case !invalid:
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	v.Summary, v.Strengths, v.Improvements, v.Errors = summary, strengths, improvements, fe
	h.Kit.Render(w, r, status, "drill_report", v)
}

func (h *Room) redraft(w http.ResponseWriter, r *http.Request) {
	h.reportAct(w, r, "drill_redrafted", h.Drills.Redraft)
}

func (h *Room) approveReport(w http.ResponseWriter, r *http.Request) {
	h.reportAct(w, r, "drill_approved", h.Drills.ApproveReport)
}

func (h *Room) reportAct(w http.ResponseWriter, r *http.Request, done string,
	do func(context.Context, authz.Actor, int64) (drill.Report, error)) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := do(r.Context(), kit.Actor(r), id)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"/report?done="+done)
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, reportRules)
	status := http.StatusUnprocessableEntity
	switch {
	case fault.Is(err, fault.Forbidden) && strings.Contains(err.Error(), "author"):
		fe, status = kit.FieldErrors{"": tr.T("drill.err.own_report")}, http.StatusForbidden
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case !invalid:
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	v.Errors = fe
	h.Kit.Render(w, r, status, "drill_report", v)
}

// reportXLSX exports the report's tables as one worksheet: the ratings
// per objective, the clocks, the strengths and the areas for improvement.
func (h *Room) reportXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	rp := v.Report
	var buf bytes.Buffer
	err := kit.WriteExport(&buf, "xlsx", "AAR", func(sw sheet.Writer) error {
		rows := [][]string{{"section", "item", "rating", "detail"}}
		for _, o := range rp.Ratings {
			rating := ""
			if o.Rating != "" {
				rating = tr.T("drill.rating." + string(o.Rating))
			}
			rows = append(rows, []string{"objective", o.Objective, rating, o.Notes})
		}
		for _, c := range rp.Clocks {
			rows = append(rows, []string{"clock", c.Name, c.State, c.Due.UTC().Format(time.RFC3339)})
		}
		for _, s := range rp.Strengths {
			rows = append(rows, []string{"strength", s, "", ""})
		}
		for _, s := range rp.Improvements {
			rows = append(rows, []string{"improvement", s, "", ""})
		}
		for _, row := range rows {
			if err := sw.Write(row...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, "xlsx", "drill-"+kit.Itoa(v.Drill.ID)+"-report", buf.Bytes())
}
