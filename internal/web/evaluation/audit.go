package evaluation

import (
	"net/http"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/web/kit"
)

// auditView is the internal audit of one quarter: the samples recorded
// and the form for another.
type auditView struct {
	Quarter  string
	Samples  []kpi.AuditSample
	Names    map[int64]string
	CanAudit bool
	Form     auditForm
}

type auditForm struct {
	NoticeID, Quarter, Accurate, Finding string
	Errors                               kit.FieldErrors
}

var auditRules = kit.FieldKeys{"notice_id": "evaluation.err.notice", "finding": "evaluation.err.finding", "quarter": "evaluation.err.quarter"}

func (h *Room) auditPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("quarter"))
	if p, err := kpi.ParsePeriod(q); err != nil || p.Kind != kpi.Quarter {
		q = kpi.QuarterOf(h.Kit.Now()).String()
	}
	h.renderAudit(w, r, http.StatusOK, q, auditForm{Quarter: q, Accurate: "yes"})
}

func (h *Room) renderAudit(w http.ResponseWriter, r *http.Request, status int, quarter string, f auditForm) {
	samples, err := h.Evaluation.Audits(r.Context(), quarter)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names, err := h.names(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, status, "evaluation_audit", auditView{Quarter: quarter, Samples: samples, Names: names,
		CanAudit: authz.Can(kit.Role(r), authz.AuditAccuracy), Form: f})
}

func (h *Room) audit(w http.ResponseWriter, r *http.Request) {
	f := auditForm{NoticeID: strings.TrimSpace(r.PostFormValue("notice_id")), Quarter: strings.TrimSpace(r.PostFormValue("quarter")),
		Accurate: r.PostFormValue("accurate"), Finding: r.PostFormValue("finding")}
	id, _ := strconv.ParseInt(f.NoticeID, 10, 64)
	_, err := h.Evaluation.Audit(r.Context(), kit.Actor(r), kpi.AuditSample{NoticeID: id, Quarter: f.Quarter,
		Accurate: f.Accurate == "yes", Finding: f.Finding})
	if err == nil {
		kit.Redirect(w, r, AuditPath+"?quarter="+strings.ToUpper(f.Quarter)+"&done=audit_recorded")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, auditRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	q := kpi.QuarterOf(h.Kit.Now()).String()
	if p, err := kpi.ParsePeriod(f.Quarter); err == nil && p.Kind == kpi.Quarter {
		q = p.String()
	}
	h.renderAudit(w, r, http.StatusUnprocessableEntity, q, f)
}

// FormErrors implements kit.Form.
func (v auditView) FormErrors() kit.FieldErrors { return v.Form.Errors }
