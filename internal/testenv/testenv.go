// Package testenv decides, in one place, what a test does when something
// outside the repository that it needs — PostgreSQL, Chromium, xmllint, axe-core —
// is missing: on a developer's machine the test is skipped with a line naming
// what is missing and how to install it (make test lists every skip at the
// end); under CI (the CI variable set) it fails, because CI skips nothing.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// PostgresEnv names the variable holding the test PostgreSQL server's DSN.
const PostgresEnv = "CRISISDESK_TEST_POSTGRES"

// CI reports whether the tests run under CI, where nothing may be skipped.
func CI() bool { return os.Getenv("CI") != "" }

// Missing skips the test, or fails it under CI, because what is missing.
// install says how to get it.
func Missing(tb testing.TB, what, install string) {
	tb.Helper()
	if CI() {
		tb.Fatalf("missing: %s (%s); under CI nothing is skipped", what, install)
	}
	tb.Skipf("missing: %s (%s)", what, install)
}

// Command returns the path of the first of names found on PATH, or skips
// (fails under CI) naming the first.
func Command(tb testing.TB, install string, names ...string) string {
	tb.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	Missing(tb, names[0], install)
	return ""
}

// File reads the file at path, something installed beside the
// repository rather than committed (axe-core, by scripts/install-axe.sh),
// or skips (fails under CI) naming what and how to install it.
func File(tb testing.TB, path, what, install string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		Missing(tb, what+" at "+path, install)
	}
	return b
}

// Postgres returns the test server's DSN from PostgresEnv, or skips (fails
// under CI) when it is not set.
func Postgres(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		Missing(tb, "PostgreSQL", "set "+PostgresEnv+", e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return dsn
}

// HavePostgres reports whether a test PostgreSQL server is configured,
// for code that lists engines rather than skipping a whole test.
func HavePostgres() bool { return os.Getenv(PostgresEnv) != "" }
