package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). The file must not
// exist yet. For PostgreSQL it refuses and points to pg_dump, which does the
// same job better.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.engine != SQLite {
		return fmt.Errorf("backup of PostgreSQL is pg_dump's job: run pg_dump --format=custom --file=FILE with the same connection settings")
	}
	if path == "" {
		return fmt.Errorf("backup: --to FILE is required")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := s.reader.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
