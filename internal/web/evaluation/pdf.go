package evaluation

import (
	"bytes"
	"net/http"

	"crisisdesk/internal/pdf"
)

// reportPDF writes the report as a PDF with real (searchable) text:
// heading, signature, every stored figure with its definition version,
// and the commentary.
func (h *Room) reportPDF(w http.ResponseWriter, r *http.Request) {
	v, ok := h.loadReport(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	rp := v.Report
	title := tr.T("evaluation.report.title") + ": " + rp.Period.String()
	d := pdf.New(pdf.Meta{Title: title, Author: v.Names[rp.AuthorID], Lang: tr.Lang(), Created: rp.CreatedAt, Footer: title})
	d.Title(title)
	signed := tr.T("evaluation.report.unsigned")
	if rp.Signed() {
		signed = v.Names[rp.SignedBy] + " · " + h.Kit.FormatTime(rp.SignedAt)
	}
	d.Table([]string{"", ""}, [][]string{
		{tr.T("evaluation.type"), v.TypeName},
		{tr.T("evaluation.report.author"), v.Names[rp.AuthorID]},
		{tr.T("evaluation.report.signed_by"), signed},
	})
	d.Heading(tr.T("evaluation.figures"))
	rows := make([][]string, 0, len(v.Rows))
	for _, row := range v.Rows {
		rows = append(rows, []string{row.Label, row.Real, row.Exercise, tr.T("evaluation.version_n", "Version", row.Version)})
	}
	d.Table([]string{tr.T("evaluation.figure"), tr.T("evaluation.series.real"), tr.T("evaluation.series.exercise"), tr.T("evaluation.version")}, rows)
	d.Heading(tr.T("evaluation.report.commentary"))
	if v.Summary != "" {
		d.Para(v.Summary)
	}
	for _, c := range v.Comments {
		if c.Text != "" {
			d.Para(c.Label + ": " + c.Text)
		}
	}
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="evaluation-`+rp.Period.String()+`.pdf"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}
