package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
)

// The bench's staff: one drafts, the other approves and publishes.
const (
	editorName   = "bench.editor"
	approverName = "bench.approver"
	staffPass    = "correct horse battery staple"
)

// freshDB makes an empty database for one phase: a SQLite file in a new
// temporary directory, or a new schema on the PostgreSQL server pgBase. The
// returned function removes it.
func freshDB(ctx context.Context, engine store.Engine, pgBase string) (dsn string, drop func(), err error) {
	switch engine {
	case store.SQLite:
		dir, err := os.MkdirTemp("", "crisisdesk-bench-delivery-")
		if err != nil {
			return "", nil, fmt.Errorf("temporary directory: %w", err)
		}
		return "sqlite:" + filepath.Join(dir, "crisisdesk.db"), func() { os.RemoveAll(dir) }, nil
	case store.Postgres:
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "bench_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", pgBase)
		if err != nil {
			return "", nil, fmt.Errorf("open postgres: %w", err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			return "", nil, fmt.Errorf("create schema: %w", err)
		}
		drop := func() {
			db, err := sql.Open("pgx", pgBase)
			if err != nil {
				return
			}
			defer db.Close()
			dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, err := db.ExecContext(dctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
				fmt.Fprintf(os.Stderr, "delivery: drop schema %s: %v\n", schema, err)
			}
		}
		u, err := url.Parse(pgBase)
		if err != nil {
			drop()
			return "", nil, fmt.Errorf("parse -pg: %w", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), drop, nil
	}
	return "", nil, fmt.Errorf("unknown engine %q", engine)
}

// population says which subscribers to write.
type population struct {
	n       int
	channel string // "email", "webhook" or "mixed" (60 % e-mail, 30 % SMS, 10 % webhooks)
	hook    string // receiver URL prefix for webhook subscribers
	secret  string // their signing secret
}

// seed migrates the database, adds the bench's staff and writes the
// subscribers in bulk inside the database (INSERT … SELECT over a series),
// as an import would leave them: active, without area or category, so that
// every public notice reaches them. Their ids run from 1 to n.
func seed(ctx context.Context, dsn string, p population) error {
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	sys := authz.System(authz.SourceCLI, "bench")
	for _, u := range []account.NewUser{
		{Name: editorName, DisplayName: "Bench editor", Role: authz.Editor, Password: staffPass},
		{Name: approverName, DisplayName: "Bench approver", Role: authz.Approver, Password: staffPass},
	} {
		if _, err := st.Accounts().CreateUser(ctx, sys, u); err != nil {
			return fmt.Errorf("create %s: %w", u.Name, err)
		}
	}
	// x is the subscriber's number, 1..n. The channel, address and
	// language are computed from it in SQL, so nothing crosses the wire.
	channel := `'` + p.channel + `'`
	if p.channel == "mixed" {
		channel = `CASE WHEN x % 10 < 6 THEN 'email' WHEN x % 10 < 9 THEN 'sms' ELSE 'webhook' END`
	}
	address := `CASE ` + channel + `
		WHEN 'email' THEN 'reader' || x || '@example.org'
		WHEN 'sms' THEN '+8529' || (1000000 + x)
		ELSE CAST($2 AS TEXT) || x END`
	language := `CASE x % 3 WHEN 0 THEN 'zh-Hant' WHEN 1 THEN 'en' ELSE 'zh-Hans' END`
	cols := `INSERT INTO subscribers (id, channel, address, language, status, source, secret, token, created_at, confirmed_at, updated_at)
		SELECT x, ` + channel + `, ` + address + `, ` + language + `, 'active', 'import', $3, 'bench-token-' || x, $4, $4, $4 FROM `
	var q string
	switch st.Engine() {
	case store.SQLite:
		q = `WITH RECURSIVE series(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM series WHERE x < $1) ` + cols + `series`
	default:
		q = cols + `generate_series(1, $1::bigint) AS series(x)`
	}
	now := time.Now().UTC()
	if _, err := st.Writer().ExecContext(ctx, q, p.n, p.hook, p.secret, now); err != nil {
		return fmt.Errorf("write %d subscribers: %w", p.n, err)
	}
	if st.Engine() == store.Postgres {
		// The ids were given: move the identity past them, and let the
		// planner see the new rows, as after any big import.
		for _, q := range []string{`SELECT setval(pg_get_serial_sequence('subscribers', 'id'), (SELECT MAX(id) FROM subscribers))`,
			`ANALYZE subscribers`} {
			if _, err := st.Writer().ExecContext(ctx, q); err != nil {
				return fmt.Errorf("after the import: %w", err)
			}
		}
	}
	return nil
}
