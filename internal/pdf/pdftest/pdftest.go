// Package pdftest reads a PDF's text back in tests, with pdftotext
// (poppler-utils): a PDF nobody read back proves nothing.
package pdftest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Text is the PDF's text with runs of white space made one space. The
// test fails when pdftotext is missing or cannot read the file.
func Text(tb testing.TB, data []byte) string {
	tb.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		tb.Fatal("pdftotext is needed to read the PDF back: apt-get install poppler-utils")
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
