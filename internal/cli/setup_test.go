package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/config"
)

func runWithInput(t *testing.T, input string, args ...string) result {
	t.Helper()
	var out, errs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := Run(ctx, args, Env{Stdin: strings.NewReader(input), Stdout: &out, Stderr: &errs})
	return result{code, out.String(), errs.String()}
}

// setup asks for the time zone first, asks again after a wrong answer
// naming the problem, and writes a settings file that serve's loader
// reads back.
func TestSetupWritesTheOfficeSettings(t *testing.T) {
	file := filepath.Join(t.TempDir(), "office.toml")
	input := strings.Join([]string{
		"Mars/Olympus_Mons", // not a zone: asked again
		"Asia/Hong_Kong",
		"https://crisis.example.gov.hk",
		"",   // the database offered
		"tw", // glyph standard
		"",   // no mail server
		"",   // the From address offered
	}, "\n") + "\n"
	r := runWithInput(t, input, "setup", "--out", file)
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "The office's time zone") || !strings.Contains(r.stdout, "time-zone: ") ||
		!strings.Contains(r.stdout, "try again") {
		t.Errorf("prompts:\n%s", r.stdout)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`time-zone = "Asia/Hong_Kong"`, `base-url = "https://crisis.example.gov.hk"`, `chinese-variant = "tw"`,
		`db = "sqlite:./data/crisisdesk.db"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("file lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "smtp-url") {
		t.Errorf("an empty mail server is written:\n%s", b)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v: the file may hold passwords", fi.Mode().Perm())
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags := config.Register(fs)
	if err := fs.Parse([]string{"--config", file}); err != nil {
		t.Fatal(err)
	}
	cfg, err := flags.Load(func(string) string { return "" })
	if err != nil || cfg.TimeZone.String() != "Asia/Hong_Kong" || cfg.TimeZoneFromMachine || cfg.ChineseVariant != "tw" ||
		cfg.BaseURL != "https://crisis.example.gov.hk" {
		t.Fatalf("loaded back: %+v %v", cfg, err)
	}

	// Never over an existing file without --force.
	r = runWithInput(t, input, "setup", "--out", file)
	oneLineErr(t, r, file, "--force")
}

// Three wrong answers, or a wrong one at the end of the input, stop setup
// with one line naming the setting.
func TestSetupGivesUpWithOneLine(t *testing.T) {
	dir := t.TempDir()
	for name, input := range map[string]string{
		"three wrong zones": "Nowhere/A\nNowhere/B\nNowhere/C\n",
		"wrong at the end":  "Asia/Hong_Kong\nftp://example.org",
	} {
		r := runWithInput(t, input, "setup", "--out", filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".toml"))
		if name == "three wrong zones" {
			oneLineErr(t, r, "time-zone", "Nowhere/C")
		} else {
			oneLineErr(t, r, "base-url")
		}
	}
}
