package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/config"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// newAt builds (without starting) an app on dsn with the audit key file
// at keyFile ("" for the default), and stops it at the end of the test.
func newAt(t *testing.T, dsn, keyFile string) (*app.App, error) {
	t.Helper()
	a, err := app.New(context.Background(), app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{
		DB: dsn, Addr: "127.0.0.1:0", AdminPassword: testPassword, LogLevel: "error",
		ShutdownTimeout: 5 * time.Second, AuditKeyFile: keyFile,
	}})
	if err == nil {
		t.Cleanup(func() { a.Stop(context.Background()) })
	}
	return a, err
}

// On first start the key file is made beside the SQLite database, private
// to its owner, and the whole trail is keyed; later starts use it.
func TestAuditKeyMadeOnFirstStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "crisisdesk.db")
	a, err := newAt(t, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "audit.key")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit key file beside the database: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}
	key, err := audit.ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.Store.AuditHead(ctx)
	if err != nil || h.KeyedFrom != 1 || !h.SignedBy(key) {
		t.Fatalf("head %+v %v: want keyed from row 1 and signed with the file's key", h, err)
	}
	if n, err := a.Store.Audit().Verify(ctx); err != nil || n < 2 {
		t.Fatalf("verify: %d %v", n, err)
	}
	a.Stop(ctx)

	again, err := newAt(t, dsn, "")
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if !again.Store.AuditKey().Equal(key) {
		t.Fatal("the second start did not use the key file")
	}
	if h2, _ := again.Store.AuditHead(ctx); h2.KeyedFrom != 1 {
		t.Fatalf("the second start moved the marker to %d", h2.KeyedFrom)
	}
}

// An office upgrading keeps its plain rows; the chain is keyed from the
// next one.
func TestAuditKeyOnAnExistingDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t, store.SQLite)
	old := storetest.OpenAt(t, dsn, storetest.Options{})
	for _, action := range []string{"one", "two", "three"} {
		if err := old.Audit().Record(ctx, authz.System(authz.SourceCLI, "test"), "test."+action, "test", "", nil); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	a, err := newAt(t, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.Store.AuditHead(ctx)
	if err != nil || h.KeyedFrom != 4 {
		t.Fatalf("head %+v %v: want keyed from row 4", h, err)
	}
	if n, err := a.Store.Audit().Verify(ctx); err != nil || n < 4 {
		t.Fatalf("verify: %d %v", n, err)
	}
}

// What stops serve, each with one line that names the file and the cause.
func TestAuditKeyFileProblemsStopTheStart(t *testing.T) {
	t.Parallel()
	good := strings.Repeat("ab", audit.KeySize)
	tests := []struct {
		name  string
		setup func(t *testing.T, dir, dsn, keyFile string)
		want  []string
	}{
		{"malformed", func(t *testing.T, dir, dsn, keyFile string) {
			os.WriteFile(keyFile, []byte("correct horse battery staple\n"), 0o600)
		}, []string{"malformed", "64 hexadecimal"}},
		{"truncated", func(t *testing.T, dir, dsn, keyFile string) {
			os.WriteFile(keyFile, []byte(good[:40]), 0o600)
		}, []string{"malformed"}},
		{"unreadable", func(t *testing.T, dir, dsn, keyFile string) {
			os.Mkdir(keyFile, 0o700) // a directory is unreadable as a file, even for root
		}, []string{"not readable"}},
		{"lost after the trail was keyed", func(t *testing.T, dir, dsn, keyFile string) {
			if _, err := newAt(t, dsn, keyFile); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(keyFile); err != nil {
				t.Fatal(err)
			}
		}, []string{"not found", "signed with a key from row 1"}},
		{"another key than the trail's", func(t *testing.T, dir, dsn, keyFile string) {
			if _, err := newAt(t, dsn, keyFile); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(keyFile, []byte(good+"\n"), 0o600)
		}, []string{"not the key the audit trail is signed with", "every replica needs the same file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			dsn := "sqlite:" + filepath.Join(dir, "crisisdesk.db")
			keyFile := filepath.Join(dir, "keys", "audit.key")
			os.MkdirAll(filepath.Dir(keyFile), 0o700)
			tt.setup(t, dir, dsn, keyFile)
			_, err := newAt(t, dsn, keyFile)
			if err == nil {
				t.Fatal("the app started")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || (!strings.Contains(msg, keyFile) && !strings.Contains(msg, "key file")) {
				t.Errorf("error %q: want one line naming the key file", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

// Replicas on PostgreSQL share one key file; one given another key is
// refused.
func TestAuditKeyReplicas(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres) // skips without a test server
	t.Parallel()
	ctx := context.Background()
	shared := filepath.Join(t.TempDir(), "audit.key")
	first, err := newAt(t, dsn, shared)
	if err != nil {
		t.Fatal(err)
	}
	second, err := newAt(t, dsn, shared)
	if err != nil {
		t.Fatalf("a replica with the same key file: %v", err)
	}
	if err := second.Store.Audit().Record(ctx, authz.System(authz.SourceCLI, "test"), "test.event", "test", "", nil); err != nil {
		t.Fatal(err)
	}
	if n, err := first.Store.Audit().Verify(ctx); err != nil || n < 2 {
		t.Fatalf("verify across replicas: %d %v", n, err)
	}
	if _, err := newAt(t, dsn, filepath.Join(t.TempDir(), "audit.key")); err == nil || !strings.Contains(err.Error(), "every replica needs the same file") {
		t.Fatalf("a replica that made a key of its own: %v", err)
	}
	if _, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{DB: dsn, Addr: "127.0.0.1:0"}}); err == nil ||
		!strings.Contains(err.Error(), "--audit-key-file") {
		t.Fatalf("an embedded app on PostgreSQL without a key file: %v", err)
	}
}

// A migration that repairs data audits the repair on a chain already
// keyed: the key is loaded before migrating, so the chain stays intact.
func TestMigrationAuditsOnAKeyedChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "crisisdesk.db")
	a, err := newAt(t, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	// A department's name damaged behind crisisdesk's back, and the text
	// repair made to run again on the next start.
	for _, q := range []string{
		`INSERT INTO departments (code, name, created_at, updated_at) VALUES ('ops', 'Operations` + "\v" + `desk', '2026-12-01 00:00:00', '2026-12-01 00:00:00')`,
		`DELETE FROM schema_migrations WHERE name = 'clean_text'`,
	} {
		if _, err := a.Store.Writer().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	a.Stop(ctx)

	again, err := newAt(t, dsn, "")
	if err != nil {
		t.Fatalf("start with the repair pending on a keyed chain: %v", err)
	}
	entries, _, err := again.Store.Audit().List(ctx, audit.Filter{Entity: "department"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "text.repair" {
		t.Fatalf("no text.repair entry for the department: %+v", entries)
	}
	if _, err := again.Store.Audit().Verify(ctx); err != nil {
		t.Fatalf("audit chain after a repair on a keyed chain: %v", err)
	}
}
