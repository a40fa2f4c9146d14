package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"crisisdesk/internal/sheet"
)

// Read reads the rows of a workbook's first worksheet as text, every
// cell through sheet.Restore.
func Read(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("not an XLSX workbook: %w", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		return nil, fmt.Errorf("read the workbook: %w", err)
	}
	for _, row := range rows {
		for i := range row {
			row[i] = sheet.Restore(row[i])
		}
	}
	return rows, nil
}
