// Package captest gives tests the official CAP 1.2 schema and real alerts
// issued by public authorities, copied into testdata with their source and
// licence (testdata/SOURCE.md), and the one xmllint check every package's
// tests use. It imports nothing of crisisdesk, so the cap package's own
// tests can use it too.
package captest

import (
	"bytes"
	"embed"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"

	"crisisdesk/internal/testenv"
)

//go:embed testdata/CAP-v1.2.xsd testdata/cap12_extended.xsd testdata/samples
var files embed.FS

// Sample is one CAP message as its issuer published it.
type Sample struct {
	Name string // the file name
	Data []byte
}

// Samples returns the five real alerts that the official schema accepts.
func Samples(tb testing.TB) []Sample { return read(tb, "testdata/samples") }

// Invalid returns the real alerts that the official schema rejects.
func Invalid(tb testing.TB) []Sample { return read(tb, "testdata/samples/invalid") }

func read(tb testing.TB, dir string) []Sample {
	tb.Helper()
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		tb.Fatalf("captest: %v", err)
	}
	var out []Sample
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := files.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			tb.Fatalf("captest: %v", err)
		}
		out = append(out, Sample{Name: e.Name(), Data: b})
	}
	if len(out) == 0 {
		tb.Fatalf("captest: no samples in %s", dir)
	}
	return out
}

// Schema writes the official CAP 1.2 schema (or, with extended, Google's
// stricter one) into a temporary directory of tb and returns its path.
func Schema(tb testing.TB, extended bool) string {
	tb.Helper()
	name := "CAP-v1.2.xsd"
	if extended {
		name = "cap12_extended.xsd"
	}
	b, err := files.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatalf("captest: %v", err)
	}
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		tb.Fatalf("captest: %v", err)
	}
	return p
}

// Xmllint validates doc against the official CAP 1.2 schema with xmllint,
// failing tb with xmllint's words when it does not validate. Without
// xmllint the test is skipped, saying so, and fails under CI.
func Xmllint(tb testing.TB, doc []byte) {
	tb.Helper()
	if err := Lint(tb, doc, false); err != nil {
		tb.Fatalf("xmllint: %v\n%s", err, doc)
	}
}

// Lint runs xmllint on doc against the official schema (or the extended
// one) and returns its complaint, nil when doc validates.
func Lint(tb testing.TB, doc []byte, extended bool) error {
	tb.Helper()
	bin := testenv.Command(tb, "apt-get install libxml2-utils", "xmllint")
	f := filepath.Join(tb.TempDir(), "alert.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		tb.Fatalf("captest: %v", err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", Schema(tb, extended), f)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &lintError{err: err, out: out.String()}
	}
	return nil
}

type lintError struct {
	err error
	out string
}

func (e *lintError) Error() string { return e.err.Error() + "\n" + e.out }
