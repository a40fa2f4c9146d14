package reports

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/report"
	"crisisdesk/internal/report/export"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/web/kit"
)

// editForm is the coordinator's form.
type editForm struct {
	ProgressText, ProblemsText, NextText, Recipients string
	Lock                                             int64
}

var editRules = kit.FieldKeys{
	"progress_text": "report.err.text",
	"problems_text": "report.err.text",
	"next_text":     "report.err.text",
	"recipients":    "report.err.recipients",
}

// reportView is one report's page.
type reportView struct {
	Report     report.Report
	Rendered   export.Rendered
	Form       editForm
	Names      map[int64]string
	Me         int64
	CanEdit    bool
	CanApprove bool
	Errors     kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v reportView) FormErrors() kit.FieldErrors { return v.Errors }

func isConflict(err error) bool { return fault.Is(err, fault.Conflict) }

func (h *Room) names(ctx context.Context) (map[int64]string, error) {
	users, _, err := h.Accounts.ListUsers(ctx, account.UserFilter{Limit: 500})
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
		if u.DisplayName != "" {
			names[u.ID] = u.DisplayName
		}
	}
	return names, err
}

func (h *Room) load(w http.ResponseWriter, r *http.Request) (reportView, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return reportView{}, false
	}
	x, err := h.Reports.Get(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	names, err := h.names(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	return reportView{Report: x, Rendered: export.Render(h.Kit.T(r), x, names, h.Kit.Location()), Names: names, Me: kit.Actor(r).UserID,
		Form: editForm{ProgressText: x.Body.ProgressText, ProblemsText: x.Body.ProblemsText, NextText: x.Body.NextText,
			Recipients: strings.Join(x.Recipients, "\n"), Lock: x.Lock},
		CanEdit: authz.Can(kit.Role(r), authz.EditReports), CanApprove: authz.Can(kit.Role(r), authz.ApproveReport)}, true
}

func (h *Room) reportPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "report", v)
}

// act runs a step on the report and returns to it, or shows it again
// with the refusal.
func (h *Room) act(w http.ResponseWriter, r *http.Request, done string, do func(context.Context, authz.Actor, int64) (report.Report, error),
	keep func(*reportView)) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_, err := do(r.Context(), kit.Actor(r), id)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(id)+"?done="+done)
		return
	}
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, editRules)
	status := http.StatusUnprocessableEntity
	switch {
	case invalid:
	case fault.Is(err, fault.Forbidden) && len(fault.FieldsOf(err)) > 0:
		// The route is allowed; this report is refused to its own author:
		// a refusal of the request, named in the summary, not of the page.
		fe = kit.FieldErrors{"": tr.T("report.err.own_report")}
	case isConflict(err):
		fe, status = kit.FieldErrors{"": tr.T("report.err.conflict")}, http.StatusConflict
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	if keep != nil {
		keep(&v)
	}
	v.Errors = fe
	h.Kit.Render(w, r, status, "report", v)
}

func (h *Room) save(w http.ResponseWriter, r *http.Request) {
	f := editForm{ProgressText: r.PostFormValue("progress_text"), ProblemsText: r.PostFormValue("problems_text"),
		NextText: r.PostFormValue("next_text"), Recipients: r.PostFormValue("recipients"), Lock: kit.FormInt(r, "lock")}
	h.act(w, r, "report_saved", func(ctx context.Context, a authz.Actor, id int64) (report.Report, error) {
		return h.Reports.Save(ctx, a, id, report.Edit{ProgressText: f.ProgressText, ProblemsText: f.ProblemsText, NextText: f.NextText,
			Recipients: kit.SplitLines(f.Recipients), Lock: f.Lock})
	}, func(v *reportView) { f.Lock = v.Form.Lock; v.Form = f })
}

func (h *Room) redraft(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "report_generated", func(ctx context.Context, a authz.Actor, id int64) (report.Report, error) {
		x, err := h.Reports.Get(ctx, id)
		if err != nil {
			return x, err
		}
		return h.Reports.Generate(ctx, a, x.Period)
	}, nil)
}

func (h *Room) approve(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "report_approved", h.Reports.Approve, nil)
}

func (h *Room) submit(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "report_submitted", h.Reports.Submit, nil)
}

func (h *Room) downloadPDF(w http.ResponseWriter, r *http.Request) {
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := export.PDF(&buf, h.Kit.T(r), v.Rendered, v.Report.UpdatedAt); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	send(w, "application/pdf", "progress-report-"+v.Report.Period.String()+".pdf", buf.Bytes())
}

func (h *Room) downloadXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.load(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := export.XLSX(&buf, h.Kit.T(r), v.Rendered); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	send(w, xlsx.ContentType, "progress-report-"+v.Report.Period.String()+".xlsx", buf.Bytes())
}

func send(w http.ResponseWriter, contentType, name string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
}
