package sheet

import (
	"bytes"
	"encoding/csv"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// cells are what a member of the public or a member of staff may type,
// with how each must reach a spreadsheet.
var cells = []struct {
	name, in, out string
}{
	{"plain", "alice@example.org", "alice@example.org"},
	{"empty", "", ""},
	{"formula", "=1+1", "'=1+1"},
	{"dde sign-up", "=cmd|'/Ccalc'!A0@example.com", "'=cmd|'/Ccalc'!A0@example.com"},
	{"plus", "+85291234567", "'+85291234567"},
	{"minus", "-22.5,114.1", "'-22.5,114.1"},
	{"at", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
	{"tab", "\t=1+1", "'\t=1+1"},
	{"carriage return", "\r=1+1", "'\r=1+1"},
	{"formula later", "a=1+1", "a=1+1"},
	{"apostrophe", "'quoted'", "'quoted'"},
	{"apostrophe before a formula", "'=1+1", "''=1+1"},
	{"two apostrophes before a formula", "''+852", "'''+852"},
	{"chinese", "灣仔", "灣仔"},
	{"space first", " =1+1", " =1+1"},
}

func TestNeutralizeAndRestore(t *testing.T) {
	t.Parallel()
	for _, tc := range cells {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Neutralize(tc.in); got != tc.out {
				t.Errorf("Neutralize(%q) = %q, want %q", tc.in, got, tc.out)
			}
			if got := Restore(Neutralize(tc.in)); got != tc.in {
				t.Errorf("Restore(Neutralize(%q)) = %q: the round trip loses the value", tc.in, got)
			}
		})
	}
	// A cell typed with an apostrophe to keep it text reads as the text.
	if got := Restore("'+85291234567"); got != "+85291234567" {
		t.Errorf("Restore of a typed '+852…: %q", got)
	}
}

func TestCSV(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := NewCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"name", "value"}
	if err := w.Write(header...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cells {
		if err := w.Write(tc.name, tc.in); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(cells)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(cells)+1)
	}
	for i, tc := range cells {
		if got := rows[i+1][1]; got != tc.out {
			t.Errorf("%s: cell %q, want %q", tc.name, got, tc.out)
		}
	}
}

// TestOnlySheetWritesCSV fails when a package other than this one writes
// CSV itself, so that every export, now and later, goes through Neutralize.
// Reading CSV (an import) is fine.
func TestOnlySheetWritesCSV(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Dir(path) == here {
			return nil
		}
		checked++
		for _, use := range csvWrites(t, path) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%d uses encoding/csv's %s: write exports with crisisdesk/internal/sheet, which neutralises formulas", rel, use.line, use.name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d Go files under %s: the walk went wrong", checked, root)
	}
}

type csvUse struct {
	name string
	line int
}

// csvWrites lists the uses of encoding/csv's writer in the file at path,
// whatever name the package is imported as.
func csvWrites(t *testing.T, path string) []csvUse {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	local := ""
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "encoding/csv" {
			local = "csv"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" {
		return nil
	}
	var out []csvUse
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && id.Name == local && (sel.Sel.Name == "NewWriter" || sel.Sel.Name == "Writer") {
			out = append(out, csvUse{local + "." + sel.Sel.Name, fset.Position(sel.Pos()).Line})
		}
		return true
	})
	return out
}
