package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/app"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/config"
	"crisisdesk/internal/delivery"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/message"
	"crisisdesk/internal/store"
)

// result is what a child process reports on its standard output.
type result struct {
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"` // publish → last record written, or → last delivery recorded sent
	Rows    int     `json:"rows"`    // delivery records written, or sent
	Other   int     `json:"other"`   // records of the channel not sent (failed, gave up)
	HWMKB   int64   `json:"hwm_kb"`  // VmHWM: peak resident memory of the process
	BaseKB  int64   `json:"base_kb"` // VmRSS just before Publish, crisisdesk idle
}

// runChild re-executes this program as crisisdesk's side of one phase, so
// that its peak memory is crisisdesk's alone (the receivers stay in the
// parent).
func runChild(ctx context.Context, phase, dsn string, n int, smtpURL, profile string) (result, error) {
	exe, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	args := []string{"-child", phase, "-child-db", dsn, "-child-n", strconv.Itoa(n), "-child-smtp", smtpURL}
	if profile != "" {
		args = append(args, "-profile", profile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%s child: %w", phase, err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("%s child said %q: %w", phase, out, err)
	}
	return r, nil
}

// child is the child process's work: one phase, then its result as JSON.
func child(ctx context.Context, phase, dsn string, n int, smtpURL, profile string) error {
	if profile != "" {
		f, err := os.CreateTemp(profile, phase+"-*.pprof")
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var r result
	var err error
	switch phase {
	case "fanout":
		r, err = childFanout(ctx, dsn)
	case channel.Webhook, channel.Email:
		r, err = childDeliver(ctx, phase, dsn, n, smtpURL)
	default:
		err = fmt.Errorf("unknown phase %q", phase)
	}
	if err != nil {
		return err
	}
	r.Phase = phase
	if r.HWMKB, err = statusKB("VmHWM:"); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// childFanout publishes the notice and runs the engine's fan-out at once,
// as the fan-out job does: the clock runs from just before Publish to the
// last delivery record written.
func childFanout(ctx context.Context, dsn string) (result, error) {
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return result{}, err
	}
	defer st.Close()
	ed, ap, err := staff(ctx, st)
	if err != nil {
		return result{}, err
	}
	n, err := approved(ctx, st, ed, ap)
	if err != nil {
		return result{}, err
	}
	eng := delivery.New(delivery.Options{Store: st.Deliveries(), Notices: st.Notices()})
	base, err := statusKB("VmRSS:")
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	if _, err := st.Notices().Publish(ctx, ap, n.ID); err != nil {
		return result{}, fmt.Errorf("publish: %w", err)
	}
	if err := eng.Fanout(ctx, n.ID); err != nil {
		return result{}, err
	}
	el := time.Since(start)
	var rows int
	if err := st.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE notice_id = $1`, n.ID).Scan(&rows); err != nil {
		return result{}, fmt.Errorf("count delivery records: %w", err)
	}
	return result{Seconds: el.Seconds(), Rows: rows, BaseKB: base}, nil
}

// childDeliver boots crisisdesk as serve does (app.New, River workers,
// default delivery settings except no rate limit), publishes the notice and
// waits until every delivery of the channel is recorded sent.
func childDeliver(ctx context.Context, ch, dsn string, n int, smtpURL string) (result, error) {
	cfg := config.Config{DB: dsn, Addr: "127.0.0.1:0", LogLevel: "warn", ShutdownTimeout: 30 * time.Second,
		MailFrom: mailFrom, DeliveryWorkers: 6, DeliveryTakeover: 30 * time.Second}
	if ch == channel.Email {
		cfg.SMTPURL = smtpURL
	}
	// PostgreSQL replicas share a key file named by the settings; the
	// child makes a fresh one, as it does beside a SQLite file.
	keyDir, err := os.MkdirTemp("", "crisisdesk-bench-key-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(keyDir)
	cfg.AuditKeyFile = filepath.Join(keyDir, "audit.key")
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, app.Options{Config: cfg, Logger: log})
	if err != nil {
		return result{}, err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a.Stop(sctx)
	}()
	if err := a.Start(ctx); err != nil {
		return result{}, err
	}
	ed, ap, err := staff(ctx, a.Store)
	if err != nil {
		return result{}, err
	}
	nt, err := approved(ctx, a.Store, ed, ap)
	if err != nil {
		return result{}, err
	}
	base, err := statusKB("VmRSS:")
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	if _, err := a.Store.Notices().Publish(ctx, ap, nt.ID); err != nil {
		return result{}, fmt.Errorf("publish: %w", err)
	}
	// A cheap look every 100 ms (is the fan-out done, is anything of the
	// channel left to send?), over a connection of its own so that
	// watching costs the run little; the full count comes once at the end.
	watch, err := openWatcher(dsn)
	if err != nil {
		return result{}, err
	}
	defer watch.Close()
	for {
		var done bool
		var left int
		err := watch.QueryRowContext(ctx, `SELECT
			(SELECT done FROM fanouts WHERE notice_id = $1),
			(SELECT COUNT(*) FROM (SELECT 1 FROM deliveries WHERE notice_id = $1 AND channel = $2
				AND state IN ('queued', 'failed') LIMIT 1) x)`, nt.ID, ch).Scan(&done, &left)
		if err != nil {
			return result{}, fmt.Errorf("watch the delivery: %w", err)
		}
		if done && left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return result{}, fmt.Errorf("waiting for %d %s deliveries: %w", n, ch, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	el := time.Since(start)
	ps, err := a.Store.Deliveries().Progress(ctx, nt.ID)
	if err != nil {
		return result{}, err
	}
	for _, p := range ps {
		if p.Channel == ch {
			return result{Seconds: el.Seconds(), Rows: p.Sent, Other: p.Total() - p.Sent, BaseKB: base}, nil
		}
	}
	return result{}, fmt.Errorf("no %s deliveries at all (progress %+v)", ch, ps)
}

// openWatcher opens one plain read connection to the database.
func openWatcher(dsn string) (*sql.DB, error) {
	engine, conn, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	if engine == store.SQLite {
		db, err = sql.Open("sqlite", "file:"+conn+"?_pragma=busy_timeout(10000)&mode=ro")
	} else {
		db, err = sql.Open("pgx", conn)
	}
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// statusKB reads one of the process's memory figures in kB from
// /proc/self/status: VmHWM (peak resident set) or VmRSS (resident now).
func statusKB(field string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}

// renderer is crisisdesk's message renderer with its catalogues.
func renderer() (*message.Renderer, error) {
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	return message.New(cat)
}
