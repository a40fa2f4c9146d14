package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"crisisdesk/internal/store"
)

// Job is one River job as the queue holds it.
type Job[A any] struct {
	ID          int64
	State       string
	Queue       string
	Priority    int
	Attempt     int // tries so far
	MaxAttempts int
	Unique      bool // River keeps a unique key for it
	Args        A
}

// Jobs returns the jobs of A's kind in River's queue, oldest first, read
// as the worker would find them.
func Jobs[A interface{ Kind() string }](tb testing.TB, st *store.Store) []Job[A] {
	tb.Helper()
	var kind A
	args := "args"
	if st.Engine() == store.SQLite {
		args = "json(args)" // River keeps SQLite's binary JSON
	}
	rows, err := st.Writer().QueryContext(context.Background(),
		`SELECT id, state, queue, priority, attempt, max_attempts, unique_key IS NOT NULL, `+args+`
		FROM river_job WHERE kind = $1 ORDER BY id`, kind.Kind())
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []Job[A]
	for rows.Next() {
		var j Job[A]
		var raw []byte
		if err := rows.Scan(&j.ID, &j.State, &j.Queue, &j.Priority, &j.Attempt, &j.MaxAttempts, &j.Unique, &raw); err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(raw, &j.Args); err != nil {
			tb.Fatalf("job args %s: %v", raw, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
