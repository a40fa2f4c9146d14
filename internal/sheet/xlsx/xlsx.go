// Package xlsx writes crisisdesk's exports as Office Open XML workbooks
// (github.com/xuri/excelize/v2), with the formula rule of package sheet:
// every cell is an inline string, never a formula or a number, and
// neutralised too, in case the workbook is saved again as CSV.
package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"crisisdesk/internal/sheet"
)

// ContentType is the media type of a workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Writer writes a workbook of one worksheet. It is a sheet.Writer.
type Writer struct {
	out  io.Writer
	file *excelize.File
	sw   *excelize.StreamWriter
	rows int
}

var _ sheet.Writer = (*Writer)(nil)

// New starts a workbook whose one worksheet is called name (at most 31
// characters, without : \ / ? * [ ]); Close writes it to w.
func New(w io.Writer, name string) (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		f.Close()
		return nil, fmt.Errorf("write XLSX: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("write XLSX: %w", err)
	}
	return &Writer{out: w, file: f, sw: sw}, nil
}

// Write writes one row, each cell a neutralised string.
func (x *Writer) Write(row ...string) error {
	x.rows++
	cells := make([]any, len(row))
	for i, s := range row {
		cells[i] = excelize.Cell{Value: sheet.Neutralize(s)}
	}
	ref, err := excelize.CoordinatesToCellName(1, x.rows)
	if err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	if err := x.sw.SetRow(ref, cells); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// Close writes the workbook to the writer New was given.
func (x *Writer) Close() error {
	defer x.file.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	if err := x.file.Write(x.out); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}
