package cli

import (
	"context"
	"flag"
	"fmt"

	"crisisdesk/internal/app"
	"crisisdesk/internal/config"
	"crisisdesk/internal/demo"
)

var serveCmd = command{
	name:    "serve",
	summary: "run the server: apply migrations, start the web UI, API and background jobs",
	usage:   "[--demo]",
	flags: func(fs *flag.FlagSet) {
		fs.Bool("demo", false, "load the demo data first (as crisisdesk demo does)")
	},
	run: runServe,
}

func runServe(ctx context.Context, c *call) error {
	if len(c.args) > 0 {
		return usagef("unexpected argument %q", c.args[0])
	}
	if c.log.Enabled(ctx, -4) {
		var b writerBuf
		config.Dump(&b, c.cfg)
		c.log.Debug("settings\n" + b.String())
	}
	if c.flagBool("demo") && c.cfg.TimeZoneFromMachine {
		// The demo office is in Hong Kong.
		c.cfg.TimeZone, _ = config.ParseTimeZone("Asia/Hong_Kong")
		c.cfg.TimeZoneFromMachine = false
	}
	if c.cfg.TimeZoneFromMachine {
		fmt.Fprintf(c.env.Stdout, "time zone %s, the machine's: set --time-zone to the office's, e.g. Asia/Hong_Kong\n", c.cfg.TimeZone)
	}
	a, err := app.New(ctx, app.Options{Config: c.cfg, Logger: c.log, Version: Version, Out: c.env.Stdout})
	if err != nil {
		return err
	}
	if c.flagBool("demo") {
		if _, err := demo.Load(ctx, a.Store, a.Store.Clock().Now(), c.env.Stdout); err != nil {
			a.Stop(context.Background())
			return err
		}
	}
	if err := a.Start(ctx); err != nil {
		a.Stop(context.Background())
		return err
	}
	fmt.Fprintf(c.env.Stdout, "crisisdesk %s serving on http://%s\n", Version, a.Addr())
	if m := a.MetricsAddr(); m != "" {
		fmt.Fprintf(c.env.Stdout, "metrics on http://%s/metrics\n", m)
	}
	var serveErr error
	select {
	case <-ctx.Done():
		c.log.Info("shutting down", "timeout", c.cfg.ShutdownTimeout)
	case serveErr = <-a.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), c.cfg.ShutdownTimeout)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if serveErr != nil {
		return serveErr
	}
	c.log.Info("stopped cleanly")
	return nil
}

type writerBuf struct{ b []byte }

func (w *writerBuf) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
func (w *writerBuf) String() string              { return string(w.b) }
