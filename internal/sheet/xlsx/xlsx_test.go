package xlsx

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"crisisdesk/internal/sheet"
)

// TestRoundTrip writes cells that a spreadsheet would run, and harmless
// ones, to a workbook, reads it back with excelize and checks that no cell
// is a formula, every cell is a string and each reads as sheet.Neutralize
// wrote it, which sheet.Restore turns back into the value.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	values := []string{
		"=1+1", "=cmd|'/Ccalc'!A0@example.com", "+85291234567", "-22.5,114.1", "@SUM(A1:A2)",
		"\t=1+1", "\r=1+1", "'=1+1", "alice@example.org", "灣仔", "42", "2026-09-01T08:00:00Z", "TRUE",
	}
	var buf bytes.Buffer
	w, err := New(&buf, "Export")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write("value", "second"); err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if err := w.Write(v, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Export" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Export")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(values)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(values)+1)
	}
	for i, v := range values {
		for col := 1; col <= 2; col++ {
			ref, _ := excelize.CoordinatesToCellName(col, i+2)
			if formula, err := f.GetCellFormula("Export", ref); err != nil || formula != "" {
				t.Errorf("%q: %s has the formula %q (%v)", v, ref, formula, err)
			}
			if typ, err := f.GetCellType("Export", ref); err != nil || typ != excelize.CellTypeInlineString {
				t.Errorf("%q: %s has type %v (%v), want an inline string", v, ref, typ, err)
			}
			got := rows[i+1][col-1]
			if got != sheet.Neutralize(v) || sheet.Restore(got) != v {
				t.Errorf("%q: %s reads %q, want %q", v, ref, got, sheet.Neutralize(v))
			}
		}
	}
}

func TestBadSheetName(t *testing.T) {
	t.Parallel()
	if _, err := New(new(bytes.Buffer), "a/b"); err == nil {
		t.Error("a sheet name with a slash is accepted")
	}
}
