// Package pdf writes crisisdesk's reports as PDF documents whose text,
// Chinese included, is real text: a subset of a CJK TrueType font is
// embedded, so the PDF reads the same everywhere and can be searched,
// copied and read back (pdftotext). The monthly progress report uses it;
// so can any other report.
package pdf

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/DroidSansFallbackFull.ttf
var cjkFont []byte

const (
	family   = "cjk"
	pageW    = 210.0 // A4, millimetres
	margin   = 18.0
	textW    = pageW - 2*margin
	lineH    = 6.0
	bodySize = 10.5
)

// Doc is a document being written: headings, paragraphs, bullets and
// tables flow down A4 pages.
type Doc struct {
	f *fpdf.Fpdf
}

// Meta is what the document says about itself.
type Meta struct {
	Title   string
	Author  string
	Lang    string    // e.g. "zh-Hant"
	Created time.Time // also the modification date; fixed, so output is reproducible
	Footer  string    // printed at the foot of every page, before the page number
}

// New starts a document.
func New(m Meta) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.AddUTF8FontFromBytes(family, "", cjkFont)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetCreator("crisisdesk", true)
	f.SetProducer("crisisdesk", true)
	if m.Lang != "" {
		f.SetLang(m.Lang)
	}
	if !m.Created.IsZero() {
		f.SetCreationDate(m.Created)
		f.SetModificationDate(m.Created)
	}
	f.SetCatalogSort(true)
	footer := m.Footer
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont(family, "", 8)
		f.CellFormat(0, 5, strings.TrimSpace(footer+"  "+fmt.Sprint(f.PageNo())), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	f.SetFont(family, "", bodySize)
	return &Doc{f: f}
}

// Title writes the document's title.
func (d *Doc) Title(s string) {
	d.f.SetFont(family, "", 18)
	d.f.MultiCell(textW, 9, s, "", "L", false)
	d.f.Ln(3)
	d.f.SetFont(family, "", bodySize)
}

// Heading writes a section heading.
func (d *Doc) Heading(s string) {
	d.f.Ln(3)
	d.f.SetFont(family, "", 13.5)
	d.f.MultiCell(textW, 7.5, s, "", "L", false)
	d.f.Ln(1)
	d.f.SetFont(family, "", bodySize)
}

// Para writes a paragraph; line breaks in s are kept.
func (d *Doc) Para(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	d.f.MultiCell(textW, lineH, s, "", "L", false)
	d.f.Ln(1.5)
}

// Bullets writes a list.
func (d *Doc) Bullets(items []string) {
	for _, s := range items {
		x := d.f.GetX()
		d.f.CellFormat(5, lineH, "•", "", 0, "L", false, 0, "")
		d.f.MultiCell(textW-5, lineH, s, "", "L", false)
		d.f.SetX(x)
	}
	d.f.Ln(1.5)
}

// Table writes a two-or-more-column table: the first column takes what
// the others leave.
func (d *Doc) Table(header []string, rows [][]string) {
	if len(header) == 0 {
		return
	}
	other := 30.0
	first := textW - other*float64(len(header)-1)
	width := func(i int) float64 {
		if i == 0 {
			return first
		}
		return other
	}
	d.f.SetFillColor(230, 230, 230)
	for i, h := range header {
		d.f.CellFormat(width(i), 7, h, "1", 0, "L", true, 0, "")
	}
	d.f.Ln(-1)
	for _, r := range rows {
		for i := range header {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			align := "L"
			if i > 0 {
				align = "R"
			}
			d.f.CellFormat(width(i), 7, v, "1", 0, align, false, 0, "")
		}
		d.f.Ln(-1)
	}
	d.f.Ln(2)
}

// Write finishes the document into w.
func (d *Doc) Write(w io.Writer) error {
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}
