// Package export writes a monthly report as the reader reads it: lines
// rendered in a language, as a PDF (real text, Chinese included) and as
// an XLSX workbook through package sheet.
package export

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/pdf"
	"crisisdesk/internal/report"
	"crisisdesk/internal/sheet/xlsx"
)

// Section is one part of the report, rendered.
type Section struct {
	Title string
	Text  string   // the coordinator's text
	Lines []string // the generated lines
}

// Rendered is the whole report in one language.
type Rendered struct {
	Title    string
	Period   string
	State    string
	Sections []Section
	Figures  [][2]string // name, value
	Signed   string      // "Approved by … on …", "" while a draft
}

// Line renders a generated line; a source's kind becomes its name.
func Line(tr i18n.Translator, l report.Line) string {
	var args []any
	for k, v := range l.Args {
		if k == "source" {
			v = tr.T("action.source." + v)
		}
		args = append(args, k, v)
	}
	return tr.T(l.Key, args...)
}

// Render renders r in tr's language; names are the people's names by id.
func Render(tr i18n.Translator, r report.Report, names map[int64]string, loc *time.Location) Rendered {
	if loc == nil {
		loc = time.UTC
	}
	lines := func(ls []report.Line) []string {
		out := []string{}
		for _, l := range ls {
			out = append(out, Line(tr, l))
		}
		return out
	}
	out := Rendered{Title: tr.T("report.doc_title", "Period", r.Period.String()), Period: r.Period.String(),
		State: tr.T("report.state." + string(r.State)),
		Sections: []Section{
			{Title: tr.T("report.progress"), Text: r.Body.ProgressText, Lines: lines(r.Body.Progress)},
			{Title: tr.T("report.problems"), Text: r.Body.ProblemsText, Lines: lines(r.Body.Problems)},
			{Title: tr.T("report.next_steps"), Text: r.Body.NextText, Lines: lines(r.Body.NextSteps)},
		}}
	for _, f := range r.Body.Figures {
		out.Figures = append(out.Figures, [2]string{tr.T(f.Key), strconv.Itoa(f.Value)})
	}
	if !r.ApprovedAt.IsZero() {
		out.Signed = tr.T("report.signed", "Name", names[r.ApprovedBy], "At", r.ApprovedAt.In(loc).Format("2006-01-02 15:04"))
	}
	return out
}

// PDF writes the rendered report as a PDF.
func PDF(w io.Writer, tr i18n.Translator, x Rendered, created time.Time) error {
	d := pdf.New(pdf.Meta{Title: x.Title, Author: "crisisdesk", Lang: tr.Lang(), Created: created, Footer: x.Title})
	d.Title(x.Title)
	d.Para(x.State)
	for _, s := range x.Sections {
		d.Heading(s.Title)
		d.Para(s.Text)
		if len(s.Lines) > 0 {
			d.Bullets(s.Lines)
		}
	}
	d.Heading(tr.T("report.figures"))
	rows := make([][]string, 0, len(x.Figures))
	for _, f := range x.Figures {
		rows = append(rows, []string{f[0], f[1]})
	}
	d.Table([]string{tr.T("report.figure"), tr.T("report.value")}, rows)
	if x.Signed != "" {
		d.Para(x.Signed)
	}
	return d.Write(w)
}

// XLSX writes the rendered report as a workbook: one row per line, with
// its part; the figures after.
func XLSX(w io.Writer, tr i18n.Translator, x Rendered) error {
	sw, err := xlsx.New(w, x.Period)
	if err != nil {
		return fmt.Errorf("report workbook: %w", err)
	}
	rows := [][]string{{x.Title}, {tr.T("report.part"), tr.T("report.item")}}
	for _, s := range x.Sections {
		if s.Text != "" {
			rows = append(rows, []string{s.Title, s.Text})
		}
		for _, l := range s.Lines {
			rows = append(rows, []string{s.Title, l})
		}
	}
	rows = append(rows, []string{}, []string{tr.T("report.figure"), tr.T("report.value")})
	for _, f := range x.Figures {
		rows = append(rows, []string{f[0], f[1]})
	}
	if x.Signed != "" {
		rows = append(rows, []string{}, []string{x.Signed})
	}
	for _, r := range rows {
		if err := sw.Write(r...); err != nil {
			return fmt.Errorf("report workbook: %w", err)
		}
	}
	return sw.Close()
}
