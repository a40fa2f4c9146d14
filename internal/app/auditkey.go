package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/store"
)

// readAuditKey reads the audit key file at path (--audit-key-file): nil
// when it does not exist; an unreadable or malformed file is an error
// fit for one line.
func readAuditKey(path string, log *slog.Logger) (audit.Key, error) {
	k, err := audit.ReadKeyFile(path)
	if errors.Is(err, audit.ErrNoKeyFile) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the audit key file is readable by others than its owner: chmod 600 it", "file", path, "mode", fi.Mode().Perm().String())
	}
	return k, nil
}

// LoadAuditKey gives st the audit key from the file at path, as the
// commands other than serve open the store: a missing file leaves st
// without a key (a keyed chain then refuses new entries and verification,
// saying so). An unreadable or malformed file is an error.
func LoadAuditKey(ctx context.Context, st *store.Store, path string, log *slog.Logger) error {
	k, err := readAuditKey(path, log)
	if err != nil {
		return err
	}
	st.UseAuditKey(k)
	return nil
}

// adoptAuditKey keys the audit chain as serve starts, with k read from
// path (nil: the file does not exist). While the chain is not keyed yet a
// missing file is generated (mode 0600) and the chain is keyed with it from
// its next row on; a chain already keyed must have been keyed with this
// key, and a missing file then stops serve.
func adoptAuditKey(ctx context.Context, st *store.Store, path string, k audit.Key, log *slog.Logger) error {
	head, err := st.AuditHead(ctx)
	if err != nil {
		return err
	}
	switch {
	case k == nil && head.Keyed():
		return fmt.Errorf("audit key file %s not found, but the audit trail is signed with a key from row %d on: "+
			"restore the file or point --audit-key-file at it (every replica needs the same file)", path, head.KeyedFrom)
	case k == nil:
		if k, err = audit.CreateKeyFile(path); err != nil {
			return err
		}
		log.Warn("generated the audit key file: keep it, with a copy stored apart from the database and its backups",
			"file", path, "key", k.ID())
	}
	st.UseAuditKey(k)
	if err := st.AdoptAuditKey(ctx); err != nil {
		return err
	}
	if head, err = st.AuditHead(ctx); err == nil {
		log.Info("audit chain keyed", "key", k.ID(), "from_row", head.KeyedFrom, "file", path)
	}
	return nil
}
