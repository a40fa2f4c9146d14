package store

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Engine names a storage engine.
type Engine string

// The engines crisisdesk runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ParseDSN splits a crisisdesk DSN — "sqlite:PATH" or "postgres://…" — into
// its engine and the driver's own connection string.
func ParseDSN(dsn string) (Engine, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" || strings.ContainsAny(path, "?#") {
			return "", "", fmt.Errorf("invalid --db %q: want sqlite:PATH with a file path and no query", dsn)
		}
		return SQLite, filepath.Clean(path), nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", fmt.Errorf("invalid --db: %s", redactURLError(err))
		}
		if u.Host == "" {
			return "", "", fmt.Errorf("invalid --db %s: no host", Redact(dsn))
		}
		return Postgres, dsn, nil
	case dsn == "":
		return "", "", fmt.Errorf("invalid --db: empty; want sqlite:PATH or postgres://USER@HOST/DB")
	default:
		return "", "", fmt.Errorf("invalid --db %q: want sqlite:PATH or postgres://USER@HOST/DB", Redact(dsn))
	}
}

// Redact hides the password in a PostgreSQL URL, for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func redactURLError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return "malformed URL"
}
