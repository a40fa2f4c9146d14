// Command delivery measures crisisdesk's delivery engine at scale, on
// loopback only, and prints a table:
//
//   - fan-out: N subscribers (default 1,000,000) written in bulk (not timed),
//     then the clock runs from Publish to the last delivery record written
//     by the engine's fan-out (batches of 5,000, INSERT … SELECT);
//   - webhooks: a local receiver is first loaded alone by a plain concurrent
//     Go client (requests/s); then crisisdesk (app.New with its River
//     workers, no rate limit) delivers one notice to W webhook subscribers
//     pointing at it (default 200,000); the sustained rate is what arrived
//     divided by the time from the first arrival to the last, and the ratio
//     is that rate over the receiver alone;
//   - e-mail: the same with an in-process SMTP server (go-smtp, bodies
//     discarded), loaded alone through crisisdesk's own e-mail sender, then
//     E e-mail subscribers (default 50,000);
//   - peak memory: crisisdesk's side of each phase runs in a child process
//     (this program re-executed) that reports its VmHWM.
//
// Each phase gets a fresh database: a SQLite file in a temporary directory,
// or a new schema on the PostgreSQL server -pg names; both are removed at
// the end. Every receiver checks that each subscriber was reached, counts
// repeats, and verifies the signature of a sample of webhooks.
//
//	go run ./bench/delivery                          # both engines, 1 run
//	go run ./bench/delivery -runs 3 -engines sqlite
//	bench/delivery.sh                                # builds, then 3 runs on both
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"crisisdesk/internal/store"
)

// settings are the command line.
type settings struct {
	engines               []store.Engine
	pg                    string
	runs                  int
	fanout, hooks, emails int
	alone                 time.Duration
	hookConc, mailConc    int
	profile               string
}

func main() {
	var s settings
	engines := flag.String("engines", "sqlite,postgres", "engines to measure, comma-separated")
	flag.StringVar(&s.pg, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL server (a fresh schema is made there per phase)")
	flag.IntVar(&s.runs, "runs", 1, "runs of every phase; the summary gives medians")
	flag.IntVar(&s.fanout, "fanout", 1_000_000, "subscribers of the fan-out phase (0 skips it)")
	flag.IntVar(&s.hooks, "webhooks", 200_000, "webhook subscribers of the webhook phase (0 skips it)")
	flag.IntVar(&s.emails, "emails", 50_000, "e-mail subscribers of the e-mail phase (0 skips it)")
	flag.DurationVar(&s.alone, "alone", 5*time.Second, "how long each receiver is loaded alone")
	flag.IntVar(&s.hookConc, "hook-conc", 128, "concurrent requests of the plain client against the webhook receiver alone")
	flag.IntVar(&s.mailConc, "mail-conc", 16, "concurrent sends against the SMTP server alone")
	flag.StringVar(&s.profile, "profile", "", "directory for a CPU profile of crisisdesk's side of each phase")
	timeout := flag.Duration("timeout", 60*time.Minute, "bound on the whole run")
	childPhase := flag.String("child", "", "internal: run crisisdesk's side of one phase")
	childDB := flag.String("child-db", "", "internal")
	childN := flag.Int("child-n", 0, "internal")
	childSMTP := flag.String("child-smtp", "", "internal")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if *childPhase != "" {
		if err := child(ctx, *childPhase, *childDB, *childN, *childSMTP, s.profile); err != nil {
			fmt.Fprintln(os.Stderr, "delivery (child):", err)
			os.Exit(1)
		}
		return
	}
	for _, e := range strings.Split(*engines, ",") {
		switch e := store.Engine(strings.TrimSpace(e)); e {
		case store.SQLite, store.Postgres:
			s.engines = append(s.engines, e)
		default:
			fmt.Fprintf(os.Stderr, "delivery: -engines: unknown engine %q (want sqlite, postgres)\n", e)
			os.Exit(2)
		}
	}
	if s.runs < 1 || s.fanout < 0 || s.hooks < 0 || s.emails < 0 || s.hookConc < 1 || s.mailConc < 1 {
		fmt.Fprintln(os.Stderr, "delivery: -runs, -hook-conc and -mail-conc must be 1 or more; sizes 0 or more")
		os.Exit(2)
	}
	if err := run(ctx, s); err != nil {
		fmt.Fprintln(os.Stderr, "delivery:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, s settings) error {
	var rows []row
	fmt.Printf("%d cores, %d run(s); every line is one run\n\n", numCPU(), s.runs)
	printHeader()
	for r := 1; r <= s.runs; r++ {
		for _, e := range s.engines {
			for _, ph := range []struct {
				name string
				n    int
				do   func(context.Context, store.Engine, settings) (row, error)
			}{
				{"fanout", s.fanout, measureFanout},
				{"webhook", s.hooks, measureWebhooks},
				{"email", s.emails, measureEmail},
			} {
				if ph.n == 0 {
					continue
				}
				rw, err := ph.do(ctx, e, s)
				if err != nil {
					return fmt.Errorf("run %d, %s, %s: %w", r, e, ph.name, err)
				}
				rw.run, rw.load = r, loadAverage()
				printRow(rw)
				rows = append(rows, rw)
			}
		}
	}
	if s.runs > 1 {
		fmt.Printf("\nmedians of %d runs\n\n", s.runs)
		printHeader()
		for _, m := range medians(rows) {
			m.load = "–"
			printRow(m)
		}
	}
	return nil
}
