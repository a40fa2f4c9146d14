package repotest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// No Go file names a relative path that leaves the repository: a test
// must find everything it reads in the repository (testdata), so that a
// fresh clone tests itself.
func TestNothingReadsOutsideTheRepository(t *testing.T) {
	t.Parallel()
	top, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, f := range trackedFiles(t) {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		n++
		file, err := parser.ParseFile(fset, filepath.Join(root, f), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(top, filepath.Dir(f))
		ast.Inspect(file, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !strings.HasPrefix(s, "../") {
				return true
			}
			if p := filepath.Join(dir, s); p != top && !strings.HasPrefix(p, top+string(filepath.Separator)) {
				t.Errorf("%s: %q leads outside the repository", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if n < 100 {
		t.Fatalf("looked at %d Go files only", n)
	}
}
