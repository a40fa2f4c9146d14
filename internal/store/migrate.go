package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered schema change. The same numbers exist for both
// engines; each engine has its own DDL.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the engine's migrations in order.
func Migrations(engine Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s: want NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	// Numbers are handed out to branches worked on at once, so one may
	// be missing until they are merged; none may repeat.
	for i, m := range out {
		if m.Version < 1 || i > 0 && m.Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations for %s: version %d is not a new positive number", engine, m.Version)
		}
	}
	return out, nil
}

// newestOf is the highest version of ms.
func newestOf(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
)`

// SchemaVersion returns the applied schema version and the newest this
// build knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	ms, err := Migrations(s.engine)
	if err != nil {
		return 0, 0, err
	}
	latest = newestOf(ms)
	var exists bool
	switch s.engine {
	case SQLite:
		err = s.reader.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists)
	case Postgres:
		err = s.reader.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists)
	}
	if err != nil {
		return 0, latest, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, latest, nil
	}
	if err := s.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, latest, fmt.Errorf("read schema version: %w", err)
	}
	return current, latest, nil
}

// ErrNewerSchema is returned when the database was written by a newer
// crisisdesk.
type ErrNewerSchema struct{ Current, Latest int }

func (e *ErrNewerSchema) Error() string {
	return fmt.Sprintf("database schema is at version %d but this crisisdesk knows only up to %d: it was written by a newer crisisdesk; upgrade crisisdesk instead", e.Current, e.Latest)
}

// CheckSchema returns an error unless the schema is exactly current.
func (s *Store) CheckSchema(ctx context.Context) error {
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case cur > latest:
		return &ErrNewerSchema{cur, latest}
	case cur < latest:
		return fmt.Errorf("database schema is at version %d of %d: run crisisdesk migrate", cur, latest)
	}
	return nil
}

// Migrate applies every pending migration, each in its own transaction
// together with its Go fixup, if it has one (fixups), and its row in
// schema_migrations, then River's own migrations.
// It refuses to touch a database written by a newer crisisdesk. It returns
// the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	ms, err := Migrations(s.engine)
	if err != nil {
		return nil, err
	}
	if s.engine == Postgres {
		// Replicas starting together take turns: one migrates, the others
		// wait and then find nothing to do.
		conn, err := s.writer.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7231000)`); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7231000)`) //nolint:errcheck // released with the connection anyway
	}
	if _, err := s.writer.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	// One read tells a current schema, the common case at every start;
	// each migration missing is applied in its own transaction, which
	// looks again (another replica may have applied it meanwhile).
	recorded, err := s.recordedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range ms {
		if recorded[m.Version] {
			continue
		}
		did, err := s.applyMigration(ctx, m, newestOf(ms))
		if err != nil {
			return applied, err
		}
		if did {
			applied = append(applied, m.Version)
		}
	}
	if err := s.migrateRiver(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// recordedVersions reads the versions schema_migrations records; it
// refuses a database written by a newer crisisdesk.
func (s *Store) recordedVersions(ctx context.Context) (map[int]bool, error) {
	ms, err := Migrations(s.engine)
	if err != nil {
		return nil, err
	}
	rows, err := s.writer.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema versions: %w", err)
	}
	defer rows.Close()
	out := map[int]bool{}
	latest := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema versions: %w", err)
		}
		out[v], latest = true, max(latest, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema versions: %w", err)
	}
	if latest > newestOf(ms) {
		return nil, &ErrNewerSchema{latest, newestOf(ms)}
	}
	return out, nil
}

func (s *Store) applyMigration(ctx context.Context, m Migration, latest int) (bool, error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %d: begin: %w", m.Version, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	if s.engine == Postgres {
		// Replicas starting together take turns.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7231001)`); err != nil {
			return false, fmt.Errorf("migration %d: lock: %w", m.Version, err)
		}
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return false, fmt.Errorf("migration %d: read version: %w", m.Version, err)
	}
	if cur > latest {
		return false, &ErrNewerSchema{cur, latest}
	}
	var recorded bool
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM schema_migrations WHERE version = $1`, m.Version).Scan(&recorded); err != nil {
		return false, fmt.Errorf("migration %d: read version: %w", m.Version, err)
	}
	if recorded {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("migration %d (%s) failed, nothing of it was applied: %w", m.Version, m.Name, err)
	}
	if fix := fixups[m.Name]; fix != nil {
		if err := fix(ctx, &Tx{tx: tx, store: s, Now: s.clock.Now()}); err != nil {
			return false, fmt.Errorf("migration %d (%s) failed, nothing of it was applied: %w", m.Version, m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, s.clock.Now()); err != nil {
		return false, fmt.Errorf("migration %d: record: %w", m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %d: commit: %w", m.Version, err)
	}
	s.log.Info("applied migration", "version", m.Version, "name", m.Name)
	return true, nil
}

// migrateRiver brings River's job tables up to the version this build's
// River needs. River applies each of its versions in its own transaction,
// since on PostgreSQL some add enum values that cannot be used in the
// transaction that adds them.
func (s *Store) migrateRiver(ctx context.Context) error {
	var res *rivermigrate.MigrateResult
	var m *rivermigrate.Migrator[*sql.Tx]
	var err error
	switch s.engine {
	case SQLite:
		m, err = rivermigrate.New(riversqlite.New(s.writer), nil)
	case Postgres:
		m, err = rivermigrate.New(riverdatabasesql.New(s.writer), nil)
	}
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	// Validating is one read; migrating a current schema costs more.
	if v, err := m.Validate(ctx, nil); err == nil && v.OK {
		return nil
	}
	if res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if res != nil && len(res.Versions) > 0 {
		s.log.Info("applied river migrations", "count", len(res.Versions))
	}
	return nil
}
