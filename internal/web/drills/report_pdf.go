package drills

import (
	"bytes"
	"net/http"

	"crisisdesk/internal/pdf"
	"crisisdesk/internal/web/kit"
)

// reportPDF writes the after-action report as a PDF whose Chinese is real
// text (a subset of a CJK font is embedded): the summary and figures, the
// ratings per objective, the clocks, strengths, areas for improvement,
// the observations and the improvement actions, with its approval.
func (h *Room) reportPDF(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	rp, d := v.Report, v.Drill
	title := tr.T("drill.report.title") + ": " + d.Title
	doc := pdf.New(pdf.Meta{Title: title, Author: v.Names[rp.AuthorID], Lang: tr.Lang(), Created: rp.UpdatedAt,
		Footer: tr.T("drill.report.pdf_footer", "Title", d.Title)})
	doc.Title(title)
	approved := tr.T("drill.report.pdf_unapproved")
	if !rp.ApprovedAt.IsZero() {
		approved = tr.T("drill.report.approved", "Name", v.Names[rp.ApprovedBy], "At", h.Kit.FormatTime(rp.ApprovedAt))
	}
	doc.Para(tr.T("drill.report.pdf_exercise") + " · " + approved)

	doc.Heading(tr.T("drill.report.summary"))
	if rp.Summary != "" {
		doc.Para(rp.Summary)
	} else {
		doc.Para(tr.T("drill.report.no_summary"))
	}
	doc.Para(tr.T("drill.report.figures", "Injects", rp.Injects, "Skipped", rp.Skipped, "Actions", rp.Actions))

	doc.Heading(tr.T("drill.report.ratings"))
	rows := make([][]string, 0, len(rp.Ratings))
	for _, o := range rp.Ratings {
		rating := tr.T("drill.rating.none")
		if o.Rating != "" {
			rating = tr.T("drill.rating." + string(o.Rating))
		}
		rows = append(rows, []string{o.Objective, rating, o.Notes})
	}
	doc.Table([]string{tr.T("drill.objective"), tr.T("drill.rating"), tr.T("drill.notes")}, rows)

	doc.Heading(tr.T("drill.report.clocks"))
	rows = rows[:0]
	for _, c := range rp.Clocks {
		rows = append(rows, []string{c.Name, tr.T("clock.state." + c.State), h.Kit.FormatTime(c.Due)})
	}
	doc.Table([]string{tr.T("drill.report.pdf_clock"), tr.T("drill.report.pdf_state"), tr.T("drill.report.pdf_due")}, rows)

	doc.Heading(tr.T("drill.report.strengths"))
	doc.Bullets(orDash(rp.Strengths))
	doc.Heading(tr.T("drill.report.improvements"))
	doc.Bullets(orDash(rp.Improvements))

	if len(v.Observations) > 0 {
		doc.Heading(tr.T("drill.report.observations"))
		rows = rows[:0]
		for _, o := range v.Observations {
			objective := ""
			if o.Objective >= 0 && o.Objective < len(d.Objectives) {
				objective = d.Objectives[o.Objective].Text
			}
			rows = append(rows, []string{h.Kit.FormatTime(o.At) + " " + o.Observer, objective,
				tr.T("drill.rating." + string(o.Rating)), o.Notes})
		}
		doc.Table([]string{tr.T("drill.report.obs_at"), tr.T("drill.objective"), tr.T("drill.rating"), tr.T("drill.notes")}, rows)
	}
	if len(v.Actions) > 0 {
		doc.Heading(tr.T("drill.report.pdf_actions"))
		rows = rows[:0]
		for _, x := range v.Actions {
			rows = append(rows, []string{x.Text, v.Names[x.OwnerID], h.Kit.FormatTime(x.Due), tr.T("drill.report.pdf_action_state." + string(x.State))})
		}
		doc.Table([]string{tr.T("drill.report.pdf_action"), tr.T("drill.report.pdf_owner"), tr.T("drill.report.pdf_due"), tr.T("drill.report.pdf_state")}, rows)
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="drill-`+kit.Itoa(d.ID)+`-report.pdf"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

// orDash is items, or a dash when there are none.
func orDash(items []string) []string {
	if len(items) == 0 {
		return []string{"—"}
	}
	return items
}
