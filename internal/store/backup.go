package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot). The copy holds
// everything, password hashes and subscribers' addresses included, so it
// is created readable and writable by its owner alone (mode 0600, whatever
// the umask) before SQLite fills it. The file must not exist yet. For
// PostgreSQL it refuses and points to pg_dump, which does the same job
// better.
func (s *Store) Backup(ctx context.Context, path string) (err error) {
	if s.engine != SQLite {
		return fmt.Errorf("backup of PostgreSQL is pg_dump's job: run pg_dump --format=custom --file=FILE with the same connection settings")
	}
	if path == "" {
		return fmt.Errorf("backup: --to FILE is required")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// O_EXCL refuses an existing file (or a link where the file would
	// be) without a window between the check and the creation.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s already exists; choose a new file", path)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(path) // ours, and incomplete
		}
	}()
	// The umask may have taken bits from 0600; set it exactly.
	if err := errors.Join(f.Chmod(0o600), f.Close()); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// VACUUM INTO fills an empty file and keeps its mode.
	if _, err := s.reader.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
