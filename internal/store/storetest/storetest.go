// Package storetest opens real, fresh, migrated databases for tests: a
// SQLite file in a temporary directory always, and a private schema on the
// PostgreSQL server named by CRISISDESK_TEST_POSTGRES when it is set. Each
// test gets its own, so tests run in parallel and leave nothing behind.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"sync"
	"testing"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/store"
	"crisisdesk/internal/testenv"
)

// PostgresEnv names the variable holding the test server's DSN.
const PostgresEnv = testenv.PostgresEnv

// Options tune the store a test gets.
type Options struct {
	Clock clock.Clock
	// AuditKey, when set, keys the audit chain as serve does on start.
	AuditKey audit.Key
}

// Open returns a fresh migrated SQLite store.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	return OpenWith(tb, store.SQLite, Options{})
}

// DSN returns a fresh, empty database for engine and its crisisdesk DSN,
// without opening it. It skips the test when engine is PostgreSQL and no
// test server is configured.
func DSN(tb testing.TB, engine store.Engine) string {
	tb.Helper()
	switch engine {
	case store.SQLite:
		return "sqlite:" + filepath.Join(tb.TempDir(), "crisisdesk.db")
	case store.Postgres:
		return freshSchema(tb)
	}
	tb.Fatalf("unknown engine %q", engine)
	return ""
}

// OpenWith returns a fresh migrated store on engine.
func OpenWith(tb testing.TB, engine store.Engine, opts Options) *store.Store {
	tb.Helper()
	return OpenAt(tb, DSN(tb, engine), opts)
}

// OpenAt opens and migrates the store at dsn (from DSN); a second store at
// the same dsn is a second replica (PostgreSQL) or process (SQLite) on the
// same data.
func OpenAt(tb testing.TB, dsn string, opts Options) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), dsn, store.Options{Clock: opts.Clock, Passwords: accounttest.WeakHashing()})
	if err != nil {
		tb.Fatalf("open store %s: %v", store.Redact(dsn), err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate store %s: %v", store.Redact(dsn), err)
	}
	if opts.AuditKey != nil {
		st.UseAuditKey(opts.AuditKey)
		if err := st.AdoptAuditKey(context.Background()); err != nil {
			tb.Fatalf("adopt the audit key: %v", err)
		}
	}
	return st
}

// HoldWriteLock stalls every writer of the database at dsn from a
// connection of its own, as another process would, until release is
// called (or the test ends). On SQLite it holds the database's write lock
// (BEGIN IMMEDIATE); on PostgreSQL, where writers lock rows, it holds the
// rows a request could wait for: the write probe's, every session's, API
// token's and delivery record's.
func HoldWriteLock(tb testing.TB, dsn string) (release func()) {
	tb.Helper()
	ctx := context.Background()
	engine, conn, err := store.ParseDSN(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	var db *sql.DB
	var stmts []string
	switch engine {
	case store.SQLite:
		db, err = sql.Open("sqlite", "file:"+conn+"?_pragma=busy_timeout(10000)")
		stmts = []string{`BEGIN IMMEDIATE`}
	case store.Postgres:
		db, err = sql.Open("pgx", conn)
		stmts = []string{`BEGIN`, `SELECT id FROM write_probe FOR UPDATE`, `SELECT id FROM sessions FOR UPDATE`,
			`SELECT id FROM api_tokens FOR UPDATE`, `SELECT id FROM deliveries FOR UPDATE`}
	}
	if err != nil {
		tb.Fatal(err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := c.ExecContext(ctx, q); err != nil {
			c.Close()
			db.Close()
			tb.Fatalf("hold the write lock: %s: %v", q, err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := c.ExecContext(ctx, `ROLLBACK`); err != nil {
				tb.Errorf("release the write lock: %v", err)
			}
			c.Close()
			db.Close()
		})
	}
	tb.Cleanup(release)
	return release
}

// Engines returns the engines to test: SQLite always, PostgreSQL when
// configured. For a benchmark, which cannot skip one engine alone. Under CI
// PostgreSQL is required.
func Engines(tb testing.TB) []store.Engine {
	tb.Helper()
	if testenv.HavePostgres() {
		return []store.Engine{store.SQLite, store.Postgres}
	}
	if testenv.CI() {
		testenv.Missing(tb, "PostgreSQL", "set "+PostgresEnv)
	}
	return []store.Engine{store.SQLite}
}

// Each runs f as a parallel subtest on every engine. Without a PostgreSQL
// server its subtest is skipped, saying so (failed under CI).
func Each(t *testing.T, f func(t *testing.T, engine store.Engine)) {
	t.Helper()
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			f(t, e)
		})
	}
}

// freshSchema creates a schema of its own on the test server and returns a
// DSN whose search_path points at it; the schema is dropped at cleanup.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	base := testenv.Postgres(tb)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open test postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
