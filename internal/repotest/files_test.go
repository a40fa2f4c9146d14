package repotest

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxTracked is the size above which a tracked file must be listed in
// deliberateBig: build outputs, binaries and generated dumps stay out.
const maxTracked = 1 << 20

// deliberateBig lists tracked files allowed over maxTracked, with why.
var deliberateBig = map[string]string{
	// The CJK font the PDFs embed a subset of (Apache-2.0, see
	// internal/pdf/fonts/README.md): Chinese text in a PDF must be real
	// text, and no smaller free TrueType font covers both scripts.
	"internal/pdf/fonts/DroidSansFallbackFull.ttf": "CJK font embedded (as a subset) in generated PDFs",
	// ECharts, vendored by scripts/vendor-static.sh so builds never reach
	// the network: the charts of the evaluation and survey pages.
	"internal/web/kit/static/vendor/echarts.min.js": "vendored ECharts",
}

// root is the repository's top directory.
const root = "../.."

// trackedFiles lists the files the repository tracks: git's list in a
// checkout, every file in a `git archive` copy (which holds only those).
func trackedFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		cmd := exec.Command("git", "ls-files", "-z")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git ls-files: %v", err)
		}
		var files []string
		for _, f := range bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0}) {
			files = append(files, string(f))
		}
		return files
	}
	// What .ci/run installs into the copy (axe-core under a directory
	// .gitignore names) is not the repository's: skip the directories
	// .gitignore lists as "/path/".
	ignored := map[string]bool{}
	if b, err := os.ReadFile(filepath.Join(root, ".gitignore")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "/") && strings.HasSuffix(line, "/") && len(line) > 2 {
				ignored[strings.Trim(line, "/")] = true
			}
		}
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && ignored[filepath.ToSlash(rel)] {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestNoBigTrackedFiles(t *testing.T) {
	t.Parallel()
	files := trackedFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d files; is %s the repository?", len(files), root)
	}
	for _, f := range files {
		fi, err := os.Lstat(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the work tree, not yet committed
		}
		if fi.Size() > maxTracked && deliberateBig[f] == "" {
			t.Errorf("%s is %d bytes: over 1 MB and not listed as deliberate (build outputs stay untracked)", f, fi.Size())
		}
		if fi.Mode()&0o111 != 0 && fi.Mode().IsRegular() && !strings.HasSuffix(f, ".sh") && !strings.HasPrefix(f, ".ci/") &&
			!strings.HasPrefix(f, "scripts/") && !strings.HasPrefix(f, "bench/") {
			t.Errorf("%s is executable: a built binary? scripts belong in scripts/ or bench/", f)
		}
	}
}
