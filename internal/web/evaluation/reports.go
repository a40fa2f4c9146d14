package evaluation

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/kpi"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/web/kit"
)

// reportView is a period report: its stored figures, commentary and signature.
type reportView struct {
	Report     kpi.Report
	Rows       []figureRow
	Names      map[int64]string
	Comments   []commentField // one per figure, for the form and the print view
	Summary    string
	CanEdit    bool
	CanSign    bool
	Errors     kit.FieldErrors
	TypeName   string
	PeriodText string
}

type commentField struct {
	Key   kpi.Key
	Label string
	Text  string
	Error string
}

// listReportsView lists the reports.
type listReportsView struct {
	Reports []kpi.Report
	Names   map[int64]string
}

var reportRules = kit.FieldKeys{"summary": "evaluation.err.comment", "period": "evaluation.err.period"}

func (h *Room) names(r *http.Request) (map[int64]string, error) {
	users, _, err := h.Accounts.ListUsers(r.Context(), account.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, u := range users {
		out[u.ID] = u.Name
		if u.DisplayName != "" {
			out[u.ID] = u.DisplayName
		}
	}
	return out, nil
}

func (h *Room) generate(w http.ResponseWriter, r *http.Request) {
	p, err := kpi.ParsePeriod(r.PostFormValue("period"))
	if err != nil {
		h.Kit.ErrorPageKey(w, r, http.StatusUnprocessableEntity, "evaluation.err.period")
		return
	}
	typeID, _ := strconv.ParseInt(r.PostFormValue("type"), 10, 64)
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	rp, err := h.Evaluation.Generate(r.Context(), kit.Actor(r), p, typeID, level)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, ReportsPath+"/"+kit.Itoa(rp.ID)+"?done=evaluation_generated")
}

func (h *Room) reportsPage(w http.ResponseWriter, r *http.Request) {
	rs, err := h.Evaluation.Reports(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	names, err := h.names(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.Kit.Render(w, r, http.StatusOK, "evaluation_reports", listReportsView{Reports: rs, Names: names})
}

func (h *Room) loadReport(w http.ResponseWriter, r *http.Request) (reportView, bool) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return reportView{}, false
	}
	rp, err := h.Evaluation.Report(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	names, err := h.names(r)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return reportView{}, false
	}
	tr := h.Kit.T(r)
	me := kit.Actor(r)
	v := reportView{Report: rp, Rows: rows(tr, rp.Figures), Names: names, Summary: rp.Summary,
		CanEdit: !rp.Signed() && authz.Can(me.Role, authz.EditEvaluation),
		CanSign: !rp.Signed() && authz.Can(me.Role, authz.ApproveEvaluation) && me.UserID != rp.AuthorID}
	v.TypeName = tr.T("evaluation.every_type")
	if rp.TypeID != 0 {
		if types, err := h.Plans.Types(r.Context()); err == nil {
			for _, t := range types {
				if t.ID == rp.TypeID {
					v.TypeName = t.Name.For(tr.Lang())
				}
			}
		}
	}
	for _, k := range kpi.Keys {
		v.Comments = append(v.Comments, commentField{Key: k, Label: tr.T("kpi." + string(k)), Text: rp.Commentary[k]})
	}
	return v, true
}

func (h *Room) reportPage(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadReport(w, r); ok {
		h.Kit.Render(w, r, http.StatusOK, "evaluation_report", v)
	}
}

func (h *Room) reportPrint(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.loadReport(w, r); ok {
		h.Kit.Render(w, r, http.StatusOK, "evaluation_report_print", v)
	}
}

func (h *Room) comment(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	per := map[kpi.Key]string{}
	for _, k := range kpi.Keys {
		per[k] = r.PostFormValue("comment_" + string(k))
	}
	summary := r.PostFormValue("summary")
	_, err := h.Evaluation.Comment(r.Context(), kit.Actor(r), id, int(kit.FormInt(r, "lock")), summary, per)
	if err == nil {
		kit.Redirect(w, r, ReportsPath+"/"+kit.Itoa(id)+"?done=evaluation_saved")
		return
	}
	h.reportFailed(w, r, err, func(v *reportView) {
		v.Summary = summary
		for i := range v.Comments {
			v.Comments[i].Text = per[v.Comments[i].Key]
		}
	})
}

func (h *Room) sign(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := h.Evaluation.Sign(r.Context(), kit.Actor(r), id); err != nil {
		h.reportFailed(w, r, err, nil)
		return
	}
	kit.Redirect(w, r, ReportsPath+"/"+kit.Itoa(id)+"?done=evaluation_signed")
}

// reportFailed shows the report again with what went wrong.
func (h *Room) reportFailed(w http.ResponseWriter, r *http.Request, err error, keep func(*reportView)) {
	tr := h.Kit.T(r)
	fe, invalid := kit.InvalidFields(tr, err, reportRules)
	status := http.StatusUnprocessableEntity
	switch {
	case fault.Is(err, fault.Forbidden) && strings.Contains(err.Error(), "author"):
		fe, status = kit.FieldErrors{"": tr.T("evaluation.err.own_report")}, http.StatusForbidden
	case fault.Is(err, fault.Conflict):
		fe, status = kit.FieldErrors{"": tr.T("err.stale")}, http.StatusConflict
	case invalid:
		for _, f := range fault.FieldsOf(err) {
			if k, ok := strings.CutPrefix(f.Field, "commentary."); ok {
				fe["comment_"+k] = tr.T("evaluation.err.comment")
			}
		}
	default:
		h.Kit.Fail(w, r, err)
		return
	}
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	if keep != nil {
		keep(&v)
	}
	for i := range v.Comments {
		v.Comments[i].Error = fe["comment_"+string(v.Comments[i].Key)]
	}
	v.Errors = fe
	h.Kit.Render(w, r, status, "evaluation_report", v)
}

// FormErrors implements kit.Form.
func (v reportView) FormErrors() kit.FieldErrors { return v.Errors }

// reportXLSX exports the report: its heading, every stored figure with
// the definition version it used, and the commentary.
func (h *Room) reportXLSX(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	rp := v.Report
	var buf bytes.Buffer
	err := kit.WriteExport(&buf, "xlsx", rp.Period.String(), func(sw sheet.Writer) error {
		signed := ""
		if rp.Signed() {
			signed = v.Names[rp.SignedBy] + " " + rp.SignedAt.UTC().Format(time.RFC3339)
		}
		head := [][]string{
			{tr.T("evaluation.report.title"), rp.Period.String()},
			{tr.T("evaluation.type"), v.TypeName},
			{tr.T("evaluation.report.author"), v.Names[rp.AuthorID]},
			{tr.T("evaluation.report.signed_by"), signed},
			{tr.T("evaluation.report.summary"), rp.Summary},
			{},
			{"figure", "measure", "series", "value", "unit", "n", "version", "label"},
		}
		for _, row := range head {
			if err := sw.Write(row...); err != nil {
				return err
			}
		}
		for _, f := range rp.Figures {
			val := strconv.FormatFloat(f.Value, 'f', -1, 64)
			if f.NoData {
				val = ""
			}
			if err := sw.Write(string(f.Key), f.Measure, string(f.Series), val, string(f.Unit), strconv.Itoa(f.N),
				strconv.Itoa(f.Version), label(tr, f.Key, f.Measure)); err != nil {
				return err
			}
		}
		if err := sw.Write(); err != nil {
			return err
		}
		for _, c := range v.Comments {
			if c.Text != "" {
				if err := sw.Write("commentary", string(c.Key), c.Label, c.Text); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, "xlsx", "evaluation-"+rp.Period.String()+"-"+kit.Itoa(rp.ID), buf.Bytes())
}
