package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

var cli = authz.System(authz.SourceCLI, "test")

const pw = "correct horse battery"

func mustUser(t *testing.T, st *store.Store, name string, role authz.Role) account.User {
	t.Helper()
	u, err := st.Accounts().CreateUser(context.Background(), cli, account.NewUser{Name: name, Role: role, Password: pw})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return u
}

func TestMigrationsMatchAcrossEngines(t *testing.T) {
	t.Parallel()
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %d_%s, postgres %d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

func TestMigrateIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		applied, err := st.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, err %v", applied, err)
		}
		if err := st.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
		cur, latest, _ := st.SchemaVersion(ctx)
		err = st.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', $2)`, latest+1, tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.Migrate(ctx)
		var newer *store.ErrNewerSchema
		if !errors.As(err, &newer) || newer.Current != cur+1 {
			t.Fatalf("migrate on newer schema: %v", err)
		}
		if err := st.CheckSchema(ctx); !errors.As(err, &newer) {
			t.Fatalf("CheckSchema on newer schema: %v", err)
		}
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		acc := st.Accounts()
		dep, err := acc.CreateDepartment(ctx, cli, account.DepartmentInput{Code: "health", Name: "衛生署"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := acc.CreateUser(ctx, cli, account.NewUser{Name: " Chan.TaiMan ", DisplayName: "陳大文", Role: authz.Editor,
			DepartmentID: dep.ID, Password: pw, Language: "zh-Hant"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "chan.taiman" || u.DepartmentID != dep.ID || u.Version != 1 || u.CreatedAt.IsZero() {
			t.Fatalf("created %+v", u)
		}
		tests := []struct {
			name  string
			in    account.NewUser
			code  fault.Code
			field string
		}{
			{"duplicate", account.NewUser{Name: "chan.taiman", Role: authz.Editor, Password: pw}, fault.Invalid, "name"},
			{"bad role", account.NewUser{Name: "x1", Role: "king", Password: pw}, fault.Invalid, "role"},
			{"short password", account.NewUser{Name: "x2", Role: authz.Editor, Password: "short"}, fault.Invalid, "password"},
			{"bad name", account.NewUser{Name: "<b>", Role: authz.Editor, Password: pw}, fault.Invalid, "name"},
			{"no department", account.NewUser{Name: "x3", Role: authz.Editor, Password: pw, DepartmentID: 999}, fault.Invalid, "department_id"},
		}
		for _, tt := range tests {
			_, err := acc.CreateUser(ctx, cli, tt.in)
			if fe := fault.As(err); fe.Code != tt.code || fe.Field != tt.field {
				t.Errorf("%s: got %v, want %s on %s", tt.name, err, tt.code, tt.field)
			}
		}
		editor := u.Actor(authz.SourceUI)
		if _, err := acc.CreateUser(ctx, editor, account.NewUser{Name: "x4", Role: authz.Editor, Password: pw}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("editor creating a user: %v", err)
		}
		upd := account.UserUpdate{DisplayName: "Chan Tai Man", Role: authz.Reviewer, DepartmentID: dep.ID, Version: 1}
		u2, err := acc.UpdateUser(ctx, cli, u.ID, upd)
		if err != nil || u2.Version != 2 || u2.Role != authz.Reviewer {
			t.Fatalf("update: %+v %v", u2, err)
		}
		if _, err := acc.UpdateUser(ctx, cli, u.ID, upd); !fault.Is(err, fault.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		if err := acc.DeleteDepartment(ctx, cli, dep.ID); !fault.Is(err, fault.Conflict) {
			t.Errorf("delete department with members: %v", err)
		}
		list, total, err := acc.ListUsers(ctx, account.UserFilter{Query: "TAI", Limit: 10})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != u.ID {
			t.Errorf("search: %v %d %v", list, total, err)
		}
		if _, err := acc.User(ctx, 424242); !fault.Is(err, fault.NotFound) {
			t.Errorf("missing user: %v", err)
		}
		admin := mustUser(t, st, "root", authz.Admin)
		if err := acc.SetDisabled(ctx, cli, admin.ID, true); !fault.Is(err, fault.Invalid) {
			t.Errorf("disabling the last admin: %v", err)
		}
		entries, n, err := st.Audit().List(ctx, audit.Filter{Entity: "user", EntityID: "1"})
		if err != nil || n != 2 || entries[0].Action != "user.update" || !strings.Contains(string(entries[0].Before), "editor") {
			t.Errorf("audit for user 1: %d %+v %v", n, entries, err)
		}
	})
}

func TestSignInSessionsAndTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
		st := storetest.OpenWith(t, engine, storetest.Options{Clock: clk})
		acc := st.Accounts()
		u := mustUser(t, st, "mei", authz.Commander)

		client := func(addr string) account.Client { return account.Client{Address: addr, UserAgent: "test"} }
		if _, err := acc.SignIn(ctx, "mei", "wrong password!", client("10.0.0.1")); !fault.Is(err, fault.Unauthenticated) {
			t.Fatalf("wrong password: %v", err)
		}
		out, err := acc.SignIn(ctx, "MEI", pw, client("10.0.0.1"))
		if err != nil || out.User.ID != u.ID || out.Challenge != "" || out.Method != account.MethodPassword {
			t.Fatalf("sign in: %+v %v", out, err)
		}
		secret := out.Session
		if su, sess, err := acc.SessionUser(ctx, secret); err != nil || su.ID != u.ID || sess.Method != account.MethodPassword {
			t.Fatalf("session user: %v", err)
		}
		clk.Advance(account.SessionIdle + time.Minute)
		if _, _, err := acc.SessionUser(ctx, secret); !fault.Is(err, fault.Unauthenticated) {
			t.Fatalf("idle session still valid: %v", err)
		}
		// Wrong passwords from one address close that address to the
		// account, and only that one.
		for range account.MaxFailuresPerAccountAddress {
			_, _ = acc.SignIn(ctx, "mei", "wrong password!", client("10.0.0.2"))
		}
		if _, err := acc.SignIn(ctx, "mei", pw, client("10.0.0.2")); !fault.Is(err, fault.TooManyRequests) {
			t.Fatalf("throttled address: %v", err)
		}
		if out, err = acc.SignIn(ctx, "mei", pw, client("10.0.0.3")); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		clk.Advance(account.FailureWindow + time.Second)
		if out, err = acc.SignIn(ctx, "mei", pw, client("10.0.0.2")); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		secret = out.Session
		if err := acc.SignOut(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, _, err := acc.SessionUser(ctx, secret); !fault.Is(err, fault.Unauthenticated) {
			t.Fatalf("signed-out session: %v", err)
		}

		tok, meta, err := acc.CreateToken(ctx, cli, u.ID, "ops script")
		if err != nil || !strings.HasPrefix(tok, account.TokenPrefix) {
			t.Fatalf("token: %v", err)
		}
		if tu, err := acc.TokenUser(ctx, tok); err != nil || tu.ID != u.ID {
			t.Fatalf("token user: %v", err)
		}
		if err := acc.RevokeToken(ctx, cli, meta.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := acc.TokenUser(ctx, tok); !fault.Is(err, fault.Unauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
		if n, err := st.PurgeExpired(ctx); err != nil || n == 0 {
			t.Fatalf("purge: %d %v", n, err)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		for _, tamper := range []string{"edit", "delete", "delete-newest"} {
			t.Run(tamper, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				st := storetest.OpenWith(t, engine, storetest.Options{})
				for _, n := range []string{"a1", "a2", "a3"} {
					mustUser(t, st, n, authz.Observer)
				}
				if n, err := st.Audit().Verify(ctx); err != nil || n != 3 {
					t.Fatalf("intact chain: %d %v", n, err)
				}
				// The database refuses edits to the trail...
				err := st.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`)
					return err
				})
				if err == nil {
					t.Fatal("audit_log accepted an update")
				}
				// ...and someone who removes that guard is caught by the chain.
				drop := `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete`
				if engine == store.Postgres {
					drop = `DROP TRIGGER audit_log_no_change ON audit_log`
				}
				stmt, want := map[string]string{
					"edit":          `UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`,
					"delete":        `DELETE FROM audit_log WHERE seq = 2`,
					"delete-newest": `DELETE FROM audit_log WHERE seq = 3`,
				}[tamper], map[string]int64{"edit": 2, "delete": 2, "delete-newest": 3}[tamper]
				if err := st.InTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(ctx, drop); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, stmt)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				_, err = st.Audit().Verify(ctx)
				var p *audit.Problem
				if !errors.As(err, &p) || p.Seq != want {
					t.Fatalf("verify after %s: %v, want problem at row %d", tamper, err, want)
				}
			})
		}
	})
}

type probeArgs struct{ N int }

func (probeArgs) Kind() string { return "test_probe" }

func TestJobsCommitWithTheirChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st := storetest.OpenWith(t, engine, storetest.Options{})
		boom := errors.New("boom")
		err := st.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Enqueue(ctx, probeArgs{1}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		count := func() int {
			var n int
			if err := st.InTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'test_probe'`).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 0 {
			t.Fatalf("rolled-back transaction left %d jobs", n)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.Enqueue(ctx, probeArgs{2}, &river.InsertOpts{}); return err }); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Fatalf("committed transaction left %d jobs, want 1", n)
		}
	})
}

func TestBackupAndBadDSNs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t)
	mustUser(t, st, "keep.me", authz.Liaison)
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := st.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	assertPrivateBackup(t, dst)
	if err := st.Backup(ctx, dst); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	cp, err := store.Open(ctx, "sqlite:"+dst, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.Accounts().UserByName(ctx, "keep.me"); err != nil {
		t.Fatalf("backup lacks the user: %v", err)
	}

	for _, dsn := range []string{"", "mysql://x", "sqlite:", "postgres://", "sqlite:/tmp/x.db?mode=ro"} {
		if _, err := store.Open(ctx, dsn, store.Options{}); err == nil || !strings.Contains(err.Error(), "--db") {
			t.Errorf("Open(%q) = %v, want an error naming --db", dsn, err)
		}
	}
	if _, err := store.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2", store.Options{}); err == nil ||
		strings.Contains(err.Error(), "secret") {
		t.Errorf("unreachable postgres: %v", err)
	}
	// A data directory that cannot be made: a file stands where it
	// should be (root may write anywhere, but not below a file).
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, "sqlite:"+filepath.Join(notDir, "data", "x.db"), store.Options{}); err == nil ||
		!strings.Contains(err.Error(), "data directory") {
		t.Errorf("unusable data directory: %v, want an error naming it", err)
	}
}

// assertPrivateBackup checks that a backup is its owner's alone: mode 0600
// whatever the umask, with nothing else left beside it.
func assertPrivateBackup(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("backup %s has mode %#o, want 0600", filepath.Base(path), mode)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			t.Errorf("backup left %s beside it", e.Name())
		}
	}
}

// A backup never replaces an existing file, and one that fails leaves
// nothing behind.
func TestBackupRefusesAndCleansUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t)
	dir := t.TempDir()
	precious := filepath.Join(dir, "precious.db")
	if err := os.WriteFile(precious, []byte("do not touch"), 0o640); err != nil {
		t.Fatal(err)
	}
	err := st.Backup(ctx, precious)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup onto an existing file: %v", err)
	}
	if b, _ := os.ReadFile(precious); string(b) != "do not touch" {
		t.Fatalf("the existing file was changed: %q", b)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	failed := filepath.Join(dir, "sub", "failed.db")
	if err := st.Backup(gone, failed); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	if _, err := os.Stat(failed); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed backup left its file: %v", err)
	}
	fresh := filepath.Join(dir, "backups", "fresh.db")
	if err := st.Backup(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	assertPrivateBackup(t, fresh)
	if fi, err := os.Stat(filepath.Dir(fresh)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the directory made for the backup: %v, %v; want mode 0700", fi.Mode().Perm(), err)
	}
}
