package reports

import (
	"net/http"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/report"
	"crisisdesk/internal/web/kit"
)

// listView is the reports page with the form that generates one.
type listView struct {
	Reports []report.Report
	Period  string // the month the form offers: last month
	CanEdit bool
	Errors  kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v listView) FormErrors() kit.FieldErrors { return v.Errors }

var generateRules = kit.FieldKeys{"period": "report.err.period"}

func (h *Room) list(r *http.Request) (listView, error) {
	list, err := h.Reports.List(r.Context())
	now := h.Kit.Now().In(h.Kit.Location())
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, h.Kit.Location()).AddDate(0, -1, 0)
	return listView{Reports: list, Period: last.Format("2006-01"), CanEdit: authz.Can(kit.Role(r), authz.EditReports)}, err
}

func (h *Room) listPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.list(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "reports", v)
}

func (h *Room) generate(w http.ResponseWriter, r *http.Request) {
	period := r.PostFormValue("period")
	p, err := report.ParsePeriod(period)
	var x report.Report
	if err == nil {
		x, err = h.Reports.Generate(r.Context(), kit.Actor(r), p)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(x.ID)+"?done=report_generated")
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, generateRules)
	status := http.StatusUnprocessableEntity
	if !invalid {
		if !isConflict(err) {
			h.Kit.Fail(w, r, err)
			return
		}
		fe, status = kit.FieldErrors{"": tr.T("report.err.conflict")}, http.StatusConflict
	}
	v, lerr := h.list(r)
	if lerr != nil {
		h.Kit.Fail(w, r, lerr)
		return
	}
	v.Period, v.Errors = period, fe
	h.Kit.Render(w, r, status, "reports", v)
}
