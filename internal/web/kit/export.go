package kit

import (
	"io"
	"net/http"
	"strings"

	"crisisdesk/internal/sheet"
	"crisisdesk/internal/sheet/xlsx"
)

// Every export of the desk is written through package sheet, which
// neutralises cells a spreadsheet could run as formulas; an export route
// ends in .csv or .xlsx.

// ExportFormat is the format the route's extension asks for: "csv" or
// "xlsx".
func ExportFormat(r *http.Request) string {
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		return "xlsx"
	}
	return "csv"
}

// WriteExport makes the whole file in w before anything is sent, so that a
// failure is a clean error page rather than a cut-off file; rows writes
// the table. name names the worksheet of a workbook.
func WriteExport(w io.Writer, format, name string, rows func(sheet.Writer) error) error {
	var sw sheet.Writer
	var err error
	if format == "xlsx" {
		sw, err = xlsx.New(w, name)
	} else {
		sw, err = sheet.NewCSV(w)
	}
	if err != nil {
		return err
	}
	if err := rows(sw); err != nil {
		return err
	}
	return sw.Close()
}

// SendExport sends an export as a download called name plus the format's
// extension; it is never cached.
func SendExport(w http.ResponseWriter, format, name string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", sheet.CSVContentType)
	if format == "xlsx" {
		hd.Set("Content-Type", xlsx.ContentType)
	}
	hd.Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
}
