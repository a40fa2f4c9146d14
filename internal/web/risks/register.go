package risks

import (
	"bytes"
	"net/http"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/risk"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
	"crisisdesk/internal/web/riskview"
)

// registerView is the heat map and the register.
type registerView struct {
	Map     HeatMap
	Risks   []riskview.Row
	Alerts  []risk.Alert
	Scale   []int
	CanEdit bool
}

// registerLimit bounds the register on one page: an office has dozens.
const registerLimit = 500

func (h *Room) rows(r *http.Request) ([]riskview.Row, error) {
	ctx, tr := r.Context(), h.Kit.T(r)
	list, _, err := h.Risks.List(ctx, risk.Filter{Limit: registerLimit})
	if err != nil {
		return nil, err
	}
	_, names, err := h.people(ctx)
	if err != nil {
		return nil, err
	}
	now := h.Kit.Now()
	out := make([]riskview.Row, 0, len(list))
	for _, k := range list {
		out = append(out, riskview.RowOf(tr, k, names, now))
	}
	return out, nil
}

func (h *Room) registerPage(w http.ResponseWriter, r *http.Request) {
	rows, err := h.rows(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	alerts, err := h.Risks.Alerts(r.Context(), kit.Actor(r).UserID, true, 20)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "risks", registerView{Map: NewHeatMap(rows), Risks: rows, Alerts: alerts, Scale: Scale,
		CanEdit: authz.Can(kit.Role(r), authz.EditRisks)})
}

// export writes the register as a workbook.
func (h *Room) export(w http.ResponseWriter, r *http.Request) {
	rows, err := h.rows(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, "xlsx", tr.T("risks.title"), func(sw sheet.Writer) error {
		head := []string{tr.T("risk.ref"), tr.T("risk.description"), tr.T("risk.category"), tr.T("risk.cause"), tr.T("risk.consequence"),
			tr.T("risk.likelihood"), tr.T("risk.impact"), tr.T("risk.score"), tr.T("risk.band"), tr.T("risk.owner"), tr.T("risk.review_due"), tr.T("risk.status")}
		if err := sw.Write(head...); err != nil {
			return err
		}
		for _, k := range rows {
			l := ""
			if k.Likelihood != 0 {
				l = strconv.Itoa(k.Likelihood)
			}
			if err := sw.Write([]string{k.Ref, k.Description, tr.T("risk.category." + string(k.Category)), k.Cause, k.Consequence,
				l, strconv.Itoa(k.Impact), strconv.Itoa(k.Score()), tr.T("risk.band." + string(k.Band())), k.Owner,
				kit.DateText(k.ReviewDue), tr.T("risk.status." + string(k.Status))}...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, "xlsx", "risk-register", buf.Bytes())
}

// markRead marks the reader's risk alerts read.
func (h *Room) markRead(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	for _, s := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	if err := h.Risks.MarkAlertsRead(r.Context(), kit.Actor(r), ids); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, Path+"?done=risk_alerts_read")
}
