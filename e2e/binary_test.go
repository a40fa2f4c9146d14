package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite", to reach into the database like an intruder would
)

// testVersion is stamped into the binary, so that the tests also prove the
// -ldflags plumbing that releases rely on.
const testVersion = "e2e-test"

const (
	// commandTimeout bounds every short-lived command.
	commandTimeout = 60 * time.Second
	// exitWait is how long a stopped server may take to exit. It is a
	// safety bound, not a timing assertion: --shutdown-timeout is 20s.
	exitWait = 30 * time.Second
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds cmd/crisisdesk once per test run and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "crisisdesk-e2e-bin-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "crisisdesk")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath,
			"-ldflags", "-X crisisdesk/internal/cli.Version="+testVersion, "crisisdesk/cmd/crisisdesk")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// environ is the process environment without any CRISISDESK_* setting of
// the machine running the tests, so that every setting comes from the test.
func environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CRISISDESK_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// result is how a command ended.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the binary to completion within commandTimeout.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = environ()
	cmd.Stdin = strings.NewReader(stdin)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("crisisdesk %s: did not finish within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), commandTimeout, stdout.String(), stderr.String())
	case err != nil && !errors.As(err, &exitErr):
		t.Fatalf("crisisdesk %s: %v", strings.Join(args, " "), err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the binary and fails unless it exits 0.
func mustRun(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	r := run(t, stdin, args...)
	if r.code != 0 {
		t.Fatalf("crisisdesk %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// sqliteDB returns a crisisdesk --db value for a new file in a temporary
// directory, and the file's path.
func sqliteDB(t *testing.T) (dsn, path string) {
	path = filepath.Join(t.TempDir(), "crisisdesk.db")
	return "sqlite:" + path, path
}

// openSQLite opens a crisisdesk SQLite file directly, bypassing crisisdesk.
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var servingRe = regexp.MustCompile(`serving on http://(\S+)`)

// serverProc is a running `crisisdesk serve`.
type serverProc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	addr           string
	exited         chan struct{} // closed when the process has exited
}

// addrWatcher collects stdout and reports the address of the serving line.
type addrWatcher struct {
	syncBuffer
	once sync.Once
	addr chan string
}

func (w *addrWatcher) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if m := servingRe.FindStringSubmatch(w.String()); m != nil {
		w.once.Do(func() { w.addr <- m[1] })
	}
	return n, err
}

// startServe starts `crisisdesk serve` on a free loopback port and waits for
// it to say where it serves. The process is killed at the end of the test
// if it still runs.
func startServe(t *testing.T, db string, extra ...string) *serverProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	cmd := exec.CommandContext(ctx, binary(t), append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, extra...)...)
	cmd.Env = environ()
	cmd.WaitDelay = 5 * time.Second
	out := &addrWatcher{addr: make(chan string, 1)}
	s := &serverProc{cmd: cmd, stdout: &out.syncBuffer, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, s.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		cancel()
		<-s.exited
	})
	select {
	case s.addr = <-out.addr:
	case <-s.exited:
		t.Fatalf("serve exited with %d before serving\nstdout:\n%s\nstderr:\n%s", cmd.ProcessState.ExitCode(), s.stdout, s.stderr)
	case <-time.After(commandTimeout):
		t.Fatalf("serve did not say where it serves within %s\nstdout:\n%s\nstderr:\n%s", commandTimeout, s.stdout, s.stderr)
	}
	if !strings.HasPrefix(s.addr, "127.0.0.1:") {
		t.Fatalf("serve listens on %s, want 127.0.0.1:PORT", s.addr)
	}
	return s
}

// terminate sends SIGTERM and returns the exit code once the process has
// exited.
func (s *serverProc) terminate(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.exited:
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(exitWait):
		t.Fatalf("serve still running %s after SIGTERM\nstderr:\n%s", exitWait, s.stderr)
		return -1
	}
}

var oneTimePasswordRe = regexp.MustCompile(`one-time password[^:\n]*:\s+(\S+)`)

// checkServing checks the operational endpoints of a running server.
// /metrics is on its address only behind metricsToken; without one it is
// not there at all.
func checkServing(t *testing.T, addr, metricsToken string) {
	t.Helper()
	base := "http://" + addr
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := httpGet(t, base+path); code != 200 {
			t.Errorf("GET %s: %d %s, want 200", path, code, body)
		}
	}
	code, body := httpGet(t, base+"/metrics")
	if want := map[bool]int{true: 401, false: 404}[metricsToken != ""]; code != want || strings.Contains(body, "crisisdesk_") {
		t.Errorf("GET /metrics without a token: %d, want %d and no figures", code, want)
	}
	if metricsToken == "" {
		return
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), "crisisdesk_http_requests_total") {
		t.Errorf("GET /metrics with the token: %d, has crisisdesk_http_requests_total: %v; want 200 and the counter",
			res.StatusCode, strings.Contains(string(b), "crisisdesk_http_requests_total"))
	}
}

// TestServeLifecycle starts a fresh server twice on one database: the first
// start creates the admin and prints the one-time password once, the second
// prints none; both serve the operational endpoints and exit 0 on SIGTERM.
func TestServeLifecycle(t *testing.T) {
	t.Parallel()
	db, _ := sqliteDB(t)

	const metricsToken = "e2e-metrics-token-0123"
	first := startServe(t, db, "--metrics-token", metricsToken)
	if !strings.Contains(first.stdout.String(), "crisisdesk "+testVersion+" serving on") {
		t.Errorf("serving line does not carry the version %q:\n%s", testVersion, first.stdout)
	}
	checkServing(t, first.addr, metricsToken)
	if code := first.terminate(t); code != 0 {
		t.Errorf("first serve: exit %d after SIGTERM, want 0\nstderr:\n%s", code, first.stderr)
	}
	out := first.stdout.String()
	matches := oneTimePasswordRe.FindAllStringSubmatch(out, -1)
	if len(matches) != 1 {
		t.Fatalf("first start printed the one-time password %d times, want once:\n%s", len(matches), out)
	}
	if pw := matches[0][1]; strings.Count(out, pw) != 1 || strings.Contains(first.stderr.String(), pw) {
		t.Errorf("the one-time password appears more than once on stdout or in the logs")
	}

	second := startServe(t, db)
	checkServing(t, second.addr, "")
	if code := second.terminate(t); code != 0 {
		t.Errorf("second serve: exit %d after SIGTERM, want 0\nstderr:\n%s", code, second.stderr)
	}
	if out := second.stdout.String(); strings.Contains(out, "password") {
		t.Errorf("second start mentions a password; the admin exists already:\n%s", out)
	}
}

// TestServeRefuses covers the ways serve must refuse to start: a non-zero
// exit and exactly one line on stderr that says why.
func TestServeRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup prepares the case and returns the arguments after "serve"
		// and what stderr must contain.
		setup      func(t *testing.T) (args []string, want []string)
		notContain []string
	}{
		{
			name: "port in use",
			setup: func(t *testing.T) ([]string, []string) {
				// A fresh database: serve binds before it migrates, so
				// the refusal is the only line and nothing is created.
				db, _ := sqliteDB(t)
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ln.Close() })
				addr := ln.Addr().String()
				return []string{"--db", db, "--addr", addr}, []string{addr}
			},
		},
		{
			name: "metrics address in use",
			setup: func(t *testing.T) ([]string, []string) {
				db, _ := sqliteDB(t)
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ln.Close() })
				addr := ln.Addr().String()
				return []string{"--db", db, "--addr", "127.0.0.1:0", "--metrics-addr", addr}, []string{"/metrics", addr, "in use"}
			},
		},
		{
			name: "malformed audit key file",
			setup: func(t *testing.T) ([]string, []string) {
				db, _ := sqliteDB(t)
				key := filepath.Join(t.TempDir(), "audit.key")
				if err := os.WriteFile(key, []byte("not a key\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				return []string{"--db", db, "--addr", "127.0.0.1:0", "--audit-key-file", key}, []string{key, "malformed"}
			},
		},
		{
			name: "malformed db",
			setup: func(t *testing.T) ([]string, []string) {
				return []string{"--db", "mysql://x", "--addr", "127.0.0.1:0"}, []string{"--db"}
			},
		},
		{
			name: "unreachable postgres",
			setup: func(t *testing.T) ([]string, []string) {
				return []string{"--db", "postgres://nobody:hunter2secret@127.0.0.1:1/x?connect_timeout=2", "--addr", "127.0.0.1:0"},
					[]string{"127.0.0.1:1"}
			},
			notContain: []string{"hunter2secret"},
		},
		{
			name: "unreachable identity provider",
			setup: func(t *testing.T) ([]string, []string) {
				db, _ := sqliteDB(t)
				return []string{"--db", db, "--addr", "127.0.0.1:0", "--oidc-issuer", "http://127.0.0.1:1/realms/office",
						"--oidc-client-id", "crisisdesk", "--oidc-role-map", "chiefs=commander"},
					[]string{"--oidc-issuer", "http://127.0.0.1:1/realms/office"}
			},
		},
		{
			name: "identity provider without discovery",
			setup: func(t *testing.T) ([]string, []string) {
				db, _ := sqliteDB(t)
				page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					_, _ = w.Write([]byte("<html>\n<body>\nSign-in is down for maintenance\n</body>\n</html>\n"))
				}))
				t.Cleanup(page.Close)
				return []string{"--db", db, "--addr", "127.0.0.1:0", "--oidc-issuer", page.URL, "--oidc-client-id", "crisisdesk",
						"--oidc-client-secret", "hunter2secret", "--oidc-role-map", "chiefs=commander"},
					[]string{"--oidc-issuer", "discovery document"}
			},
			notContain: []string{"hunter2secret", "one-time password"},
		},
		{
			name: "identity provider without a role map",
			setup: func(t *testing.T) ([]string, []string) {
				db, _ := sqliteDB(t)
				return []string{"--db", db, "--addr", "127.0.0.1:0", "--oidc-issuer", "https://login.example.org", "--oidc-client-id", "crisisdesk"},
					[]string{"--oidc-role-map"}
			},
		},
		{
			name: "a role map naming no role",
			setup: func(t *testing.T) ([]string, []string) {
				return []string{"--addr", "127.0.0.1:0", "--oidc-role-map", "chiefs=king"}, []string{"--oidc-role-map", "king"}
			},
		},
		{
			name: "schema from a newer crisisdesk",
			setup: func(t *testing.T) ([]string, []string) {
				db, path := sqliteDB(t)
				mustRun(t, "", "migrate", "--db", db)
				sdb := openSQLite(t, path)
				if _, err := sdb.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', CURRENT_TIMESTAMP)`); err != nil {
					t.Fatal(err)
				}
				sdb.Close()
				return []string{"--db", db, "--addr", "127.0.0.1:0"}, []string{"newer"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args, want := tt.setup(t)
			r := run(t, "", append([]string{"serve"}, args...)...)
			if r.code == 0 {
				t.Errorf("exit 0, want non-zero")
			}
			line := checkOneLine(t, "stderr", r.stderr)
			for _, w := range want {
				if !strings.Contains(line, w) {
					t.Errorf("stderr %q does not mention %q", line, w)
				}
			}
			for _, nw := range tt.notContain {
				if strings.Contains(r.stderr+r.stdout, nw) {
					t.Errorf("output reveals %q:\nstdout:\n%s\nstderr:\n%s", nw, r.stdout, r.stderr)
				}
			}
		})
	}
}

// TestCLIWorkflow runs the operator commands in order against one database,
// as an operator would: create users and a token, verify the audit trail,
// catch tampering, take a backup.
func TestCLIWorkflow(t *testing.T) {
	t.Parallel()
	db, path := sqliteDB(t)
	backup := filepath.Join(t.TempDir(), "backups", "crisisdesk-backup.db")
	var tamperedSeq int64

	steps := []struct {
		name  string
		stdin string
		args  []string
		// before runs ahead of the command, e.g. to tamper with the file.
		before   func(t *testing.T)
		wantFail bool
		check    func(t *testing.T, r result)
	}{
		{name: "migrate", args: []string{"migrate"}, check: func(t *testing.T, r result) {
			if !strings.Contains(r.stdout, "schema is at version") {
				t.Errorf("stdout %q", r.stdout)
			}
		}},
		{name: "user add with a generated password", args: []string{"user", "add", "bob", "--role", "editor"}, check: func(t *testing.T, r result) {
			if m := oneTimePasswordRe.FindAllStringSubmatch(r.stdout, -1); len(m) != 1 || len(m[0][1]) < 12 {
				t.Errorf("want one one-time password of 12+ characters on stdout, got:\n%s", r.stdout)
			}
		}},
		{name: "user add with --password-stdin", stdin: "correct horse battery staple\n",
			args: []string{"user", "add", "carol", "--role", "observer", "--password-stdin"}, check: func(t *testing.T, r result) {
				if !strings.Contains(r.stdout, "created user carol") || strings.Contains(r.stdout, "one-time") || strings.Contains(r.stdout, "correct horse") {
					t.Errorf("stdout %q: want the user created, no password shown", r.stdout)
				}
			}},
		{name: "user add with --password-stdin and nothing on stdin", wantFail: true,
			args: []string{"user", "add", "dave", "--role", "observer", "--password-stdin"}, check: func(t *testing.T, r result) {
				if line := checkOneLine(t, "stderr", r.stderr); !strings.Contains(line, "--password-stdin") {
					t.Errorf("stderr %q does not name --password-stdin", line)
				}
			}},
		{name: "user list", args: []string{"user", "list"}, check: func(t *testing.T, r result) {
			for _, name := range []string{"bob", "carol"} {
				if !strings.Contains(r.stdout, name) {
					t.Errorf("user list lacks %s:\n%s", name, r.stdout)
				}
			}
			if strings.Contains(r.stdout, "dave") {
				t.Errorf("user list has dave, whose creation failed:\n%s", r.stdout)
			}
		}},
		{name: "user reset-mfa", args: []string{"user", "reset-mfa", "bob"}, check: func(t *testing.T, r result) {
			if !strings.Contains(r.stdout, "second factor of bob removed") {
				t.Errorf("stdout %q", r.stdout)
			}
		}},
		{name: "user reset-mfa of nobody", args: []string{"user", "reset-mfa", "nobody"}, wantFail: true, check: func(t *testing.T, r result) {
			checkOneLine(t, "stderr", r.stderr)
		}},
		{name: "token create", args: []string{"token", "create", "--user", "bob", "--name", "ci"}, check: func(t *testing.T, r result) {
			tok := checkOneLine(t, "stdout", r.stdout)
			if !strings.HasPrefix(tok, "cdt_") || len(tok) < 20 || strings.ContainsAny(tok, " \t") {
				t.Errorf("stdout %q: want only a token starting cdt_", r.stdout)
			}
		}},
		{name: "audit verify on an intact trail", args: []string{"audit", "verify"}, check: func(t *testing.T, r result) {
			if !strings.Contains(r.stdout, "intact") {
				t.Errorf("stdout %q", r.stdout)
			}
		}},
		{name: "backup", args: []string{"backup", "--to", backup}, check: func(t *testing.T, r result) {
			b := openSQLite(t, backup)
			var ok string
			if err := b.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
				t.Errorf("backup integrity_check: %q, %v", ok, err)
			}
			var users int
			if err := b.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users); err != nil || users != 2 {
				t.Errorf("backup has %d users (%v), want 2", users, err)
			}
		}},
		{name: "backup refuses to overwrite", args: []string{"backup", "--to", backup}, wantFail: true, check: func(t *testing.T, r result) {
			checkOneLine(t, "stderr", r.stderr)
		}},
		{name: "audit verify after tampering", args: []string{"audit", "verify"}, wantFail: true,
			before: func(t *testing.T) {
				sdb := openSQLite(t, path)
				if err := sdb.QueryRow(`SELECT MIN(seq) FROM audit_log`).Scan(&tamperedSeq); err != nil {
					t.Fatal(err)
				}
				for _, q := range []string{
					`DROP TRIGGER audit_log_no_update`,
					fmt.Sprintf(`UPDATE audit_log SET after_state = '{"role":"admin"}' WHERE seq = %d`, tamperedSeq),
				} {
					if _, err := sdb.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				sdb.Close()
			},
			check: func(t *testing.T, r result) {
				line := checkOneLine(t, "stderr", r.stderr)
				if want := fmt.Sprintf("row %d", tamperedSeq); !strings.Contains(line, want) {
					t.Errorf("stderr %q does not name %q", line, want)
				}
			}},
	}
	// The steps depend on each other, so they run in order and stop at the
	// first failure.
	for _, st := range steps {
		ok := t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before(t)
			}
			r := run(t, st.stdin, append(st.args, "--db", db)...)
			if got := r.code != 0; got != st.wantFail {
				t.Fatalf("exit %d, want failure: %v\nstdout:\n%s\nstderr:\n%s", r.code, st.wantFail, r.stdout, r.stderr)
			}
			st.check(t, r)
		})
		if !ok {
			t.FailNow()
		}
	}
}

// TestCLIInfo covers the commands that need no database.
func TestCLIInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		stdout   []string // substrings of stdout
		oneLine  bool     // stderr must be one line
	}{
		{name: "version", args: []string{"version"}, stdout: []string{"crisisdesk " + testVersion + " (go"}},
		{name: "help", args: []string{"help"}, stdout: []string{"serve", "user add", "token create", "audit verify", "backup"}},
		{name: "help user add", args: []string{"help", "user", "add"},
			stdout: []string{"Usage: crisisdesk user add NAME", "--role", "--password-stdin", "--db"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2, oneLine: true},
		{name: "unknown flag", args: []string{"version", "--no-such-flag"}, wantCode: 2, oneLine: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, "", tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			if tt.oneLine {
				checkOneLine(t, "stderr", r.stderr)
			}
		})
	}
}
