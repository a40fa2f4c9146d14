// Package cli is crisisdesk's command line: one file per command, every
// command taking the same settings. Run returns the process exit code: 0
// for success, 1 when the command failed, 2 for a usage error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"crisisdesk/internal/app"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/config"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
)

// Version is crisisdesk's version, set at build time with
// -ldflags "-X crisisdesk/internal/cli.Version=…".
var Version = "0.1.0-dev"

// Env is the process's outside world, so that tests can run commands
// in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// OSEnv returns the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is one subcommand.
type command struct {
	name    string
	usage   string // arguments after the name
	summary string
	flags   func(fs *flag.FlagSet) // the command's own flags
	run     func(ctx context.Context, c *call) error
}

// call is one invocation: parsed settings, arguments and flags.
type call struct {
	env  Env
	cfg  config.Config
	args []string
	fs   *flag.FlagSet
	log  *slog.Logger
}

func (c *call) str(name string) string { return c.fs.Lookup(name).Value.String() }
func (c *call) flagBool(name string) bool {
	return c.fs.Lookup(name).Value.(flag.Getter).Get().(bool)
}

// usageError is a mistake in how the command was called: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func commands() []command {
	return []command{serveCmd, migrateCmd, userAddCmd, userListCmd, userPasswdCmd, userDisableCmd, userEnableCmd, userResetMFACmd,
		tokenCreateCmd, auditVerifyCmd, backupCmd, demoCmd, setupCmd, versionCmd}
}

// Run runs the command named by args (without the program name).
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if len(args) == 0 {
		printUsage(env.Stderr)
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if cmd, _, ok := find(args[1:]); ok {
				printCommandHelp(env.Stdout, cmd)
				return 0
			}
			fmt.Fprintf(env.Stderr, "crisisdesk: unknown command %q\n", strings.Join(args[1:], " "))
			return 2
		}
		printUsage(env.Stdout)
		return 0
	}
	cmd, rest, ok := find(args)
	if !ok {
		fmt.Fprintf(env.Stderr, "crisisdesk: unknown command %q; run crisisdesk help\n", strings.Join(args, " "))
		return 2
	}
	fs := flag.NewFlagSet("crisisdesk "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	settings := config.Register(fs)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	positional, err := parseInterleaved(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(env.Stdout, cmd)
		return 0
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "crisisdesk %s: %v; run crisisdesk help %s\n", cmd.name, err, cmd.name)
		return 2
	}
	cfg, err := settings.Load(env.Getenv)
	if err != nil {
		fmt.Fprintf(env.Stderr, "crisisdesk: %v\n", err)
		return 2
	}
	c := &call{env: env, cfg: cfg, args: positional, fs: fs, log: newLogger(cfg, env.Stderr)}
	if err := cmd.run(ctx, c); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "crisisdesk %s: %s; run crisisdesk help %s\n", cmd.name, ue.msg, cmd.name)
			return 2
		}
		fmt.Fprintf(env.Stderr, "crisisdesk: %s\n", oneLine(err))
		return 1
	}
	return 0
}

// find matches the longest command name ("user add" before "user").
func find(args []string) (command, []string, bool) {
	for _, cmd := range commands() {
		words := strings.Fields(cmd.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == cmd.name {
			return cmd, args[len(words):], true
		}
	}
	return command{}, nil, false
}

// parseInterleaved parses flags that may come before or after positional
// arguments, as in `user add NAME --role ROLE`.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// oneLine renders an error for the terminal: coded errors as their field
// and message, others as they are, on one line.
func oneLine(err error) string {
	var p *audit.Problem
	if errors.As(err, &p) {
		return p.Error()
	}
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Code != fault.Internal {
		if fe.Field != "" {
			return fe.Field + ": " + fe.Message
		}
		return fe.Message
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	ho := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, ho))
	}
	return slog.New(slog.NewTextHandler(w, ho))
}

// openStore opens the database for a command that changes it: the
// schema must be current, and a keyed audit trail needs its key (from
// --audit-key-file), which must be the one that signed it.
func openStore(ctx context.Context, c *call) (*store.Store, error) {
	st, err := openStoreToRead(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := st.CheckAuditKey(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openStoreToRead opens the database for a command that only reads it:
// the schema must be current; the audit key is loaded when its file
// exists. Only serve and migrate change the schema.
func openStoreToRead(ctx context.Context, c *call) (*store.Store, error) {
	st, err := store.Open(ctx, c.cfg.DB, store.Options{Logger: c.log})
	if err != nil {
		return nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := app.LoadAuditKey(ctx, st, c.cfg.AuditKeyFile, c.log); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "crisisdesk %s: prepare for a crisis, run it, tell the public the truth fast.\n\nUsage:\n  crisisdesk COMMAND [ARGS] [SETTINGS]\n\nCommands:\n", Version)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "  %-16s %s\n\nRun crisisdesk help COMMAND for its arguments and settings.\n", "help [COMMAND]", "show help")
}

func printCommandHelp(w io.Writer, cmd command) {
	fmt.Fprintf(w, "Usage: crisisdesk %s %s\n\n%s\n", cmd.name, cmd.usage, cmd.summary)
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	config.Register(fs)
	own := map[string]bool{}
	if cmd.flags != nil {
		probe := flag.NewFlagSet("", flag.ContinueOnError)
		cmd.flags(probe)
		probe.VisitAll(func(f *flag.Flag) { own[f.Name] = true })
		cmd.flags(fs)
	}
	printFlags := func(title string, want bool) {
		var names []string
		fs.VisitAll(func(f *flag.Flag) {
			if own[f.Name] == want {
				names = append(names, f.Name)
			}
		})
		if len(names) == 0 {
			return
		}
		sort.Strings(names)
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, n := range names {
			f := fs.Lookup(n)
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(w, "  --%-18s %s%s\n", n, f.Usage, def)
		}
	}
	printFlags("Options", true)
	printFlags("Settings (every command)", false)
}
