package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
)

// ReadCSV reads a whole CSV table (UTF-8, with or without a byte-order
// mark; comma-, semicolon- or tab-separated, as the first line shows),
// every cell through Restore, so that crisisdesk's own exports read back
// as they were.
func ReadCSV(r io.Reader) ([][]string, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read the CSV file: %w", err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(raw))
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	switch {
	case bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")):
		cr.Comma = ';'
	case bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")):
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("not a CSV file: %w", err)
	}
	for _, row := range rows {
		for i := range row {
			row[i] = Restore(row[i])
		}
	}
	return rows, nil
}
