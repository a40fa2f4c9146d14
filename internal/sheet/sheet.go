// Package sheet is the one writer of crisisdesk's tabular exports: CSV here
// and XLSX in sheet/xlsx. Every cell goes through Neutralize, so that text a member of the
// public typed, such as the sign-up =cmd|'/Ccalc'!A0@example.com, never
// runs as a formula when staff open an export in a spreadsheet (OWASP's
// "CSV injection"). Exports must use this package: a test fails when any
// other package writes with encoding/csv.
//
// A neutralised cell starts with an apostrophe, which spreadsheets take as
// "this is text" and do not show. An importer of crisisdesk's own exports
// calls Restore on every cell to get the value back: a phone number such
// as +85291234567 is exported as '+85291234567 and imported as it was.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula: = + - @, and a tab or carriage return, after which
// some spreadsheets look again.
const formulaStart = "=+-@\t\r"

// Neutralize returns s prefixed with an apostrophe when a spreadsheet
// could read it as a formula, and otherwise s as it is. A value that
// already starts with apostrophes followed by one of those characters gets
// one more, so that Restore gives back exactly what was written.
func Neutralize(s string) string {
	if _, risky := formulaAfterQuotes(s); risky {
		return "'" + s
	}
	return s
}

// Restore undoes Neutralize: it removes the apostrophe Neutralize added
// before a character that starts a formula. Any other value is returned as
// it is. It also reads a cell someone typed as '+85291234567 in a
// spreadsheet, to keep it text, as +85291234567.
func Restore(s string) string {
	if quotes, risky := formulaAfterQuotes(s); risky && quotes > 0 {
		return s[1:]
	}
	return s
}

// formulaAfterQuotes counts the apostrophes s starts with and reports
// whether what follows them starts a formula.
func formulaAfterQuotes(s string) (quotes int, risky bool) {
	rest := strings.TrimLeft(s, "'")
	return len(s) - len(rest), rest != "" && strings.IndexByte(formulaStart, rest[0]) >= 0
}

// Writer writes one table, a row at a time; Close finishes the document.
// Nothing may be written after Close. CSVWriter and xlsx.Writer are the
// two.
type Writer interface {
	Write(row ...string) error
	Close() error
}

// CSVContentType is the media type of a CSV export.
const CSVContentType = "text/csv; charset=utf-8"

// CSVWriter writes RFC 4180 CSV, UTF-8 with a byte-order mark, without
// which Excel reads Chinese as mojibake.
type CSVWriter struct {
	cw *csv.Writer
}

// NewCSV starts a CSV document on w.
func NewCSV(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, fmt.Errorf("write CSV: %w", err)
	}
	return &CSVWriter{cw: csv.NewWriter(w)}, nil
}

// Write writes one row, each cell neutralised.
func (c *CSVWriter) Write(row ...string) error {
	out := make([]string, len(row))
	for i, s := range row {
		out[i] = Neutralize(s)
	}
	if err := c.cw.Write(out); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// Close flushes what is buffered.
func (c *CSVWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
