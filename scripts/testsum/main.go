// Command testsum runs `go test -json …`, prints what a developer needs —
// each package's result, the whole output of every failed test, build
// errors — and ends with every skipped test and why. Under CI (the CI
// variable set) a skipped test fails the run: CI skips nothing.
//
//	go run ./scripts/testsum go test -json -count=1 ./...
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// event is one line of test2json's output.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type key struct{ pkg, test string }

type summary struct {
	out     io.Writer
	output  map[key][]string // output so far of each running test and package
	skipped []string
	failed  []string
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testsum go test -json [flags] [packages]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	s := &summary{out: os.Stdout, output: map[key][]string{}}
	s.read(stdout)
	runErr := cmd.Wait()
	code := s.report(time.Since(start))
	if runErr != nil && code == 0 {
		fmt.Fprintf(os.Stdout, "FAIL: %s: %v\n", strings.Join(os.Args[1:], " "), runErr)
		code = 1
	}
	os.Exit(code)
}

func (s *summary) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintln(s.out, string(line)) // not test2json: build output and the like
			continue
		}
		s.event(e)
	}
}

func (s *summary) event(e event) {
	k := key{e.Package, e.Test}
	switch e.Action {
	case "output", "build-output":
		s.output[k] = append(s.output[k], e.Output)
	case "skip":
		if e.Test != "" {
			s.skipped = append(s.skipped, fmt.Sprintf("%s %s: %s", e.Package, e.Test, reason(s.output[k])))
		}
		delete(s.output, k)
	case "fail":
		if e.Test != "" {
			s.failed = append(s.failed, e.Package+" "+e.Test)
			fmt.Fprintf(s.out, "--- FAIL: %s (%s)\n", e.Test, e.Package)
			for _, l := range s.output[k] {
				fmt.Fprint(s.out, l)
			}
		} else {
			for _, l := range s.output[k] {
				if !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") {
					fmt.Fprint(s.out, l) // the package's own lines: panics, build errors, FAIL line
				}
			}
			if e.Package != "" {
				s.failed = append(s.failed, e.Package)
			}
		}
		delete(s.output, k)
	case "pass":
		if e.Test == "" {
			fmt.Fprintf(s.out, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
		}
		delete(s.output, k)
	}
}

// reason is what a skipped test said: its output without the framework's
// own lines.
func reason(lines []string) string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return "(no reason given)"
	}
	return strings.Join(out, " ")
}

// report prints the skipped and failed tests and returns the exit code.
func (s *summary) report(took time.Duration) int {
	code := 0
	if len(s.skipped) > 0 {
		sort.Strings(s.skipped)
		fmt.Fprintf(s.out, "\nSKIPPED %d test(s):\n", len(s.skipped))
		for _, l := range s.skipped {
			fmt.Fprintln(s.out, "  "+l)
		}
		if os.Getenv("CI") != "" {
			fmt.Fprintln(s.out, "FAIL: tests were skipped under CI, which skips nothing")
			code = 1
		}
	}
	if len(s.failed) > 0 {
		fmt.Fprintf(s.out, "\nFAILED %d:\n", len(s.failed))
		for _, l := range s.failed {
			fmt.Fprintln(s.out, "  "+l)
		}
		code = 1
	}
	fmt.Fprintf(s.out, "testsum: %s in %s\n", map[bool]string{true: "PASS", false: "FAIL"}[code == 0], took.Round(time.Second))
	return code
}
