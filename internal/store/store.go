// Package store keeps crisisdesk's data in SQLite (embedded, the default) or
// PostgreSQL (several replicas on one server), with one set of queries for
// both. It implements the domain services (account.Service, audit.Service)
// over database/sql.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/live"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plan"
)

// Options configure a Store.
type Options struct {
	Clock  clock.Clock
	Logger *slog.Logger
	// Live receives change events after commit; nil for none.
	Live *live.Broker
	// Passwords is the cost of the password hashes the store makes; the
	// zero value is account.Production. Only tests set it (accounttest).
	Passwords account.Hashing
}

// Store is an open database.
type Store struct {
	engine Engine
	dsn    string // the driver's connection string
	// writer carries every write. On SQLite it holds one connection, so
	// that writers queue in Go instead of failing with SQLITE_BUSY; on
	// PostgreSQL it is the only pool and reader is the same.
	writer *sql.DB
	reader *sql.DB
	clock  clock.Clock
	log    *slog.Logger
	live   *live.Broker
	origin string // this store among replicas, for live events
	// inserter enqueues River jobs inside our transactions. It is an
	// insert-only client; the jobs package runs the working client.
	inserter *river.Client[*sql.Tx]
	// lastUsed holds the last use of sessions and tokens until a flush
	// writes it (lastused.go).
	lastUsed *lastUsed
	// office caches the office's profile (office.go).
	office officeCache
	probe  writeProbe // readiness write probe (probe.go)
	// auditKey signs the keyed part of the audit chain; nil when none was
	// given (auditkey.go).
	auditKey audit.Key
	// intake queues feedback submissions for their group commit
	// (feedback_intake.go).
	intake feedbackIntake
	// passwords is the cost of new password hashes.
	passwords account.Hashing
}

// Open connects to the database named by dsn ("sqlite:PATH" or
// "postgres://…"). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	engine, conn, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{engine: engine, dsn: conn, clock: opts.Clock, log: opts.Logger, live: opts.Live, origin: newOrigin(),
		lastUsed: newLastUsed(), passwords: opts.Passwords}
	switch engine {
	case SQLite:
		err = s.openSQLite(ctx, conn)
	case Postgres:
		err = s.openPostgres(ctx, conn)
	}
	if err != nil {
		return nil, err
	}
	var driverErr error
	switch engine {
	case SQLite:
		s.inserter, driverErr = river.NewClient(riversqlite.New(s.writer), &river.Config{})
	case Postgres:
		s.inserter, driverErr = river.NewClient(riverdatabasesql.New(s.writer), &river.Config{})
	}
	if driverErr != nil {
		s.Close()
		return nil, fmt.Errorf("job inserter: %w", driverErr)
	}
	return s, nil
}

func (s *Store) openSQLite(ctx context.Context, path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data directory %s: %w", dir, err)
	}
	if err := checkWritable(dir); err != nil {
		return err
	}
	// busy_timeout comes before journal_mode so that switching to WAL
	// waits for a lock instead of failing.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_time_format", "sqlite")
	q.Set("_txlock", "immediate")
	base := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", base)
	if err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base)
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s.writer, s.reader = w, r
	return nil
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".crisisdesk-write-check-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("open postgres %s: %w", Redact(dsn), err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("connect to postgres %s: %w", Redact(dsn), err)
	}
	s.writer, s.reader = db, db
	return nil
}

// Engine returns the engine in use.
func (s *Store) Engine() Engine { return s.engine }

// DSN returns the driver connection string (secret: do not log it; use
// Redact).
func (s *Store) DSN() string { return s.dsn }

// Writer returns the write pool, for the job runner on SQLite.
func (s *Store) Writer() *sql.DB { return s.writer }

// Stats returns the write pool's statistics, for metrics.
func (s *Store) Stats() sql.DBStats { return s.writer.Stats() }

// ReaderStats returns the read pool's statistics, for metrics.
func (s *Store) ReaderStats() sql.DBStats { return s.reader.Stats() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return nil
}

// Clock returns the store's clock.
func (s *Store) Clock() clock.Clock { return s.clock }

// Close closes the pools.
func (s *Store) Close() error {
	var errs []error
	if s.reader != nil && s.reader != s.writer {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	return errors.Join(errs...)
}

// Accounts returns the account service.
func (s *Store) Accounts() account.Service { return &accounts{s} }

// Audit returns the audit service.
func (s *Store) Audit() audit.Service { return &auditLog{s} }

// Crises returns the crisis service.
func (s *Store) Crises() crisis.Service { return &crises{s} }

// Notices returns the notice service.
func (s *Store) Notices() notice.Service { return &notices{s} }

// Plans returns the plan and catalogue service.
func (s *Store) Plans() plan.Service { return &plans{s} }
