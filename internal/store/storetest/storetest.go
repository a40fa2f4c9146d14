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
	"testing"

	"crisisdesk/internal/clock"
	"crisisdesk/internal/store"
	"crisisdesk/internal/testenv"
)

// PostgresEnv names the variable holding the test server's DSN.
const PostgresEnv = testenv.PostgresEnv

// Options tune the store a test gets.
type Options struct {
	Clock clock.Clock
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
	dsn := DSN(tb, engine)
	st, err := store.Open(context.Background(), dsn, store.Options{Clock: opts.Clock})
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s store: %v", engine, err)
	}
	return st
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
