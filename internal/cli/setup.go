package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"crisisdesk/internal/config"
)

var setupCmd = command{
	name:    "setup",
	usage:   "[--out FILE] [--force]",
	summary: "ask for the office's settings (time zone first) and write them to a TOML settings file for --config",
	flags: func(fs *flag.FlagSet) {
		fs.String("out", "crisisdesk.toml", "the settings file to write")
		fs.Bool("force", false, "overwrite the file if it exists")
	},
	run: runSetup,
}

// setupQuestion is one setting the setup asks for, in the order asked.
type setupQuestion struct {
	option string // the settings table's name, which is the TOML key
	prompt string
	// fallback is the answer an empty line takes; "" means the current
	// setting (flag, environment or default).
	fallback func(c *call) string
	// omitEmpty leaves an empty answer out of the file; required refuses it.
	omitEmpty, required bool
}

var setupQuestions = []setupQuestion{
	{option: "time-zone", prompt: "The office's time zone (IANA name, such as Asia/Hong_Kong or Asia/Taipei)",
		fallback: func(c *call) string {
			if c.cfg.TimeZone != nil && !c.cfg.TimeZoneFromMachine {
				return c.cfg.TimeZone.String()
			}
			if z := config.MachineZone().String(); z != "Local" {
				return z
			}
			return "" // the machine does not say: the office must
		}, required: true},
	{option: "base-url", prompt: "The address people use to reach crisisdesk (https://…)",
		fallback: func(c *call) string { return c.cfg.BaseURL }},
	{option: "db", prompt: "The database (sqlite:PATH, or postgres://USER:PASS@HOST:PORT/DB)",
		fallback: func(c *call) string { return c.cfg.DB }},
	{option: "chinese-variant", prompt: "Traditional Chinese glyph standard: hk (Hong Kong), tw (Taiwan) or std",
		fallback: func(c *call) string { return c.cfg.ChineseVariant }},
	{option: "smtp-url", prompt: "The mail server, smtp://USER:PASS@HOST:587 (empty: no e-mail)",
		fallback: func(c *call) string { return c.cfg.SMTPURL }, omitEmpty: true},
	{option: "mail-from", prompt: "The From address of crisisdesk's e-mail",
		fallback: func(c *call) string { return c.cfg.MailFrom }},
}

// setupTries is how often a wrong answer is asked again before setup gives up.
const setupTries = 3

// runSetup asks each question on the terminal, checks each answer with the
// settings table's own rule (asking again, naming the problem), and writes
// the file. The time zone is asked first and never left silently as UTC:
// the machine's zone is offered, by name.
func runSetup(ctx context.Context, c *call) error {
	if len(c.args) != 0 {
		return usagef("setup takes no arguments")
	}
	out := c.str("out")
	if out == "" {
		return usagef("--out must name a file")
	}
	if _, err := os.Stat(out); err == nil && !c.flagBool("force") {
		return fmt.Errorf("setup: %s exists; pass --force to overwrite it", out)
	}
	in := bufio.NewReader(c.env.Stdin)
	answers := make([][2]string, 0, len(setupQuestions))
	for _, q := range setupQuestions {
		v, err := ask(c, in, q)
		if err != nil {
			return err
		}
		if v == "" && q.omitEmpty {
			continue
		}
		answers = append(answers, [2]string{q.option, v})
	}
	var b strings.Builder
	b.WriteString("# crisisdesk settings, written by `crisisdesk setup`. Use with --config.\n")
	b.WriteString("# Every key is a flag name; see `crisisdesk serve -h`.\n")
	for _, a := range answers {
		fmt.Fprintf(&b, "%s = %s\n", a[0], strconv.Quote(a[1]))
	}
	// The file may hold the database and mail passwords: owner only.
	if err := os.WriteFile(out, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("setup: write %s: %w", out, err)
	}
	fmt.Fprintf(c.env.Stdout, "wrote %s; start with: crisisdesk serve --config %s\n", out, out)
	return nil
}

// ask puts q, reads one line and checks it. An empty line, or the end of
// the input, takes the offered answer.
func ask(c *call, in *bufio.Reader, q setupQuestion) (string, error) {
	o, ok := findOption(q.option)
	if !ok {
		return "", fmt.Errorf("setup: no setting %q", q.option)
	}
	offer := q.fallback(c)
	for try := 1; ; try++ {
		if offer != "" && !o.Secret {
			fmt.Fprintf(c.env.Stdout, "%s [%s]: ", q.prompt, offer)
		} else {
			fmt.Fprintf(c.env.Stdout, "%s: ", q.prompt)
		}
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("setup: read the answer for %s: %w", q.option, err)
		}
		v := strings.TrimSpace(line)
		if v == "" {
			v = offer
		}
		if errors.Is(err, io.EOF) && line == "" {
			fmt.Fprintln(c.env.Stdout)
		}
		verr := error(nil)
		if v == "" && q.required {
			verr = errors.New("an answer is needed")
		} else if o.Validate != nil && (v != "" || o.Default != "") {
			verr = o.Validate(v)
		}
		if verr == nil {
			return v, nil
		}
		if try >= setupTries || errors.Is(err, io.EOF) {
			return "", fmt.Errorf("setup: %s %q: %w", q.option, v, verr)
		}
		fmt.Fprintf(c.env.Stdout, "  %s: %v; try again\n", q.option, verr)
	}
}

func findOption(name string) (config.Option, bool) {
	for _, o := range config.Options {
		if o.Name == name {
			return o, true
		}
	}
	return config.Option{}, false
}
