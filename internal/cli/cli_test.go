package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/config"
	"crisisdesk/internal/store"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs one command in-process with no CRISISDESK_* environment.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := Run(ctx, args, Env{Stdout: &out, Stderr: &errs})
	return result{code, out.String(), errs.String()}
}

// oneLineErr checks that the command failed with exit code 1 and one line
// on stderr holding every want.
func oneLineErr(t *testing.T, r result, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(r.stderr, "\n")
	if r.code != 1 || line == "" || strings.Contains(line, "\n") {
		t.Fatalf("exit %d, stderr %q: want exit 1 and one line", r.code, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr %q does not say %q", line, w)
		}
	}
}

// What stops serve before it serves, each with one line.
func TestServeStopsWithOneLine(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() }) // after the parallel subtests
	tests := []struct {
		name string
		args func(dir string) []string
		want []string
	}{
		{"metrics address in use", func(string) []string {
			return []string{"--metrics-addr", taken.Addr().String()}
		}, []string{"/metrics", taken.Addr().String(), "in use"}},
		{"malformed audit key file", func(dir string) []string {
			path := filepath.Join(dir, "audit.key")
			os.WriteFile(path, []byte("hunter2\n"), 0o600)
			return []string{"--audit-key-file", path}
		}, []string{"audit key file", "malformed"}},
		{"unreadable audit key file", func(dir string) []string {
			path := filepath.Join(dir, "key-dir")
			os.Mkdir(path, 0o700)
			return []string{"--audit-key-file", path}
		}, []string{"audit key file", "key-dir", "not readable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := append([]string{"serve", "--db", "sqlite:" + filepath.Join(dir, "crisisdesk.db"), "--addr", "127.0.0.1:0",
				"--admin-password", "correct horse battery"}, tt.args(dir)...)
			oneLineErr(t, run(t, args...), tt.want...)
		})
	}
}

// audit verify checks the keyed chain with the key file beside the
// database (or named by --audit-key-file), says what it checked, and
// catches a chain cut and re-headed by someone without the key; commands
// that write refuse another key; backups are private.
func TestAuditKeyOnTheCommandLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "crisisdesk.db")
	db := "sqlite:" + dbPath
	a, err := app.New(ctx, app.Options{Passwords: accounttest.WeakHashing(), Config: config.Config{DB: db, Addr: "127.0.0.1:0", AdminPassword: "correct horse battery",
		ShutdownTimeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	a.Stop(ctx)
	key, err := audit.ReadKeyFile(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}

	if r := run(t, "user", "add", "bob", "--role", "editor", "--db", db); r.code != 0 {
		t.Fatalf("user add with the key beside the database: %d %s", r.code, r.stderr)
	}
	r := run(t, "audit", "verify", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "intact") || !strings.Contains(r.stdout, "signed with audit key "+key.ID()) {
		t.Fatalf("audit verify: %d %q %q", r.code, r.stdout, r.stderr)
	}
	missing := filepath.Join(dir, "elsewhere", "audit.key")
	oneLineErr(t, run(t, "audit", "verify", "--db", db, "--audit-key-file", missing), "--audit-key-file")
	oneLineErr(t, run(t, "user", "add", "carol", "--role", "editor", "--db", db, "--audit-key-file", missing), "--audit-key-file")
	other := filepath.Join(dir, "other.key")
	if _, err := audit.CreateKeyFile(other); err != nil {
		t.Fatal(err)
	}
	oneLineErr(t, run(t, "user", "add", "carol", "--role", "editor", "--db", db, "--audit-key-file", other), "not the key")
	if r := run(t, "user", "list", "--db", db, "--audit-key-file", missing); r.code != 0 || !strings.Contains(r.stdout, "bob") {
		t.Fatalf("user list, which only reads, without the key: %d %s", r.code, r.stderr)
	}

	backup := filepath.Join(dir, "backups", "b.db")
	if r := run(t, "backup", "--to", backup, "--db", db); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	// Cut the newest row and re-head the chain at the row before.
	st, err := openStoreDirect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var last, seq int64
	var hash string
	for _, q := range []string{`DROP TRIGGER audit_log_no_delete`} {
		if _, err := st.Writer().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Writer().QueryRowContext(ctx, `SELECT MAX(seq) FROM audit_log`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if err := st.Writer().QueryRowContext(ctx, `SELECT seq, hash FROM audit_log WHERE seq = $1`, last-1).Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM audit_log WHERE seq = $1`, []any{last}},
		{`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, []any{seq, hash}},
	} {
		if _, err := st.Writer().ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	r = run(t, "audit", "verify", "--db", db)
	oneLineErr(t, r, "signature", "row")
}

func openStoreDirect(ctx context.Context, db string) (*store.Store, error) {
	return store.Open(ctx, db, store.Options{Passwords: accounttest.WeakHashing()})
}
